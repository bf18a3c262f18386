import type { DatasetDetail } from '../catalog/queries.ts';
import { datasetPageUrl, DOWNLOAD_FORMATS, downloadUrl, FORMAT_INFO } from './formats.ts';
import { licenseInfo } from './licenses.ts';
import { EU, FREQUENCY, LANGUAGE, themeIris } from './dcat-vocabulary.ts';
import type { Site } from './site.ts';

/**
 * DCAT-AP (2.x/3.0) as JSON-LD: what EU-style and CKAN DCAT harvesters (ckanext-dcat) read. Vocabulary
 * IRIs come from the EU Publications Office authority tables where DCAT-AP asks for them (frequency,
 * language, file type, access right). The catalog is paged like ckanext-dcat: a hydra:PagedCollection node.
 */
export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  locn: 'http://www.w3.org/ns/locn#',
  owl: 'http://www.w3.org/2002/07/owl#',
  adms: 'http://www.w3.org/ns/adms#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
};

export const CATALOG_PAGE_SIZE = 100;

type Node = Record<string, unknown>;

const literal = (value: string, language: string) => ({ '@value': value, '@language': language });
const typed = (value: string, type: string) => ({ '@value': value, '@type': type });
const ref = (iri: string) => ({ '@id': iri });

/** Text in Bahasa Indonesia, plus English when the manifest has it. */
function texts(id: string, en: string | null | undefined): Node | Node[] {
  return en ? [literal(id, 'id'), literal(en, 'en')] : literal(id, 'id');
}

export function publisherNode(site: Site, code: string): Node {
  const opd = site.opd(code);
  return {
    '@id': `${site.base}/organizations/${encodeURIComponent(code)}`,
    '@type': 'foaf:Organization',
    'foaf:name': texts(opd.name, opd.name_en),
    'dct:identifier': code,
  };
}

export function datasetIri(site: Site, id: string): string {
  return datasetPageUrl(site.base, id);
}

/** One dcat:Dataset with a dcat:Distribution per download format. */
export function dcatDataset(site: Site, detail: DatasetDetail): Node {
  const m = detail.manifest;
  const meta = m.metadata;
  const iri = datasetIri(site, m.dataset);
  const license = licenseInfo(meta.license);
  const licenseRef = ref(license.url ?? `${site.base}/licenses/${encodeURIComponent(license.spdx)}`);
  const issued = detail.versions.at(-1)?.published_at ?? m.published_at;
  const temporal: Node = { '@type': 'dct:PeriodOfTime', 'dcat:startDate': typed(meta.temporal_coverage.start, 'xsd:date') };
  if (meta.temporal_coverage.end) temporal['dcat:endDate'] = typed(meta.temporal_coverage.end, 'xsd:date');
  return {
    '@id': iri,
    '@type': 'dcat:Dataset',
    'dct:identifier': m.dataset,
    'dct:title': texts(meta.title, meta.title_en),
    'dct:description': texts(meta.description, meta.description_en),
    'dcat:keyword': (meta.tags ?? []).map((tag) => literal(tag, meta.language ?? 'id')),
    'dcat:theme': themeIris(site, meta.topics ?? []).map(ref),
    'dct:publisher': publisherNode(site, meta.organization),
    'dcat:contactPoint': {
      '@type': 'vcard:Kind',
      'vcard:fn': meta.contact_point.name,
      'vcard:hasEmail': ref(`mailto:${meta.contact_point.email}`),
    },
    'dct:license': licenseRef,
    'dct:accessRights': ref(`${EU}/access-right/PUBLIC`),
    'dct:issued': typed(issued, 'xsd:dateTime'),
    'dct:modified': typed(m.published_at, 'xsd:dateTime'),
    'dct:temporal': temporal,
    'dct:spatial': {
      '@type': 'dct:Location',
      'skos:prefLabel': literal(meta.spatial_coverage.name, 'id'),
      'dct:identifier': meta.spatial_coverage.region_code,
      'locn:geographicName': meta.spatial_coverage.name,
    },
    'dct:accrualPeriodicity': ref(`${EU}/frequency/${FREQUENCY[meta.update_frequency] ?? 'UNKNOWN'}`),
    'dct:language': ref(`${EU}/language/${LANGUAGE[meta.language ?? 'id'] ?? 'IND'}`),
    'dct:provenance': { '@type': 'dct:ProvenanceStatement', 'rdfs:label': literal(meta.source_attribution, 'id') },
    'dcat:landingPage': ref(iri),
    'owl:versionInfo': m.version,
    'adms:versionNotes': meta.synthetic ? literal('Data sintetis (contoh), bukan statistik resmi.', 'id') : undefined,
    'dcat:distribution': DOWNLOAD_FORMATS.map((format) => {
      const info = FORMAT_INFO[format];
      const url = downloadUrl(site.base, m.dataset, format);
      const node: Node = {
        '@id': `${iri}#distribution-${format}`,
        '@type': 'dcat:Distribution',
        'dct:title': texts(`${meta.title} (${info.label})`, meta.title_en ? `${meta.title_en} (${info.label})` : null),
        'dcat:accessURL': ref(url),
        'dcat:downloadURL': ref(url),
        'dcat:mediaType': ref(`https://www.iana.org/assignments/media-types/${info.mediaType}`),
        'dct:format': ref(`${EU}/file-type/${info.euFileType}`),
        'dct:license': licenseRef,
        'dct:modified': typed(m.published_at, 'xsd:dateTime'),
      };
      return node;
    }),
  };
}

export interface CatalogPage {
  page: number;
  perPage: number;
  total: number;
}

export function lastPage(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

/** The whole catalog, one page of datasets at a time, as a JSON-LD @graph. */
export function dcatCatalog(site: Site, details: DatasetDetail[], paging: CatalogPage): Node {
  const pageUrl = (n: number) => `${site.base}/catalog.jsonld?page=${n}`;
  const last = lastPage(paging.total, paging.perPage);
  const datasets = details.map((d) => dcatDataset(site, d));
  const collection: Node = {
    '@id': pageUrl(paging.page),
    '@type': 'hydra:PagedCollection',
    'hydra:itemsPerPage': paging.perPage,
    'hydra:totalItems': paging.total,
    'hydra:firstPage': pageUrl(1),
    'hydra:lastPage': pageUrl(last),
  };
  if (paging.page < last) collection['hydra:nextPage'] = pageUrl(paging.page + 1);
  if (paging.page > 1) collection['hydra:previousPage'] = pageUrl(paging.page - 1);
  const catalog: Node = {
    '@id': `${site.base}/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': literal(site.portalName, 'id'),
    'dct:description': literal(`Katalog data terbuka ${site.cityName}`, 'id'),
    'dct:publisher': {
      '@id': `${site.base}/#publisher`,
      '@type': 'foaf:Organization',
      'foaf:name': site.contact.name,
      'foaf:mbox': ref(`mailto:${site.contact.email}`),
    },
    'dct:spatial': { '@type': 'dct:Location', 'dct:identifier': site.regionCode, 'skos:prefLabel': literal(site.cityName, 'id') },
    'dct:language': ref(`${EU}/language/IND`),
    'foaf:homepage': ref(`${site.base}/`),
    'dcat:dataset': datasets.map((d) => ref(String(d['@id']))),
  };
  return { '@context': DCAT_CONTEXT, '@graph': [catalog, collection, ...datasets] };
}

/** A single dataset document (`/datasets/<id>.jsonld`). */
export function dcatDatasetDocument(site: Site, detail: DatasetDetail): Node {
  return { '@context': DCAT_CONTEXT, ...dcatDataset(site, detail) };
}
