import { beforeAll, describe, expect, test } from 'vitest';
import type { Manifest } from '../../src/lib/server/lake/manifest.ts';
import { buildSearchIndex, type CatalogSearchIndex, type SearchParams } from '../../src/lib/server/catalog/search-index.ts';
import { parseSearchParams, searchUrl } from '../../src/lib/server/catalog/search-params.ts';
import { findOpd } from '../../src/lib/server/config/deployment.ts';
import { demoManifests, manifestFromSpec, tinySpec } from '../helpers/catalog-manifests.ts';

/** Search over the real demo catalog (every pipeline spec in pipelines/), plus small hand-made cases for ranking rules. */
const now = new Date('2026-01-20T00:00:00.000Z');
const context = { downloads: new Map<string, number>(), now };
let manifests: Manifest[];
let index: CatalogSearchIndex;

const names = (code: string) => {
  const opd = findOpd(code);
  return opd ? [opd.name, opd.name_en ?? ''] : [];
};
const ids = (params: Omit<SearchParams, 'locale'>, idx = index) =>
  idx.search({ locale: 'id', perPage: 100, ...params }, context).results.map((r) => r.id);

beforeAll(() => {
  manifests = demoManifests().filter((m) => m.metadata.classification === 'terbuka');
  index = buildSearchIndex(manifests, names);
});

describe('text matching', () => {
  test.each([
    ['penduduk', 'exact word'],
    ['pendudu', 'prefix'],
    ['pendudk', 'one letter missing'],
    ['pendyduk', 'one letter wrong'],
    ['PENDUDUK', 'upper case'],
    ['population', 'English title'],
  ])('"%s" (%s) finds the population datasets first', (q) => {
    // Two real population datasets: per kelurahan and the density per kecamatan.
    expect(ids({ q }).slice(0, 2).sort()).toEqual(['kepadatan-penduduk-kecamatan', 'penduduk-kelurahan']);
  });

  test('two words find the dataset that has both first', () => {
    expect(ids({ q: 'jenis kelamin' })[0]).toBe('penduduk-kelurahan');
  });

  test('a column name in snake_case is found by one of its words', () => {
    expect(ids({ q: 'pm25' })).toContain('kualitas-udara-harian');
    expect(ids({ q: 'pm10' })[0]).toBe('kualitas-udara-harian');
  });

  test('the OPD name finds its datasets, in either language', () => {
    const health = manifests.filter((m) => m.metadata.organization === 'dinkes').map((m) => m.dataset).sort();
    expect(ids({ q: 'Dinas Kesehatan' }).slice(0, health.length).sort()).toEqual(health);
    expect(ids({ q: 'health agency' }).slice(0, health.length).sort()).toEqual(health);
  });

  test('English words find datasets through their English title and description', () => {
    expect(ids({ q: 'air quality' })[0]).toBe('kualitas-udara-harian');
    expect(ids({ q: 'schools' })[0]).toBe('sekolah-per-kecamatan');
  });

  test('a query that matches nothing returns no results and zero facet counts', () => {
    const result = index.search({ q: 'xyzzyqwerty', locale: 'id' }, context);
    expect(result.total).toBe(0);
    expect(result.results).toEqual([]);
    expect(result.facets.organization).toEqual([]);
  });

  test('when not every word matches, any word may (a stray word does not empty the page)', () => {
    expect(ids({ q: 'sekolah xyzzyqwerty' })).toContain('sekolah-per-kecamatan');
  });
});

describe('ranking: title > tags > description > columns', () => {
  const spec = (over: Parameters<typeof tinySpec>[0]) => tinySpec(over);
  const field = (description: string) => [{ name: 'nilai', type: 'integer' as const, title: 'Nilai', description }];
  const small = buildSearchIndex([
    manifestFromSpec('in-columns', spec({ title: 'Data satu', schema: { fields: field('Jumlah angkot di terminal'), primary_key: [] } })),
    manifestFromSpec('in-description', spec({ title: 'Data dua', description: 'Rekap angkot yang beroperasi setiap hari di kota.' })),
    manifestFromSpec('in-tags', spec({ title: 'Data tiga', tags: ['angkot'] })),
    manifestFromSpec('in-title', spec({ title: 'Trayek angkot kota' })),
  ]);

  test('each field outranks the next', () => {
    expect(ids({ q: 'angkot' }, small)).toEqual(['in-title', 'in-tags', 'in-description', 'in-columns']);
  });

  test('an exact word outranks a prefix and a typo', () => {
    const idx = buildSearchIndex([
      manifestFromSpec('typo', spec({ title: 'Data taman kata' })),
      manifestFromSpec('prefix', spec({ title: 'Data taman kotamadya' })),
      manifestFromSpec('exact', spec({ title: 'Data taman kota' })),
    ]);
    expect(ids({ q: 'kota' }, idx)[0]).toBe('exact');
  });
});

