import { describe, expect, test } from 'vitest';
import { CkanError, errorResponse, successResponse } from '../../src/lib/server/ckan/envelope.ts';
import { extras, packageDict, topicSlug } from '../../src/lib/server/ckan/package.ts';
import { bool, integer, json, list, readParams } from '../../src/lib/server/ckan/params.ts';
import { packageId, parseAlias, resolveResourceId, resourceId, uuidV5 } from '../../src/lib/server/ckan/resource-id.ts';
import { ckanType } from '../../src/lib/server/ckan/datastore-sql.ts';
import { detail, manifest, SITE } from './dcat-fixture.ts';

describe('resource ids', () => {
  test('uuidV5 matches RFC 9562 / Python uuid.uuid5', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(resourceId('3273', 'penduduk-kecamatan', 'csv')).toBe('7fa4ea5e-5270-595e-8db6-4eba40f7afa2');
  });

  test('ids are stable, differ per format, dataset and city', () => {
    const ids = new Set(['csv', 'json', 'parquet'].map((f) => resourceId('3273', 'a-b', f as 'csv')));
    expect(ids.size).toBe(3);
    expect(resourceId('3273', 'a-b', 'csv')).not.toBe(resourceId('3204', 'a-b', 'csv'));
  });

  test('aliases and ids resolve to dataset and format; anything else is null', () => {
    expect(parseAlias('penduduk-kecamatan.csv')).toEqual({ dataset: 'penduduk-kecamatan', format: 'csv' });
    expect(parseAlias('penduduk-kecamatan.exe')).toBeNull();
    expect(parseAlias('../etc.csv')).toBeNull();
    const id = resourceId('3273', 'taman-kota', 'xlsx');
    expect(resolveResourceId(id, '3273', ['penduduk-kecamatan', 'taman-kota'])).toEqual({ dataset: 'taman-kota', format: 'xlsx' });
    expect(resolveResourceId(id.toUpperCase(), '3273', ['taman-kota'])).toEqual({ dataset: 'taman-kota', format: 'xlsx' });
    expect(resolveResourceId(id, '3273', ['penduduk-kecamatan'])).toBeNull();
  });
});

describe('package dict', () => {
  test('maps the manifest to CKAN fields', () => {
    const pkg = packageDict(SITE, detail());
    expect(pkg).toMatchObject({
      id: packageId(SITE.regionCode, 'fasilitas-kesehatan'),
      name: 'fasilitas-kesehatan',
      title: 'Fasilitas Kesehatan',
      notes: 'Daftar fasilitas kesehatan.',
      url: 'https://data.example.go.id/datasets/fasilitas-kesehatan',
      license_id: 'cc-by',
      license_url: 'https://creativecommons.org/licenses/by/4.0/',
      isopen: true,
      metadata_created: '2025-06-01T00:00:00.000Z',
      metadata_modified: '2026-02-01T02:00:00.000Z',
      organization: { name: 'dinkes', title: 'Dinas Kesehatan' },
      groups: [{ name: 'kesehatan' }, { name: 'pelayanan-publik', title: 'pelayanan publik' }],
      tags: [{ name: 'puskesmas', display_name: 'puskesmas' }],
      num_resources: 6,
    });
    const resources = pkg.resources as Record<string, unknown>[];
    expect(resources.map((r) => r.url)).toEqual(
      ['csv', 'json', 'ndjson', 'parquet', 'arrow', 'xlsx'].map((f) => `https://data.example.go.id/api/v1/datasets/fasilitas-kesehatan/download.${f}`),
    );
    expect(resources.every((r) => r.datastore_active === true)).toBe(true);
  });

  test('an unknown licence keeps its SPDX id and is not called open', () => {
    expect(packageDict(SITE, detail(manifest({ license: 'LicenseRef-Kota' })))).toMatchObject({ license_id: 'LicenseRef-Kota', isopen: false });
  });

  test('extras carry the Satu Data fields as strings, leaving out what is absent', () => {
    const e = Object.fromEntries(extras(manifest({ standard_code: undefined, temporal_coverage: { start: '2024-01-01' } })).map((x) => [x.key, x.value]));
    expect(e).toMatchObject({ frequency: 'bulanan', temporal_start: '2024-01-01', spatial_region_code: '3273', synthetic: 'true', license_spdx: 'CC-BY-4.0' });
    expect(e).not.toHaveProperty('temporal_end');
    expect(e).not.toHaveProperty('standard_code');
  });

  test('topic slugs', () => {
    expect(topicSlug('Pelayanan Publik')).toBe('pelayanan-publik');
    expect(topicSlug('Keuangan  daerah!')).toBe('keuangan-daerah');
  });
});

