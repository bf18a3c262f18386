import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packageId, resourceId } from '../../src/lib/server/ckan/resource-id.ts';
import { removeDir } from '../helpers/temp.ts';
import { ckanGet, ckanPost, PUBLIC_IDS, startCkanFixture, type CkanFixture } from './ckan-fixture.ts';

/**
 * Contract tests of the CKAN Action API v3 against the real server, sending what ckanapi sends (POST with a
 * JSON body; GET with query parameters, JSON-encoded lists). Shapes follow CKAN 2.10's responses.
 */
let f: CkanFixture;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  f = await startCkanFixture();
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

function expectEnvelope(body: any, action: string) {
  expect(body.help).toBe(`${f.server.url}/api/3/action/help_show?name=${action}`);
  expect(body.success).toBe(true);
  return body.result;
}

function expectError(response: { status: number; body: any }, status: number, type: string, message?: RegExp) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.success).toBe(false);
  expect(response.body.help).toContain('/api/3/action/help_show?name=');
  expect(response.body.error.__type).toBe(type);
  expect(typeof response.body.error.message).toBe('string');
  if (message) expect(response.body.error.message).toMatch(message);
}

describe('envelope, status_show, help_show and errors', () => {
  test('status_show reports the site and a CKAN version', async () => {
    const { status, body } = await ckanGet(f.server, 'status_show');
    expect(status).toBe(200);
    expect(expectEnvelope(body, 'status_show')).toMatchObject({
      site_title: 'Kota Terbuka Bandung',
      site_url: f.server.url,
      ckan_version: expect.stringMatching(/^2\.\d+/),
      extensions: expect.arrayContaining(['datastore']),
    });
  });

  test('the API root answers its version, as CKAN does', async () => {
    expect(JSON.parse((await f.server.get('/api/3')).text)).toEqual({ version: 3 });
  });

  test('help_show returns the help text of an action', async () => {
    const { body } = await ckanGet(f.server, 'help_show', { name: 'package_search' });
    expect(expectEnvelope(body, 'help_show')).toContain('fq');
  });

  test('an unknown action is 400 Bad request, in the envelope', async () => {
    expectError(await ckanGet(f.server, 'package_create'), 400, 'Bad request', /Action name not known: package_create/);
  });

  test('a POST body that is not JSON, or not an object, is 400 Bad request', async () => {
    expectError(await ckanPost(f.server, 'package_show', '{"id": '), 400, 'Bad request', /JSON Error/);
    expectError(await ckanPost(f.server, 'package_show', '["penduduk-kecamatan"]'), 400, 'Bad request', /dictionary/);
  });

  test('a missing or malformed parameter is 409 Validation Error naming the field', async () => {
    const missing = await ckanGet(f.server, 'package_show');
    expectError(missing, 409, 'Validation Error');
    expect(missing.body.error.id).toEqual(['Missing value']);
    const rows = await ckanGet(f.server, 'package_search', { rows: 'ten' });
    expectError(rows, 409, 'Validation Error');
    expect(rows.body.error.rows).toEqual(['Invalid integer']);
  });
});

