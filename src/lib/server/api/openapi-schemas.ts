import { FIELD_TYPES } from '../lake/schema.ts';
import { DOWNLOAD_FORMATS } from './datasets.ts';

/** Response schemas of the OpenAPI document (./openapi.ts), in JSON Schema 2020-12 as OpenAPI 3.1 uses. */
const str = { type: 'string' };
const int = { type: 'integer' };
const nullable = (type: string) => ({ type: [type, 'null'] });
const url = { type: 'string', format: 'uri' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const links = {
  type: 'object',
  required: ['self', 'html', 'rows', 'downloads'],
  properties: {
    self: url,
    html: url,
    rows: url,
    downloads: { type: 'object', properties: Object.fromEntries(DOWNLOAD_FORMATS.map((f) => [f, url])) },
  },
};

const organization = {
  type: 'object',
  required: ['code', 'name'],
  properties: { code: str, name: str, name_en: nullable('string') },
};

const quality = {
  type: 'object',
  properties: {
    score: int,
    max: int,
    criteria: { type: 'array', items: { type: 'object', properties: { key: str, met: { type: 'boolean' } } } },
  },
};

const datasetSummary = {
  type: 'object',
  required: ['id', 'title', 'organization', 'version', 'rows', 'links'],
  properties: {
    id: str,
    title: str,
    title_en: nullable('string'),
    description: str,
    description_en: nullable('string'),
    organization,
    topics: { type: 'array', items: str },
    tags: { type: 'array', items: str },
    license: { ...str, description: 'SPDX id' },
    synthetic: { type: 'boolean', description: 'Generated sample data, not real figures.' },
    version: str,
    published_at: { type: 'string', format: 'date-time' },
    rows: int,
    bytes: int,
    quality,
    downloads: int,
    score: { type: 'number', description: 'Relevance, with q only.' },
    links,
  },
};

const field = {
  type: 'object',
  required: ['name', 'type', 'title'],
  properties: {
    name: str,
    type: { type: 'string', enum: FIELD_TYPES },
    title: str,
    title_en: str,
    description: str,
    unit: str,
    constraints: { type: 'object' },
  },
};

export const schemas = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['status', 'message'],
        properties: {
          status: int,
          message: { ...str, description: 'What went wrong and what to do about it.' },
          problems: {
            type: 'array',
            items: { type: 'object', required: ['parameter', 'message'], properties: { parameter: str, message: str } },
          },
        },
      },
    },
    example: { error: { status: 400, message: 'column "jumlah" is integer: expected a whole number, found "banyak"', problems: [{ parameter: 'jumlah__gte', message: 'column "jumlah" is integer: expected a whole number, found "banyak"' }] } },
  },
  DatasetSummary: datasetSummary,
  DatasetList: {
    type: 'object',
    required: ['total', 'page', 'per_page', 'results', 'facets', 'next', 'prev'],
    properties: {
      total: int,
      page: int,
      per_page: int,
      results: { type: 'array', items: ref('DatasetSummary') },
      facets: {
        type: 'object',
        description: 'Per facet (organization, topic, tag, format, license, update_frequency, classification): values with counts.',
        additionalProperties: { type: 'array', items: { type: 'object', properties: { value: str, count: int } } },
      },
      next: nullable('string'),
      prev: nullable('string'),
    },
  },
  DatasetDetail: {
    type: 'object',
    required: ['id', 'version', 'title', 'schema', 'profile', 'versions', 'links'],
    properties: {
      ...datasetSummary.properties,
      update_frequency: str,
      contact_point: { type: 'object', properties: { name: str, email: str } },
      temporal_coverage: { type: 'object', properties: { start: str, end: str } },
      spatial_coverage: { type: 'object', properties: { name: str, region_code: str } },
      data_type: str,
      classification: str,
      presentation_level: str,
      standard_code: str,
      source_attribution: str,
      language: str,
      sha256: str,
      schema: { type: 'object', properties: { fields: { type: 'array', items: field }, primary_key: { type: 'array', items: str } } },
      profile: { type: 'array', items: { type: 'object', description: 'Per column: nulls, distinct, min, max, mean, top values.' } },
      checks: { type: 'array', items: { type: 'object', properties: { name: str, type: str, severity: str, status: str, failures: int } } },
      charts: { type: 'array', items: { type: 'object' } },
      lineage: { type: 'object' },
      versions: {
        type: 'array',
        items: {
          type: 'object',
          properties: { version: str, published_at: str, rows: int, bytes: int, sha256: str, run_id: nullable('string'), current: { type: 'boolean' }, links },
        },
      },
    },
  },
  RowsPage: {
    type: 'object',
    required: ['dataset', 'version', 'columns', 'total', 'rows', 'next'],
    properties: {
      dataset: str,
      version: str,
      columns: { type: 'array', items: { type: 'object', properties: { name: str, type: { type: 'string', enum: FIELD_TYPES } } } },
      total: { ...int, description: 'Rows matching the filters (exact).' },
      rows: { type: 'array', items: { type: 'object', description: 'One row: column name → value.' } },
      next: { type: ['string', 'null'], format: 'uri', description: 'URL of the next page; null on the last page.' },
    },
  },
  Facets: {
    type: 'object',
    required: ['dataset', 'version', 'total', 'facets', 'suggested'],
    properties: {
      dataset: str,
      version: str,
      total: { ...int, description: 'Rows matching the filters (exact).' },
      facets: {
        type: 'array',
        items: {
          type: 'object',
          required: ['column', 'kind'],
          properties: {
            column: str,
            kind: { type: 'string', enum: ['values', 'histogram'] },
            values: { type: 'array', items: { type: 'object', properties: { value: { description: 'The value as the rows API gives it; null for missing values.' }, count: int } } },
            truncated: { type: 'boolean', description: 'More distinct values exist than are listed.' },
            bins: { type: 'array', items: { type: 'object', properties: { from: str, to: str, count: int } } },
            unit: { type: ['string', 'null'], description: 'Calendar unit of date bins (hour, day, month, year); null for numbers.' },
          },
        },
      },
      suggested: { type: 'array', items: str, description: 'Columns with few distinct values, worth a facet.' },
    },
  },
  SqlResult: {
    type: 'object',
    required: ['columns', 'rows', 'truncated', 'elapsed_ms'],
    properties: {
      columns: { type: 'array', items: { type: 'object', properties: { name: str, type: { ...str, description: 'DuckDB type' } } } },
      rows: { type: 'array', items: { type: 'object' } },
      truncated: { type: 'boolean', description: 'True when the result had more rows than max_rows.' },
      elapsed_ms: int,
    },
  },
  OrganizationList: {
    type: 'object',
    properties: { organizations: { type: 'array', items: { ...organization, properties: { ...organization.properties, datasets: int, links: { type: 'object' } } } } },
  },
  TopicList: {
    type: 'object',
    properties: { topics: { type: 'array', items: { type: 'object', properties: { topic: str, datasets: int, links: { type: 'object' } } } } },
  },
};
