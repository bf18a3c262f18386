import { describe, expect, test } from 'vitest';
import { DCAT_CONTEXT, dcatCatalog, dcatDataset, dcatDatasetDocument, lastPage } from '../../src/lib/server/opendata/dcat.ts';
import { detail, manifest, SITE } from './dcat-fixture.ts';
import { jsonLdProblems } from './dcat-jsonld.ts';

describe('DCAT-AP JSON-LD', () => {
  test('a dataset with publisher, licence, temporal, spatial, contact point and one distribution per format', () => {
    const node = dcatDataset(SITE, detail()) as Record<string, any>;
    expect(jsonLdProblems(node, DCAT_CONTEXT)).toEqual([]);
    expect(node).toMatchObject({
      '@id': 'https://data.example.go.id/datasets/fasilitas-kesehatan',
      '@type': 'dcat:Dataset',
      'dct:identifier': 'fasilitas-kesehatan',
      'dct:title': [{ '@value': 'Fasilitas Kesehatan', '@language': 'id' }, { '@value': 'Health Facilities', '@language': 'en' }],
      'dct:publisher': { '@type': 'foaf:Organization', 'dct:identifier': 'dinkes' },
      'dct:license': { '@id': 'https://creativecommons.org/licenses/by/4.0/' },
      'dct:temporal': { '@type': 'dct:PeriodOfTime', 'dcat:startDate': { '@value': '2024-01-01' }, 'dcat:endDate': { '@value': '2024-12-31' } },
      'dct:spatial': { '@type': 'dct:Location', 'dct:identifier': '3273' },
      'dcat:contactPoint': { '@type': 'vcard:Kind', 'vcard:fn': 'Tim Uji', 'vcard:hasEmail': { '@id': 'mailto:uji@example.go.id' } },
      'dct:accrualPeriodicity': { '@id': 'http://publications.europa.eu/resource/authority/frequency/MONTHLY' },
      'dct:issued': { '@value': '2025-06-01T00:00:00.000Z' },
      'dct:modified': { '@value': '2026-02-01T02:00:00.000Z' },
    });
    expect(node['dcat:theme']).toEqual([
      { '@id': 'http://publications.europa.eu/resource/authority/data-theme/HEAL' },
      { '@id': 'http://publications.europa.eu/resource/authority/data-theme/GOVE' },
    ]);
    expect(node['dct:provenance']).toEqual({ '@type': 'dct:ProvenanceStatement', 'rdfs:label': { '@value': 'Dinas Kesehatan', '@language': 'id' } });
    expect(node['dcat:distribution']).toHaveLength(6);
    expect(node['dcat:distribution'][3]).toMatchObject({
      '@type': 'dcat:Distribution',
      'dcat:downloadURL': { '@id': 'https://data.example.go.id/api/v1/datasets/fasilitas-kesehatan/download.parquet' },
      'dct:format': { '@id': 'http://publications.europa.eu/resource/authority/file-type/PARQUET' },
    });
  });

  test('a dataset without an end date or English title', () => {
    const node = dcatDatasetDocument(SITE, detail(manifest({ title_en: undefined, temporal_coverage: { start: '2020-01-01' } }))) as Record<string, any>;
    expect(node['@context']).toBe(DCAT_CONTEXT);
    expect(node['dct:title']).toEqual({ '@value': 'Fasilitas Kesehatan', '@language': 'id' });
    expect(node['dct:temporal']).not.toHaveProperty('dcat:endDate');
  });

  test('the catalog page lists its datasets and links pages as a hydra:PagedCollection', () => {
    const details = ['a-1', 'b-2'].map((id) => detail(manifest({}, id)));
    const doc = dcatCatalog(SITE, details, { page: 2, perPage: 2, total: 5 }) as Record<string, any>;
    expect(jsonLdProblems(doc, DCAT_CONTEXT)).toEqual([]);
    const [catalog, paging, ...datasets] = doc['@graph'];
    expect(catalog).toMatchObject({ '@type': 'dcat:Catalog', 'dcat:dataset': [{ '@id': 'https://data.example.go.id/datasets/a-1' }, { '@id': 'https://data.example.go.id/datasets/b-2' }] });
    expect(paging).toEqual({
      '@id': 'https://data.example.go.id/catalog.jsonld?page=2',
      '@type': 'hydra:PagedCollection',
      'hydra:itemsPerPage': 2,
      'hydra:totalItems': 5,
      'hydra:firstPage': 'https://data.example.go.id/catalog.jsonld?page=1',
      'hydra:lastPage': 'https://data.example.go.id/catalog.jsonld?page=3',
      'hydra:nextPage': 'https://data.example.go.id/catalog.jsonld?page=3',
      'hydra:previousPage': 'https://data.example.go.id/catalog.jsonld?page=1',
    });
    expect(datasets.map((d: any) => d['@type'])).toEqual(['dcat:Dataset', 'dcat:Dataset']);
    expect(lastPage(0, 100)).toBe(1);
    expect(lastPage(100, 100)).toBe(1);
    expect(lastPage(101, 100)).toBe(2);
  });
});