describe('package_list and package_show', () => {
  test('package_list lists the public datasets only, and pages with limit/offset', async () => {
    expect(expectEnvelope((await ckanGet(f.server, 'package_list')).body, 'package_list')).toEqual(PUBLIC_IDS);
    expect((await ckanPost(f.server, 'package_list', { limit: 2, offset: 1 })).body.result).toEqual(PUBLIC_IDS.slice(1, 3));
  });

  test('package_show maps the manifest to CKAN package fields, with one resource per download format', async () => {
    const { status, body } = await ckanPost(f.server, 'package_show', { id: 'fasilitas-kesehatan' });
    expect(status).toBe(200);
    const pkg = expectEnvelope(body, 'package_show');
    expect(pkg).toMatchObject({
      id: packageId('3273', 'fasilitas-kesehatan'),
      name: 'fasilitas-kesehatan',
      title: 'Fasilitas Kesehatan',
      notes: expect.stringContaining('kapasitas tempat tidur'),
      url: `${f.server.url}/datasets/fasilitas-kesehatan`,
      type: 'dataset',
      state: 'active',
      private: false,
      license_id: 'cc-zero',
      license_title: 'Creative Commons CCZero 1.0',
      isopen: true,
      metadata_created: '2026-02-01T02:00:00.000Z',
      metadata_modified: '2026-02-01T02:00:00.000Z',
      owner_org: 'dinkes',
      organization: { name: 'dinkes', title: 'Dinas Kesehatan', is_organization: true, type: 'organization' },
      tags: [{ name: 'kesehatan' }, { name: 'puskesmas' }],
      num_tags: 2,
      groups: [{ name: 'kesehatan', title: 'kesehatan' }, { name: 'pelayanan-publik', title: 'pelayanan publik' }],
      num_resources: 6,
      maintainer_email: 'uji@example.go.id',
    });
    const extras = Object.fromEntries(pkg.extras.map((e: { key: string; value: string }) => [e.key, e.value]));
    expect(extras).toMatchObject({
      title_en: 'Health Facilities',
      frequency: 'bulanan',
      temporal_start: '2024-01-01',
      temporal_end: '2024-12-31',
      spatial_region_code: '3273',
      classification: 'terbuka',
      license_spdx: 'CC0-1.0',
      rows: '250',
      primary_key: 'nama',
    });
    for (const e of pkg.extras) expect(typeof e.value).toBe('string');
    expect(pkg.resources.map((r: any) => r.format)).toEqual(['CSV', 'JSON', 'NDJSON', 'Parquet', 'Arrow', 'XLSX']);
    for (const [i, r] of pkg.resources.entries()) {
      expect(r.id).toMatch(UUID);
      expect(r).toMatchObject({ package_id: pkg.id, position: i, datastore_active: true, state: 'active', last_modified: '2026-02-01T02:00:00.000Z' });
      expect(r.url).toBe(`${f.server.url}/api/v1/datasets/fasilitas-kesehatan/download.${r.alias.split('.').pop()}`);
    }
    expect(new Set(pkg.resources.map((r: any) => r.id)).size).toBe(6);
  });

  test('current_package_list_with_resources: full packages, newest first, paged', async () => {
    const list = expectEnvelope((await ckanPost(f.server, 'current_package_list_with_resources', { limit: 2 })).body, 'current_package_list_with_resources');
    expect(list.map((p: any) => p.name)).toEqual(['sekolah-per-kecamatan', 'fasilitas-kesehatan']);
    expect(list[0].resources).toHaveLength(6);
    expect((await ckanGet(f.server, 'current_package_list_with_resources', { offset: '3' })).body.result.map((p: any) => p.name)).toEqual(['taman-kota']);
  });

  test('site_read and license_list', async () => {
    expect((await ckanGet(f.server, 'site_read')).body.result).toBe(true);
    const licenses = (await ckanGet(f.server, 'license_list')).body.result;
    expect(licenses).toContainEqual(expect.objectContaining({ id: 'cc-by', title: 'Creative Commons Attribution 4.0', spdx: 'CC-BY-4.0' }));
  });

  test('GET and POST give the same package, and resource ids are stable between requests', async () => {
    const a = await ckanGet(f.server, 'package_show', { id: 'penduduk-kecamatan' });
    const b = await ckanPost(f.server, 'package_show', { id: 'penduduk-kecamatan' });
    expect(a.body.result).toEqual(b.body.result);
  });

  test('an unknown dataset and a terbatas one answer the same 404 Not Found Error, without its metadata', async () => {
    expectError(await ckanGet(f.server, 'package_show', { id: 'tidak-ada' }), 404, 'Not Found Error');
    const restricted = await ckanPost(f.server, 'package_show', { id: 'data-terbatas' });
    expectError(restricted, 404, 'Not Found Error');
    expect(JSON.stringify(restricted.body)).not.toContain('Data Terbatas Internal');
  });
});

