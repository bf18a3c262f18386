import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir } from '../helpers/temp.ts';

/**
 * An OPD added to kota.config.yaml reaches the running server's pages, API and CKAN within 5 s (the catalog
 * sync loop re-reads the file); until then, and for a code the config never lists, the name says so instead of
 * showing the bare code. A config edited into an invalid state is reported and the running one kept.
 */
let root: string;
let config: string;
let server: TestServer;

beforeAll(async () => {
  root = makeTempDir('kota-config-');
  mkdirSync(path.join(root, 'pipelines'));
  config = path.join(root, 'kota.config.yaml');
  copyFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), config);
  await publishTestVersion(path.join(root, 'data'), {
    id: 'prestasi-olahraga',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Andir', jumlah_penduduk: 3 }],
    metadata: { title: 'Sampel sintetis: Prestasi Olahraga', organization: 'dispora', topics: ['olahraga'] },
  });
  server = await startTestServer({ dataDir: path.join(root, 'data'), env: { KOTA_ROOT: root, PIPELINES_DIR: path.join(root, 'pipelines') } });
});

afterAll(async () => {
  await server?.stop();
});

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

const NAME = 'Dinas Pemuda dan Olahraga';

describe('deployment config changes reach the running server', () => {
  test('an OPD the config does not list is named as such, never shown as a bare code', async () => {
    const page = await server.get('/datasets/prestasi-olahraga');
    expect(page.text).toContain('OPD tidak terdaftar di konfigurasi (kode dispora)');
    const api = JSON.parse((await server.get('/api/v1/datasets/prestasi-olahraga')).text);
    expect(api.organization).toEqual({ code: 'dispora', name: 'OPD tidak terdaftar di konfigurasi (kode dispora)', name_en: 'OPD not listed in the configuration (code dispora)' });
  });

  test('an OPD added to kota.config.yaml is named on the page, the API and CKAN without a restart (the sync loop re-reads it every 2 s)', async () => {
    // Inserted as the last entry of `opds:` wherever that list sits in the file (other sections may follow it).
    const lines = readFileSync(config, 'utf8').split('\n');
    const opds = lines.findIndex((line) => line === 'opds:');
    const next = lines.findIndex((line, i) => i > opds && /^[a-z_]+:/.test(line));
    lines.splice(next === -1 ? lines.length : next, 0, '  - code: dispora', `    name: ${NAME}`, '    name_en: Youth and Sports Agency');
    writeFileSync(config, lines.join('\n'));
    expect(await eventually(async () => (await server.get('/datasets/prestasi-olahraga')).text.includes(NAME), 30_000)).toBe(true);
    expect((await server.get('/datasets/prestasi-olahraga?lang=en')).text).toContain('Youth and Sports Agency');
    expect(JSON.parse((await server.get('/api/v1/datasets/prestasi-olahraga')).text).organization.name).toBe(NAME);
    const organizations = JSON.parse((await server.get('/api/v1/organizations')).text).organizations as { code: string; name: string }[];
    expect(organizations.find((o) => o.code === 'dispora')?.name).toBe(NAME);
    const ckan = JSON.parse((await server.get('/api/3/action/organization_show?id=dispora')).text);
    expect(ckan.result.title).toBe(NAME);
    const search = await server.get('/datasets?q=olahraga');
    expect(search.text).toContain(NAME);
  });

  test('a config edited into an invalid state is reported and the running one kept', async () => {
    const good = readFileSync(config, 'utf8');
    writeFileSync(config, good.replace('default_locale: id', 'default_locale: fr'));
    expect(await eventually(async () => server.output().includes('invalid deployment config'), 30_000)).toBe(true);
    expect(server.output()).toContain('keeping the configuration in use');
    expect((await server.get('/datasets/prestasi-olahraga')).text).toContain(NAME);
    writeFileSync(config, good);
  });
});
