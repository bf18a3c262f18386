import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * Dataset-bound KPIs on a running server: an official binds a KPI to a published dataset by a sandboxed query, which
 * measures it at once; then the pipeline CLI publishes a new version while the server runs, and the server's catalog
 * sync records a new measurement citing that version. A query that stops working says why on the page, and the
 * publish still goes through.
 */
let project: TestProject;
let server: TestServer;
let official: Client;
let id = '';
const password = 'sandi kpi yang panjang sekali';

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const page = async () => visibleText((await official.get(`/badami/innovations/${id}`)).text);

beforeAll(async () => {
  project = createProject();
  project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,10\nCoblong,20\n');
  project.addPipeline('uji-kpi', baseSpec({ title: 'Sampel sintetis: uji KPI' }));
  expect((await project.cli(['run', 'uji-kpi'])).code).toBe(0);
  seedUser(project.dataDir, { email: 'dinkes@kpi.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  server = await startTestServer({ dataDir: project.dataDir, env: { PIPELINES_DIR: `${project.root}/pipelines`, KOTA_ROOT: project.root } });
  official = new Client(server.url);
  await official.logIn('dinkes@kpi.test', password);
  const created = await official.post('/badami/new?_action=badami.create', {
    title: 'Pemantauan jumlah', summary: 'Inovasi yang mengukur jumlah dari dataset uji.', opd: 'dinkes', initiator: 'opd',
    innovation_type: 'digital', form: 'pelayanan_publik', affair: 'kesehatan', city_wide: 'true',
  });
  id = /\/badami\/innovations\/([a-z0-9]+)$/.exec(created.location ?? '')![1]!;
  const kpi = await official.post(`/badami/innovations/${id}?_action=badami.addKpi`, { id, name: 'Jumlah tercatat', unit: 'orang', baseline: '0', target: '60', target_on: '2030-12-31', direction: 'higher' });
  expect(kpi.status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
});

describe('a KPI bound to a dataset', () => {
  test('a query that does not give one number is refused with the reason, and binds nothing', async () => {
    const kpi = /name="kpi"[\s\S]*?<option value="(\d+)"/.exec((await official.get(`/badami/innovations/${id}`)).text)![1]!;
    const wrong = await official.post(`/badami/innovations/${id}?_action=badami.bindKpi`, { id, kpi, dataset: 'uji-kpi', query: 'SELECT kecamatan FROM "uji-kpi"' });
    expect(wrong.status).toBe(400);
    expect(visibleText(wrong.text)).toContain('Kueri SQL: kueri menghasilkan lebih dari satu baris.');
    const outside = await official.post(`/badami/innovations/${id}?_action=badami.bindKpi`, { id, kpi, dataset: 'uji-kpi', query: "SELECT count(*) FROM read_csv('/etc/passwd')" });
    expect(outside.status).toBe(400);
    expect(visibleText(outside.text)).toContain('Kueri SQL: kueri gagal');
    expect(await page()).not.toContain('Diukur otomatis');
  });

  test('binding measures at once; a version published by the CLI while the server runs adds a measurement citing it', async () => {
    const kpi = /name="kpi"[\s\S]*?<option value="(\d+)"/.exec((await official.get(`/badami/innovations/${id}`)).text)![1]!;
    const bound = await official.post(`/badami/innovations/${id}?_action=badami.bindKpi`, { id, kpi, dataset: 'uji-kpi', query: 'SELECT sum(jumlah) AS value FROM "uji-kpi"' });
    expect(bound.status).toBe(200);
    let text = await page();
    expect(text).toContain('Diukur otomatis dari dataset uji-kpi');
    expect(text).toMatch(/Terakhir: 30 \(\d{4}-\d{2}-\d{2}\) — dataset uji-kpi versi \S+/);
    const first = /dataset uji-kpi versi (\S+)/.exec(text)![1]!;

    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,10\nCoblong,20\nGedebage,25\n');
    const run = await project.cli(['run', 'uji-kpi']);
    expect(run.code).toBe(0);
    expect(await eventually(async () => (await page()).includes('Terakhir: 55'), 15_000)).toBe(true);
    text = await page();
    const second = /dataset uji-kpi versi (\S+)/.exec(text)![1]!;
    expect(second).not.toBe(first);
    expect(text).toContain('Capaian KPI: 92%');
  });

  test('a query that fails on a new version says why on the page; the version is published all the same', async () => {
    // The new version renames the column the query sums.
    project.addPipeline(
      'uji-kpi',
      baseSpec({
        title: 'Sampel sintetis: uji KPI',
        schema: {
          primary_key: ['kecamatan'],
          fields: [
            { name: 'kecamatan', type: 'string', title: 'Kecamatan', constraints: { required: true } },
            { name: 'total', type: 'integer', title: 'Total', constraints: { minimum: 0 } },
          ],
        },
      }),
    );
    project.writeFile('datasets/data.csv', 'kecamatan,total\nAndir,11\nCoblong,21\nGedebage,26\n');
    expect((await project.cli(['run', 'uji-kpi'])).code).toBe(0);
    expect(await eventually(async () => (await page()).includes('Pengukuran otomatis gagal'), 15_000)).toBe(true);
    expect(await page()).toMatch(/Pengukuran otomatis gagal: kueri gagal: .*jumlah/);
    expect((await official.get('/datasets/uji-kpi')).text).toContain('Total');
  });
});