describe('package_search', () => {
  const search = async (params: Record<string, unknown>) => {
    const response = await ckanPost(f.server, 'package_search', params);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return expectEnvelope(response.body, 'package_search');
  };

  test('without parameters: every public dataset, CKAN result keys, empty facets', async () => {
    const result = await search({});
    expect(result.count).toBe(4);
    expect(Object.keys(result).sort()).toEqual(['count', 'facets', 'results', 'search_facets', 'sort']);
    expect(result.facets).toEqual({});
    expect(result.search_facets).toEqual({});
    expect(result.results.map((p: any) => p.name).sort()).toEqual(PUBLIC_IDS);
    expect(result.results[0].resources).toHaveLength(6);
  });

  test('sort by metadata_modified desc and title_string asc; paging with start and rows', async () => {
    const byDate = await search({ sort: 'metadata_modified desc' });
    expect(byDate.results.map((p: any) => p.name)).toEqual(['sekolah-per-kecamatan', 'fasilitas-kesehatan', 'penduduk-kecamatan', 'taman-kota']);
    const byTitle = await search({ sort: 'title_string asc' });
    expect(byTitle.results.map((p: any) => p.title)).toEqual(['Fasilitas Kesehatan', 'Jumlah Penduduk per Kecamatan', 'Sekolah per Kecamatan', 'Taman Kota']);
    const pages = [];
    for (let start = 0; start < 4; start += 3) pages.push(...(await search({ sort: 'title_string asc', rows: 3, start })).results);
    expect(pages.map((p: any) => p.title)).toEqual(byTitle.results.map((p: any) => p.title));
    const past = await search({ start: 10 });
    expect(past.count).toBe(4);
    expect(past.results).toEqual([]);
    expect((await search({ rows: 0 })).results).toEqual([]);
  });

  test('what ckanext-harvest sends for an incremental harvest: sort=id asc, rows/start, fq with a date range', async () => {
    const { status, body } = await ckanGet(f.server, 'package_search', {
      rows: '100',
      start: '0',
      sort: 'id asc',
      fq: 'metadata_modified:[2026-01-01T00:00:00.000Z TO *] -organization:disdik',
    });
    expect(status).toBe(200);
    // CKAN's id is the package UUID, and `id asc` orders by it.
    const expected = ['fasilitas-kesehatan', 'penduduk-kecamatan'].map((name) => packageId('3273', name)).sort();
    expect(body.result.results.map((p: any) => p.id)).toEqual(expected);
  });

  test('q finds a dataset by a partial word and ranks with score desc', async () => {
    const result = await search({ q: 'pendudu' });
    expect(result.results[0].name).toBe('penduduk-kecamatan');
    expect(result.sort).toBe('score desc, metadata_modified desc');
    expect((await search({ q: 'Terbatas Internal' })).results.map((p: any) => p.name)).not.toContain('data-terbatas');
  });

  test.each([
    ['organization:dinkes', ['fasilitas-kesehatan']],
    ['tags:puskesmas', ['fasilitas-kesehatan']],
    ['tags:"ruang terbuka"', ['taman-kota']],
    ['groups:pelayanan-publik', ['fasilitas-kesehatan']],
    ['license_id:cc-by', ['penduduk-kecamatan', 'sekolah-per-kecamatan', 'taman-kota']],
    ['license_id:CC0-1.0', ['fasilitas-kesehatan']],
    ['res_format:CSV', PUBLIC_IDS],
    ['+organization:disdik +res_format:"Parquet"', ['sekolah-per-kecamatan']],
    ['organization:(disdik OR dpkp)', ['sekolah-per-kecamatan', 'taman-kota']],
    ['-organization:dinkes', ['penduduk-kecamatan', 'sekolah-per-kecamatan', 'taman-kota']],
    ['+dataset_type:dataset metadata_modified:[2026-01-20T00:00:00Z TO *]', ['fasilitas-kesehatan', 'sekolah-per-kecamatan']],
    ['organization:disdukcapil tags:rahasia', []],
  ])('fq %s', async (fq, expected) => {
    const result = await search({ fq, sort: 'name asc' });
    expect(result.results.map((p: any) => p.name)).toEqual(expected);
    expect(result.count).toBe(expected.length);
  });

  test('field clauses inside q work like fq (q=tags:sekolah)', async () => {
    expect((await ckanGet(f.server, 'package_search', { q: 'tags:sekolah' })).body.result.results.map((p: any) => p.name)).toEqual(['sekolah-per-kecamatan']);
  });

  test('facet.field as a JSON list (GET) gives facets and search_facets in CKAN shapes; facet.limit cuts them', async () => {
    const { body } = await ckanGet(f.server, 'package_search', {
      'facet.field': JSON.stringify(['organization', 'tags', 'groups', 'res_format', 'license_id']),
      rows: '0',
    });
    const result = expectEnvelope(body, 'package_search');
    expect(result.facets.organization).toEqual({ dinkes: 1, disdik: 1, disdukcapil: 1, dpkp: 1 });
    expect(result.facets.license_id).toEqual({ 'cc-by': 3, 'cc-zero': 1 });
    expect(result.facets.res_format).toMatchObject({ CSV: 4, Parquet: 4, XLSX: 4 });
    expect(result.facets.tags).not.toHaveProperty('rahasia');
    expect(result.search_facets.organization.title).toBe('organization');
    expect(result.search_facets.organization.items).toContainEqual({ name: 'dinkes', display_name: 'Dinas Kesehatan', count: 1 });
    expect(result.search_facets.license_id.items[0]).toEqual({ name: 'cc-by', display_name: 'Creative Commons Attribution 4.0', count: 3 });
    const limited = (await search({ 'facet.field': ['license_id', 'tags'], 'facet.limit': 1, fq: 'organization:dinkes' })).facets;
    expect(limited.license_id).toEqual({ 'cc-zero': 1 });
    expect(Object.keys(limited.tags)).toHaveLength(1);
  });

  test('facets count the filtered result', async () => {
    const result = await search({ fq: 'license_id:cc-by', 'facet.field': ['organization'] });
    expect(result.facets.organization).toEqual({ disdik: 1, disdukcapil: 1, dpkp: 1 });
  });

  test('fl picks fields of each result', async () => {
    const result = await search({ fl: 'name,title', rows: 1, sort: 'name asc' });
    expect(result.results).toEqual([{ name: 'fasilitas-kesehatan', title: 'Fasilitas Kesehatan' }]);
  });

  test.each([
    [{ fq: 'author:someone' }, 'fq'],
    [{ fq: 'justaword' }, 'fq'],
    [{ sort: 'popularity desc' }, 'sort'],
    [{ 'facet.field': '["nope"]' }, 'facet.field'],
    [{ 'facet.field': '[organization' }, 'facet.field'],
    [{ rows: -1 }, 'rows'],
    [{ start: 'x' }, 'start'],
  ])('%j is 409 Validation Error on %s', async (params, field) => {
    const response = await ckanPost(f.server, 'package_search', params);
    expectError(response, 409, 'Validation Error');
    expect(response.body.error[field]).toBeDefined();
  });
});

