import { SORTS, MAX_PER_PAGE } from '../catalog/search.ts';
import { OPERATORS } from '../query/filters.ts';
import { MAX_PAGE_SIZE } from '../query/rows.ts';
import { SQL_LIMITS } from '../query/sandbox.ts';
import { SEARCH_FILTERS } from './catalog.ts';
import { DOWNLOAD_FORMATS } from './datasets.ts';
import { DEFAULT_PAGE_SIZE } from './rows.ts';
import { schemas } from './openapi-schemas.ts';

/**
 * The OpenAPI 3.1 description of /api/v1, written by hand next to the code it describes; a test checks
 * that every route file under src/pages/api/v1 has a path here. Limits come from the modules that apply them.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { $ref: `#/components/responses/Error${code}` }]));

const idParam = { name: 'id', in: 'path', required: true, description: 'Dataset id, e.g. `penduduk-kelurahan`.', schema: { type: 'string' } };
const versionParam = { name: 'version', in: 'path', required: true, description: 'A published version id (see `versions` of the dataset).', schema: { type: 'string' } };
const formatParam = { name: 'format', in: 'path', required: true, description: 'File format.', schema: { type: 'string', enum: DOWNLOAD_FORMATS } };

const rowQueryParams = [
  { name: 'q', in: 'query', description: 'Text search over the text columns (case-insensitive substring).', schema: { type: 'string' } },
  { name: '_sort', in: 'query', description: 'Sort column; prefix with `-` for descending (`-jumlah`). Nulls sort last. `sort` is an alias.', schema: { type: 'string' } },
  { name: 'fields', in: 'query', description: 'Comma-separated columns to return, in order.', schema: { type: 'string' }, example: 'kecamatan,jumlah_penduduk' },
  {
    name: 'filters',
    in: 'query',
    description:
      `Column filters: \`<column>=<value>\` for equality, or \`<column>__<op>=<value>\` with op one of ${OPERATORS.join(', ')}. ` +
      '`__in` takes a comma-separated list; `__isnull=1` / `__notnull=1`. Values are checked against the column type. Several filters combine with AND.',
    style: 'form',
    explode: true,
    schema: { type: 'object', additionalProperties: { type: 'string' } },
    example: { kecamatan: 'Coblong', jumlah_penduduk__gte: '1000' },
  },
];
const pagingParams = [
  { name: 'limit', in: 'query', description: `Rows per page, 1–${MAX_PAGE_SIZE}.`, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } },
  { name: 'next', in: 'query', description: 'Keyset cursor from the previous page; simpler: follow the `next` URL of the response.', schema: { type: 'string' } },
];

const rowsOperation = (pinned: boolean) => ({
  tags: ['data'],
  summary: pinned ? 'Rows of one version' : 'Rows of the current version',
  description: 'One page of rows, filtered and sorted, with the exact `total` of matching rows. Follow `next` until it is null to read every row exactly once.',
  parameters: [
    idParam,
    ...(pinned ? [versionParam] : [{ name: 'version', in: 'query', description: 'A published version instead of the current one (to filter a column named `version`, use `version__eq`).', schema: { type: 'string' } }]),
    ...rowQueryParams,
    ...pagingParams,
  ],
  responses: { 200: json(ref('RowsPage'), 'A page of rows.'), ...errors(400, 404) },
});

const downloadOperation = (pinned: boolean) => ({
  tags: ['data'],
  summary: pinned ? 'Download one version' : 'Download the current version',
  description:
    'The whole table, or the rows matching the same filters, sort and fields as the rows endpoint, streamed as a file. ' +
    'ETag from the version (304 on If-None-Match), Range for the file-backed formats, gzip/br for text formats when asked.',
  parameters: [idParam, ...(pinned ? [versionParam] : []), formatParam, ...rowQueryParams],
  responses: {
    200: {
      description: 'The file, with a Content-Disposition filename.',
      content: Object.fromEntries(
        ['text/csv', 'application/json', 'application/x-ndjson', 'application/vnd.apache.parquet', 'application/vnd.apache.arrow.stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
      ),
    },
    206: { description: 'Partial content (Range).' },
    304: { description: 'Not modified (If-None-Match).' },
    ...errors(400, 404),
  },
});

const sqlParams = [
  { name: 'sql', in: 'query', required: true, description: 'One SELECT statement. Each public dataset is a table named by its id (quote ids with dashes: `"penduduk-kelurahan"`).', schema: { type: 'string' } },
  { name: 'format', in: 'query', description: 'Output format.', schema: { type: 'string', enum: ['json', 'csv', 'arrow'], default: 'json' } },
  { name: 'max_rows', in: 'query', description: `Row limit; more rows set \`truncated\`.`, schema: { type: 'integer', minimum: 1, maximum: SQL_LIMITS.maxRows, default: SQL_LIMITS.defaultRows } },
];
const sqlResponses = {
  200: {
    description: 'The result. CSV and Arrow carry `X-Truncated` and `X-Elapsed-Ms` headers instead of the JSON fields.',
    content: {
      'application/json': { schema: ref('SqlResult') },
      'text/csv': { schema: { type: 'string' } },
      'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
    },
  },
  ...errors(400, 408),
};

export function openApiDocument(origin: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kota Terbuka API',
      version: '1',
      description:
        'Open data of the city: the catalog, every row of every public dataset, downloads and read-only SQL. No key needed. ' +
        'Errors are JSON: `{"error": {"status", "message", "problems": [{"parameter", "message"}]}}`. GET responses allow any origin (CORS).',
    },
    servers: [{ url: `${origin}/api/v1` }],
    tags: [{ name: 'catalog' }, { name: 'data' }, { name: 'sql' }, { name: 'meta' }],
    paths: {
      '/datasets': {
        get: {
          tags: ['catalog'],
          summary: 'Search the catalog',
          description: 'Full-text search (prefix and typo tolerant) with facet counts. Facet filters are repeatable: `topic=a&topic=b` matches either.',
          parameters: [
            { name: 'q', in: 'query', description: 'Search words.', schema: { type: 'string' } },
            ...SEARCH_FILTERS.map((name) => ({ name, in: 'query', description: `Only datasets with this ${name.replace('_', ' ')} (repeatable).`, schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true })),
            { name: 'sort', in: 'query', description: 'Order; `relevance` by default with `q`, `name` without.', schema: { type: 'string', enum: SORTS } },
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
            { name: 'per_page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, default: 20 } },
          ],
          responses: { 200: json(ref('DatasetList'), 'A page of datasets with facets.'), ...errors(400) },
        },
      },
      '/datasets/{id}': {
        get: {
          tags: ['catalog'],
          summary: 'One dataset',
          description: 'All metadata (including the Satu Data Indonesia fields), the schema (data dictionary), the column profile, checks, quality score, versions and links.',
          parameters: [idParam],
          responses: { 200: json(ref('DatasetDetail'), 'The dataset.'), ...errors(404) },
        },
      },
      '/datasets/{id}/rows': { get: rowsOperation(false) },
      '/datasets/{id}/versions/{version}/rows': { get: rowsOperation(true) },
      '/datasets/{id}/download.{format}': { get: downloadOperation(false) },
      '/datasets/{id}/versions/{version}/download.{format}': { get: downloadOperation(true) },
      '/organizations': {
        get: { tags: ['catalog'], summary: 'Agencies (OPD)', description: 'Every agency of the deployment with its number of public datasets.', responses: { 200: json(ref('OrganizationList'), 'The agencies.') } },
      },
      '/topics': {
        get: { tags: ['catalog'], summary: 'Topics', description: 'Topics in use, most used first, with their number of public datasets.', responses: { 200: json(ref('TopicList'), 'The topics.') } },
      },
      '/sql': {
        get: {
          tags: ['sql'],
          summary: 'Read-only SQL',
          description:
            `One SELECT over the current version of every public dataset. Limits: ${SQL_LIMITS.timeoutMs / 1000} s (408 after), ` +
            `${SQL_LIMITS.defaultRows} rows by default and at most ${SQL_LIMITS.maxRows} (\`truncated\` says when rows were cut), ${SQL_LIMITS.memory} of memory. ` +
            'Files, settings, extensions, COPY, ATTACH, DDL and DML are refused with 400.',
          parameters: sqlParams,
          responses: sqlResponses,
        },
        post: {
          tags: ['sql'],
          summary: 'Read-only SQL (long queries)',
          description:
            'The same as GET with the parameters in a JSON body: send `Content-Type: application/json`. ' +
            'Form-encoded POSTs are accepted only from this site\'s own pages (Origin check); scripts use JSON or GET.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', required: ['sql'], properties: { sql: { type: 'string' }, format: { type: 'string', enum: ['json', 'csv', 'arrow'] }, max_rows: { type: 'integer' } } } } },
          },
          responses: sqlResponses,
        },
      },
      '/openapi.json': {
        get: { tags: ['meta'], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
    },
    components: {
      schemas,
      responses: Object.fromEntries(
        [
          [400, 'A parameter is wrong; `problems` says which and why.'],
          [404, 'No such public dataset or version.'],
          [408, 'The query ran past the time limit and was stopped.'],
        ].map(([code, description]) => [`Error${code}`, json(ref('Error'), String(description))]),
      ),
    },
  };
}
