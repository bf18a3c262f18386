import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packageId } from '../../src/lib/server/ckan/resource-id.ts';
import { CkanApiError, pythonJsonDumps, RemoteCkan } from '../helpers/ckanapi.ts';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { removeDir, waitFor } from '../helpers/temp.ts';
import { PUBLIC_IDS, startCkanFixture, type CkanFixture } from './ckan-fixture.ts';

/**
 * A real CKAN client's calls (ckanapi 4.11, replayed request for request by tests/helpers/ckanapi.ts), in both of
 * its modes, and the fidelity of what they get back: stable UUID package ids with the slug as name (both accepted),
 * resources with size, sha256 hash, format, mimetype and last_modified, and the version history.
 */
let f: CkanFixture;

beforeAll(async () => {
  f = await startCkanFixture();
  // A second version of one dataset, for the revision list.
  await publishTestVersion(path.join(f.root, 'data'), {
    id: 'taman-kota',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Coblong', jumlah_penduduk: 4 }, { kecamatan: 'Andir', jumlah_penduduk: 2 }],
    publishedAt: '2026-04-01T02:00:00.000Z',
    metadata: { title: 'Taman Kota', title_en: 'City Parks', organization: 'dpkp', topics: ['lingkungan hidup'], tags: ['taman', 'ruang terbuka'] },
  });
  const ckan = new RemoteCkan(f.server.url);
  await waitFor(async () => (await ckan.callAction('package_revision_list', { id: 'taman-kota' })).length === 2, { timeoutMs: 10_000, what: 'the second version' });
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

test('the replay encodes a body exactly as Python\'s json.dumps does', () => {
  expect(pythonJsonDumps({ id: 'x', filters: { kecamatan: 'Cidadap' }, rows: 5, ok: true, q: 'ñ' })).toBe('{"id": "x", "filters": {"kecamatan": "Cidadap"}, "rows": 5, "ok": true, "q": "\\u00f1"}');
});

describe.each([
  ['POST with a JSON body (the default)', false],
  ['GET with query parameters (get_only)', true],
])('ckanapi RemoteCKAN, %s', (_mode, getOnly) => {
  const ckan = () => new RemoteCkan(f.server.url, { getOnly });

  test('package_list', async () => {
    expect(await ckan().callAction('package_list')).toEqual(PUBLIC_IDS);
  });

  test('package_search with facets', async () => {
    const result = await ckan().callAction('package_search', { q: 'kesehatan', 'facet.field': getOnly ? '["organization", "tags"]' : ['organization', 'tags'], rows: 10 });
    expect(result.count).toBe(1);
    expect(result.results.map((p: any) => p.name)).toEqual(['fasilitas-kesehatan']);
    expect(result.search_facets.organization.items).toEqual([{ name: 'dinkes', display_name: 'Dinas Kesehatan', count: 1 }]);
    expect(result.facets.tags).toEqual({ kesehatan: 1, puskesmas: 1 });
  });

  test('package_show by name and by id', async () => {
    const byName = await ckan().callAction('package_show', { id: 'penduduk-kecamatan' });
    expect(byName.name).toBe('penduduk-kecamatan');
    expect(byName.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await ckan().callAction('package_show', { id: byName.id })).toEqual(byName);
  });

  test('datastore_search with filters', async () => {
    const result = await ckan().callAction('datastore_search', {
      resource_id: 'fasilitas-kesehatan.csv',
      filters: getOnly ? '{"kecamatan": "Cidadap", "aktif": true}' : { kecamatan: 'Cidadap', aktif: true },
      limit: 3,
      sort: 'nama',
    });
    expect(result.records.map((r: any) => [r.nama, r.kecamatan, r.aktif])).toEqual([
      ['Faskes 003', 'Cidadap', true],
      ['Faskes 008', 'Cidadap', true],
      ['Faskes 018', 'Cidadap', true],
    ]);
    expect(result.total).toBe(34);
  });

  test('organization_list with all_fields, group_list, tag_list', async () => {
    const orgs = await ckan().callAction('organization_list', { all_fields: true });
    expect(orgs.find((o: any) => o.name === 'dinkes')).toMatchObject({ title: 'Dinas Kesehatan', package_count: 1, is_organization: true });
    expect((await ckan().callAction('group_list')).sort()).toEqual(['kependudukan', 'kesehatan', 'lingkungan-hidup', 'pelayanan-publik', 'pendidikan']);
    expect(await ckan().callAction('tag_list')).toContain('puskesmas');
  });

  test('a not-found id raises NotFound, as from a real CKAN', async () => {
    const error = await ckan().callAction('package_show', { id: 'tidak-ada' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CkanApiError);
    expect((error as CkanApiError).kind).toBe('NotFound');
    expect((error as CkanApiError).message).toBe('dataset "tidak-ada"');
    const restricted = await ckan().callAction('package_show', { id: packageId('3273', 'data-terbatas') }).catch((e: unknown) => e);
    expect((restricted as CkanApiError).kind).toBe('NotFound');
    const invalid = await ckan().callAction('datastore_search', { resource_id: 'penduduk-kecamatan.csv', limit: 'banyak' }).catch((e: unknown) => e);
    expect((invalid as CkanApiError).kind).toBe('ValidationError');
    expect((invalid as CkanApiError).error.limit).toEqual(['Invalid integer']);
  });
});

describe('CKAN fidelity (issue 10)', () => {
  const ckan = () => new RemoteCkan(f.server.url);

  test('the package id is a UUID derived from the dataset id: the same on every server, accepted wherever CKAN takes an id', async () => {
    const pkg = await ckan().callAction('package_show', { id: 'fasilitas-kesehatan' });
    expect(pkg.id).toBe(packageId('3273', 'fasilitas-kesehatan'));
    expect(pkg.id).not.toBe(packageId('3204', 'fasilitas-kesehatan'));
    for (const resource of pkg.resources) expect(resource.package_id).toBe(pkg.id);
    const search = await ckan().callAction('package_search', { fq: `id:${pkg.id}` });
    expect(search.results.map((p: any) => p.name)).toEqual(['fasilitas-kesehatan']);
    expect((await ckan().callAction('package_search', { fq: 'name:fasilitas-kesehatan' })).count).toBe(1);
    expect((await ckan().callAction('package_revision_list', { id: pkg.id })).length).toBe(1);
  });

  test('resources carry format, mimetype, last_modified, and size and sha256 hash of the very file served', async () => {
    const pkg = await ckan().callAction('package_show', { id: 'penduduk-kecamatan' });
    const parquet = pkg.resources.find((r: any) => r.format === 'Parquet');
    expect(parquet).toMatchObject({ mimetype: 'application/vnd.apache.parquet', last_modified: '2026-01-15T02:00:00.000Z' });
    const served = Buffer.from(await (await fetch(parquet.url)).arrayBuffer());
    expect(parquet.size).toBe(served.length);
    expect(parquet.hash).toBe(`sha256:${createHash('sha256').update(served).digest('hex')}`);
    // A CSV is written on its first download and kept; from then on its size and hash are known.
    const csv = pkg.resources.find((r: any) => r.format === 'CSV');
    expect(csv.mimetype).toBe('text/csv');
    const csvBytes = Buffer.from(await (await fetch(csv.url, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
    const measured = await waitFor(async () => {
      const shown = (await ckan().callAction('resource_show', { id: csv.id }));
      return shown.hash ? shown : null;
    }, { what: 'the CSV resource hash' });
    expect(measured.size).toBe(csvBytes.length);
    expect(measured.hash).toBe(`sha256:${createHash('sha256').update(csvBytes).digest('hex')}`);
  });

  test('package_revision_list: each published version, newest first, with its hash and its own download', async () => {
    const revisions = await ckan().callAction('package_revision_list', { id: 'taman-kota' });
    expect(revisions.map((r: any) => [r.timestamp, r.rows])).toEqual([
      ['2026-04-01T02:00:00.000Z', 2],
      ['2025-12-01T02:00:00.000Z', 1],
    ]);
    const oldest = revisions[1];
    const file = Buffer.from(await (await fetch(oldest.url)).arrayBuffer());
    expect(oldest.hash).toBe(`sha256:${createHash('sha256').update(file).digest('hex')}`);
  });
});