describe('facets', () => {
  test('counts per value over the matched set, largest first', () => {
    const result = index.search({ locale: 'id' }, context);
    expect(result.total).toBe(manifests.length);
    const byOrg = new Map<string, number>();
    for (const m of manifests) byOrg.set(m.metadata.organization, (byOrg.get(m.metadata.organization) ?? 0) + 1);
    expect(Object.fromEntries(result.facets.organization.map((f) => [f.value, f.count]))).toEqual(Object.fromEntries(byOrg));
    const counts = result.facets.organization.map((f) => f.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // Every dataset can be downloaded in every export format; CSV is also the demo sources' format.
    expect(result.facets.format.find((f) => f.value === 'parquet')?.count).toBe(manifests.length);
    expect(result.facets.classification).toEqual([{ value: 'terbuka', count: manifests.length }]);
  });

  test('counts follow the text query', () => {
    const result = index.search({ q: 'kesehatan', locale: 'id' }, context);
    const total = result.facets.organization.reduce((sum, f) => sum + f.count, 0);
    expect(total).toBe(result.total);
    expect(result.facets.organization[0]?.value).toBe('dinkes');
  });

  test('a filter narrows the results; its own facet keeps the other values (OR within a facet)', () => {
    const result = index.search({ locale: 'id', filters: { organization: ['dlh'] } }, context);
    expect(result.results.every((r) => r.organization === 'dlh')).toBe(true);
    expect(result.total).toBe(manifests.filter((m) => m.metadata.organization === 'dlh').length);
    expect(result.facets.organization.length).toBeGreaterThan(1);
    const both = index.search({ locale: 'id', filters: { organization: ['dlh', 'dinkes'] } }, context);
    expect(both.total).toBe(manifests.filter((m) => ['dlh', 'dinkes'].includes(m.metadata.organization)).length);
    // Other facets count only within the selection.
    expect(result.facets.topic.reduce((s, f) => Math.max(s, f.count), 0)).toBeLessThanOrEqual(result.total);
  });

  test('filters across facets combine with AND; a selected value with no match stays listed with 0', () => {
    const result = index.search({ locale: 'id', filters: { organization: ['dlh'], topic: ['pendidikan'] } }, context);
    expect(result.total).toBe(0);
    expect(result.facets.topic.find((f) => f.value === 'pendidikan')).toEqual({ value: 'pendidikan', count: 0 });
    expect(result.facets.organization.find((f) => f.value === 'dlh')).toEqual({ value: 'dlh', count: 0 });
  });
});

describe('sorting and paging', () => {
  const dated = [
    manifestFromSpec('b-old', tinySpec({ title: 'Beta' }), { publishedAt: '2025-01-01T00:00:00Z' }),
    manifestFromSpec('a-new', tinySpec({ title: 'Alfa' }), { publishedAt: '2026-01-01T00:00:00Z' }),
    manifestFromSpec('c-mid', tinySpec({ title: 'Gamma' }), { publishedAt: '2025-06-01T00:00:00Z' }),
  ];
  const idx = buildSearchIndex(dated);

  test('name, recently updated and most downloaded', () => {
    expect(ids({ sort: 'name' }, idx)).toEqual(['a-new', 'b-old', 'c-mid']);
    expect(ids({ sort: 'updated' }, idx)).toEqual(['a-new', 'c-mid', 'b-old']);
    const downloads = new Map([['b-old', 7], ['c-mid', 2]]);
    expect(idx.search({ sort: 'downloads', locale: 'id' }, { downloads, now }).results.map((r) => [r.id, r.downloads])).toEqual([
      ['b-old', 7],
      ['c-mid', 2],
      ['a-new', 0],
    ]);
  });

  test('pages hold perPage results, the total counts them all', () => {
    const page1 = idx.search({ sort: 'name', perPage: 2, page: 1, locale: 'id' }, context);
    const page2 = idx.search({ sort: 'name', perPage: 2, page: 2, locale: 'id' }, context);
    expect([page1.total, page2.total]).toEqual([3, 3]);
    expect(page1.results.map((r) => r.id)).toEqual(['a-new', 'b-old']);
    expect(page2.results.map((r) => r.id)).toEqual(['c-mid']);
    expect(idx.search({ perPage: 2, page: 9, locale: 'id' }, context).results).toEqual([]);
  });

  test('hits carry the reader-language title and a quality score', () => {
    const [hit] = index.search({ q: 'pendudu', locale: 'en' }, context).results;
    expect(hit?.title).toMatch(/Population/);
    expect(hit?.quality.max).toBe(9);
  });
});

describe('the URL holds the whole state', () => {
  test('parse and print round-trip, repeated keys and comma lists both select several values', () => {
    const url = new URLSearchParams('q=pendudu&organization=dlh&organization=dinkes&topic=a,b&sort=name&page=2&lang=en');
    const params = parseSearchParams(url, 'id');
    expect(params).toMatchObject({ q: 'pendudu', sort: 'name', page: 2, filters: { organization: ['dlh', 'dinkes'], topic: ['a', 'b'] } });
    expect(searchUrl(params)).toBe('/datasets?q=pendudu&organization=dlh&organization=dinkes&topic=a&topic=b&sort=name&page=2');
  });

  test('bad values fall back to defaults', () => {
    const params = parseSearchParams(new URLSearchParams('sort=drop&page=-3&per_page=100000'), 'id');
    expect(params).toMatchObject({ sort: 'relevance', page: 1, perPage: 100 });
    expect(searchUrl(params)).toBe('/datasets?per_page=100');
  });
});

test('the site messages have the same keys in both languages', async () => {
  const { allDictionaries } = await import('../../src/lib/i18n/index.ts');
  const { id, en } = allDictionaries.site!;
  expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
});