describe('organizations, groups and tags', () => {
  test('organization_list: every OPD by name; all_fields with package counts', async () => {
    const names = expectEnvelope((await ckanGet(f.server, 'organization_list')).body, 'organization_list');
    expect(names).toContain('dinkes');
    expect(names).toContain('bpkad');
    const full = (await ckanPost(f.server, 'organization_list', { all_fields: true, sort: 'package_count desc', limit: 4 })).body.result;
    expect(full).toHaveLength(4);
    expect(full[0]).toMatchObject({ name: expect.any(String), title: expect.any(String), package_count: 1, is_organization: true });
    const disdukcapil = (await ckanPost(f.server, 'organization_list', { all_fields: true, organizations: ['disdukcapil'] })).body.result;
    // data-terbatas belongs to disdukcapil too: only the public one counts.
    expect(disdukcapil).toEqual([expect.objectContaining({ name: 'disdukcapil', package_count: 1 })]);
  });

  test('organization_show with and without datasets; unknown is 404', async () => {
    const org = expectEnvelope((await ckanGet(f.server, 'organization_show', { id: 'disdukcapil', include_datasets: 'true' })).body, 'organization_show');
    expect(org).toMatchObject({ name: 'disdukcapil', title: 'Dinas Kependudukan dan Pencatatan Sipil', package_count: 1 });
    expect(org.packages.map((p: any) => p.name)).toEqual(['penduduk-kecamatan']);
    expect((await ckanGet(f.server, 'organization_show', { id: 'dinkes' })).body.result.packages).toBeUndefined();
    expectError(await ckanGet(f.server, 'organization_show', { id: 'dinas-rahasia' }), 404, 'Not Found Error');
  });

  test('group_list: topics as groups with slug names', async () => {
    expect(expectEnvelope((await ckanGet(f.server, 'group_list', { sort: 'name asc' })).body, 'group_list')).toEqual([
      'kependudukan',
      'kesehatan',
      'lingkungan-hidup',
      'pelayanan-publik',
      'pendidikan',
    ]);
    const full = (await ckanPost(f.server, 'group_list', { all_fields: true, sort: 'name asc', limit: 1, offset: 3 })).body.result;
    expect(full).toEqual([expect.objectContaining({ name: 'pelayanan-publik', title: 'pelayanan publik', package_count: 1, type: 'group' })]);
  });

  test('tag_list: tags of public datasets only, with a query filter', async () => {
    const tags = expectEnvelope((await ckanGet(f.server, 'tag_list')).body, 'tag_list');
    expect(tags).toEqual(['kesehatan', 'penduduk', 'puskesmas', 'ruang terbuka', 'sekolah', 'taman']);
    expect((await ckanGet(f.server, 'tag_list', { query: 'tam' })).body.result).toEqual(['taman']);
  });
});

describe('resource_show', () => {
  test('every resource of package_show can be shown by its id, and by the <dataset>.<format> alias', async () => {
    const pkg = (await ckanPost(f.server, 'package_show', { id: 'penduduk-kecamatan' })).body.result;
    for (const resource of pkg.resources) {
      const shown = await ckanGet(f.server, 'resource_show', { id: resource.id });
      expect(expectEnvelope(shown.body, 'resource_show')).toEqual(resource);
    }
    const alias = (await ckanPost(f.server, 'resource_show', { id: 'penduduk-kecamatan.parquet' })).body.result;
    expect(alias.id).toBe(pkg.resources[3].id);
    expect(alias).toMatchObject({ format: 'Parquet', size: expect.any(Number), mimetype: 'application/vnd.apache.parquet' });
  });

  test('unknown resource and a terbatas dataset\'s resource are both 404', async () => {
    expectError(await ckanGet(f.server, 'resource_show', { id: '00000000-0000-5000-8000-000000000000' }), 404, 'Not Found Error');
    expectError(await ckanGet(f.server, 'resource_show', { id: 'data-terbatas.csv' }), 404, 'Not Found Error');
    expectError(await ckanGet(f.server, 'resource_show', { id: resourceId('3273', 'data-terbatas', 'json') }), 404, 'Not Found Error');
  });
});
