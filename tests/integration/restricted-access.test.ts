import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { Client, seedUser } from './auth-helpers.ts';

/**
 * Classification end to end: a terbatas dataset is published to the lake but shown only to signed-in officials
 * and admins; everyone else gets the same 404 as for an unknown dataset, and it is never listed publicly.
 */
let project: TestProject;
let server: TestServer;
const password = 'kata-sandi-uji-yang-panjang';
const clients: Record<string, Client> = {};

beforeAll(async () => {
  project = createProject();
  project.writeFile('datasets/terbatas.csv', 'kecamatan,jumlah\nAndir,7\nRegol,9\n');
  project.addPipeline('data-internal', baseSpec({ title: 'Sampel sintetis: data internal', classification: 'terbatas', source: { path: 'datasets/terbatas.csv', format: 'csv' } }));
  project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\n');
  project.addPipeline('data-publik', baseSpec());
  expect((await project.cli(['run', '--all'])).code).toBe(0);
  seedUser(project.dataDir, { email: 'pejabat@kota.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  seedUser(project.dataDir, { email: 'warga@kota.test', name: 'Warga', password });
  server = await startTestServer({ dataDir: project.dataDir, env: { KOTA_ROOT: project.root, PIPELINES_DIR: `${project.root}/pipelines` } });
  clients.anonymous = new Client(server.url);
  clients.participant = new Client(server.url);
  await clients.participant.logIn('warga@kota.test', password);
  clients.official = new Client(server.url);
  await clients.official.logIn('pejabat@kota.test', password);
});

afterAll(async () => {
  await server?.stop();
});

describe('a terbatas dataset', () => {
  test.each([
    ['/datasets/data-internal', 'official', 200],
    ['/datasets/data-internal', 'participant', 404],
    ['/datasets/data-internal', 'anonymous', 404],
    ['/api/v1/datasets/data-internal', 'official', 200],
    ['/api/v1/datasets/data-internal', 'anonymous', 404],
    ['/api/v1/datasets/data-internal/rows', 'official', 200],
    ['/api/v1/datasets/data-internal/rows', 'participant', 404],
    ['/api/v1/datasets/data-internal/facets?_facet=kecamatan', 'official', 200],
    ['/api/v1/datasets/data-internal/facets?_facet=kecamatan', 'participant', 404],
    ['/api/v1/datasets/data-internal/facets?_facet=kecamatan', 'anonymous', 404],
    ['/datasets/data-internal?_facet=kecamatan', 'anonymous', 404],
    ['/api/v1/datasets/data-internal/download.csv', 'official', 200],
    ['/api/v1/datasets/data-internal/download.csv', 'anonymous', 404],
    ['/datasets/data-internal/chart?mark=bar&x=kecamatan&y=jumlah', 'official', 200],
    ['/datasets/data-internal/chart?mark=bar&x=kecamatan&y=jumlah', 'anonymous', 404],
  ])('%s for %s answers %i', async (path, who, status) => {
    const reply = await clients[who]!.get(path);
    expect(reply.status).toBe(status);
  });

  test('an official sees the rows and a notice that the data is restricted; responses are not cached publicly', async () => {
    const page = await clients.official!.get('/datasets/data-internal');
    expect(page.text).toContain('Data terbatas');
    expect(page.text).toContain('Regol');
    const rows = await clients.official!.get('/api/v1/datasets/data-internal/rows');
    expect(JSON.parse(rows.text).rows).toEqual([
      { kecamatan: 'Andir', jumlah: 7 },
      { kecamatan: 'Regol', jumlah: 9 },
    ]);
    expect(rows.headers.get('cache-control')).toBe('private, no-store');
    const csv = await clients.official!.get('/api/v1/datasets/data-internal/download.csv');
    expect(csv.text).toContain('Regol,9');
    expect(csv.headers.get('cache-control')).toBe('private, no-store');
    const facets = await clients.official!.get('/api/v1/datasets/data-internal/facets?_facet=kecamatan');
    expect(JSON.parse(facets.text).facets[0].values).toEqual([{ value: 'Andir', count: 1 }, { value: 'Regol', count: 1 }]);
    expect(facets.headers.get('cache-control')).toBe('private, no-store');
  });

  test('it is never listed publicly, not even for officials', async () => {
    for (const who of ['anonymous', 'official']) {
      const catalog = await clients[who]!.get('/datasets');
      expect(catalog.text).toContain('data-publik');
      expect(catalog.text).not.toContain('data-internal');
    }
    expect((await clients.anonymous!.get('/sitemap.xml')).text).not.toContain('data-internal');
    expect((await clients.anonymous!.get('/api/3/action/package_list')).text).not.toContain('data-internal');
    expect((await clients.anonymous!.get('/catalog.jsonld')).text).not.toContain('data-internal');
    const sql = await clients.official!.get(`/api/v1/sql?sql=${encodeURIComponent('SELECT * FROM "data-internal"')}`);
    expect(sql.status).toBe(400);
  });
});