describe('parameters', () => {
  test('integer, bool, json and list accept CKAN spellings and reject the rest with the field named', () => {
    expect(integer({ rows: '20' }, 'rows', 10)).toBe(20);
    expect(integer({ rows: 5000 }, 'rows', 10, { max: 1000 })).toBe(1000);
    expect(integer({}, 'rows', 10)).toBe(10);
    expect(() => integer({ rows: '1.5' }, 'rows', 10)).toThrow(CkanError);
    expect(bool({ a: 'True' }, 'a', false)).toBe(true);
    expect(bool({ a: false }, 'a', true)).toBe(false);
    expect(json({ f: '{"a":1}' }, 'f')).toEqual({ a: 1 });
    expect(list({ f: '["a", "b"]' }, 'f')).toEqual(['a', 'b']);
    expect(list({ f: 'a, b' }, 'f')).toEqual(['a', 'b']);
    expect(list({ f: ['a'] }, 'f')).toEqual(['a']);
    try {
      list({ f: '[1, 2]' }, 'f');
      expect.unreachable();
    } catch (error) {
      expect((error as CkanError).status).toBe(409);
      expect((error as CkanError).fields).toEqual({ f: ['Must be a list of strings'] });
    }
  });

  test('readParams: query string for GET (repeated keys become lists), JSON body for POST', async () => {
    const url = new URL('http://x/api/3/action/package_search?q=a&facet.field=organization&facet.field=tags');
    expect(await readParams(new Request(url), url)).toEqual({ q: 'a', 'facet.field': ['organization', 'tags'] });
    const post = new Request(url, { method: 'POST', body: JSON.stringify({ q: 'b', rows: 5 }), headers: { 'content-type': 'application/json' } });
    expect(await readParams(post, url)).toMatchObject({ q: 'b', rows: 5 });
    const form = (body: string) => new Request(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(await readParams(form('id=x&rows=2'), url)).toMatchObject({ id: 'x', rows: '2' });
    expect(await readParams(form('{"id": "y"}'), url)).toMatchObject({ id: 'y' });
    const bad = new Request(url, { method: 'POST', body: '[1]' });
    await expect(readParams(bad, url)).rejects.toMatchObject({ type: 'Bad request' });
  });
});

describe('envelope', () => {
  test('success and error shapes, with CKAN status codes', async () => {
    const ok = successResponse('https://d', 'package_list', ['a']);
    expect(await ok.json()).toEqual({ help: 'https://d/api/3/action/help_show?name=package_list', success: true, result: ['a'] });
    for (const [type, status] of [['Not Found Error', 404], ['Validation Error', 409], ['Authorization Error', 403], ['Bad request', 400]] as const) {
      const response = errorResponse('https://d', 'package_show', new CkanError(type, 'm', { id: ['Missing value'] }));
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({
        help: 'https://d/api/3/action/help_show?name=package_show',
        success: false,
        error: { __type: type, message: 'm', id: ['Missing value'] },
      });
    }
  });

  test('DuckDB types in CKAN datastore names', () => {
    expect(['BIGINT', 'HUGEINT', 'DOUBLE', 'DECIMAL(18,3)', 'BOOLEAN', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'VARCHAR', 'INTEGER[]'].map(ckanType)).toEqual([
      'int', 'int', 'numeric', 'numeric', 'bool', 'date', 'timestamp', 'text', 'text',
    ]);
  });
});
