import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { removeDir, waitFor } from '../helpers/temp.ts';
import { FASKES, PENDUDUK, startApiFixture, type ApiFixture } from './api-v1-fixture.ts';

/**
 * Real responses of the running server, validated against the schemas of its own OpenAPI document (fetched from
 * /api/v1/openapi.json, as a client would) with a JSON Schema 2020-12 validator. Object schemas of the native API
 * admit no unknown keys, so a field added to a response without its schema fails here.
 */
let f: ApiFixture;
let validate: (component: string, value: unknown) => string[];

beforeAll(async () => {
  f = await startApiFixture();
  await publishTestVersion(path.join(f.root, 'data'), {
    id: 'sekolah',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Andir', jumlah_penduduk: 12 }],
    metadata: { title: 'Sekolah', queries: [{ name: 'semua', title: 'Semua sekolah', description: 'Semua baris.', sql: 'SELECT * FROM sekolah WHERE jumlah_penduduk > $n', params: [{ name: 'n', type: 'integer', title: 'N', default: '0' }] }] },
  });
  const doc = await (await fetch(`${f.server.url}/api/v1/openapi.json`)).json();
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addSchema({ components: doc.components }, 'doc');
  validate = (component, value) => {
    const check = ajv.getSchema(`doc#/components/schemas/${component}`)!;
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
  await waitFor(async () => (await (await fetch(`${f.server.url}/api/v1/queries`)).json()).queries.length > 0, { timeoutMs: 10_000, what: 'the dataset with a saved query' });
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

async function body(pathname: string, init?: RequestInit): Promise<{ status: number; json: any }> {
  const response = await fetch(`${f.server.url}${pathname}`, init);
  return { status: response.status, json: await response.json() };
}

describe('real responses match the documented schemas', () => {
  test.each([
    ['/api/v1/datasets', 'DatasetList'],
    ['/api/v1/datasets?q=penduduk', 'DatasetList'],
    [`/api/v1/datasets/${PENDUDUK}`, 'DatasetDetail'],
    [`/api/v1/datasets/${FASKES}`, 'DatasetDetail'],
    [`/api/v1/datasets/${PENDUDUK}/rows?limit=3`, 'RowsPage'],
    [`/api/v1/datasets/${FASKES}/rows?limit=2&_sort=-tempat_tidur`, 'RowsPage'],
    ['/api/v1/organizations', 'OrganizationList'],
    ['/api/v1/topics', 'TopicList'],
    [`/api/v1/sql?sql=${encodeURIComponent(`SELECT * FROM "${FASKES}"`)}`, 'SqlResult'],
    ['/api/v1/queries', 'SavedQueryList'],
    ['/api/v1/datasets/sekolah/queries/semua', 'SqlResult'],
    ['/api/v1/health', 'Health'],
    ['/catalog.jsonld', 'JsonLd'],
    [`/datasets/${PENDUDUK}.jsonld`, 'JsonLd'],
    [`/datasets/${PENDUDUK}/datapackage.json`, 'DataPackage'],
    [`/api/3/action/package_show?id=${PENDUDUK}`, 'CkanSuccess'],
    ['/api/action/package_search?q=penduduk', 'CkanSuccess'],
  ])('%s is a %s', async (pathname, component) => {
    const { status, json } = await body(pathname);
    expect(status).toBe(200);
    expect(validate(component, json)).toEqual([]);
  });

  test('CKAN package and resource dicts match CkanPackage', async () => {
    const { json } = await body(`/api/action/package_show?id=${FASKES}`);
    expect(validate('CkanPackage', json.result)).toEqual([]);
    const search = await body('/api/3/action/package_search?rows=10');
    for (const pkg of search.json.result.results) expect(validate('CkanPackage', pkg)).toEqual([]);
  });

  test.each([
    ['/api/v1/datasets?sort=popular', 400],
    ['/api/v1/datasets/tidak-ada', 404],
    [`/api/v1/datasets/${FASKES}/rows?dibuka=2024-02-31`, 400],
    [`/api/v1/datasets/${PENDUDUK}/download.pdf`, 404],
    [`/api/v1/sql?sql=${encodeURIComponent('SELECT * FROM pg_settings')}`, 400],
    ['/api/v1/sql', 400],
    ['/api/v1/queries/tidak-ada', 404],
    ['/api/v1/account/me', 401],
    ['/datasets/tidak-ada/datapackage.json', 404],
  ])('the error of %s is an Error (%i)', async (pathname, status) => {
    const { status: got, json } = await body(pathname);
    expect(got).toBe(status);
    expect(validate('Error', json)).toEqual([]);
  });

  test('CKAN errors are CkanFailure', async () => {
    const { status, json } = await body('/api/3/action/package_show?id=tidak-ada');
    expect(status).toBe(404);
    expect(validate('CkanFailure', json)).toEqual([]);
  });

  test('the validator does reject what breaks the schema, so the tests above test something', async () => {
    const { json } = await body(`/api/v1/datasets/${PENDUDUK}/rows?limit=1`);
    expect(validate('RowsPage', { ...json, extra: 1 })).not.toEqual([]);
    expect(validate('RowsPage', { ...json, total: 'many' })).not.toEqual([]);
    expect(validate('DatasetDetail', { ...(await body(`/api/v1/datasets/${PENDUDUK}`)).json, classification: 'rahasia' })).not.toEqual([]);
  });
});
