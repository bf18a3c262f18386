import { z } from 'zod';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, SORTS } from '../catalog/search.ts';
import { OPERATORS } from '../query/filters.ts';
import { MAX_PAGE_SIZE } from '../query/rows.ts';
import { SQL_LIMITS } from '../query/sandbox.ts';
import { SEARCH_FILTERS } from './catalog.ts';
import { DOWNLOAD_FORMATS } from './datasets.ts';
import { DEFAULT_PAGE_SIZE } from './rows.ts';
import { SQL_DOWNLOAD_FORMATS, SQL_FORMATS } from './sql.ts';

/** The paths of ./openapi.ts. Parameter schemas are zod schemas over the limits and vocabularies the parsers use. */
type Json = Record<string, unknown>;

const schemaOf = (schema: z.ZodType): Json => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Json;
  return rest;
};
const query = (name: string, schema: z.ZodType, description: string, extra: Json = {}) => ({ name, in: 'query', description, schema: schemaOf(schema), ...extra });
const pathParam = (name: string, description: string, schema: z.ZodType = z.string()) => ({ name, in: 'path', required: true, description, schema: schemaOf(schema) });
const json = (component: string, description: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${component}` } } } });
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [String(code), { $ref: `#/components/responses/Error${code}` }]));
const file = (types: string[], description: string) => ({ description, content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) });

const id = pathParam('id', 'Dataset id, e.g. `penduduk-kelurahan`.');
const version = pathParam('version', 'A published version id (see `versions` of the dataset).');
const format = pathParam('format', 'File format.', z.enum(DOWNLOAD_FORMATS));
const queryName = pathParam('name', 'Saved query name (see /api/v1/queries).');
const lang = query('lang', z.enum(['id', 'en']), 'Language of error messages (Bahasa Indonesia by default).');

const rowQuery = [
  query('q', z.string(), 'Text search over the text columns (case-insensitive substring).'),
  query('_sort', z.string(), 'Sort column; prefix with `-` for descending (`-jumlah`). Nulls sort last. `sort` is an alias.'),
  query('fields', z.string(), 'Comma-separated columns to return, in order.', { example: 'kecamatan,jumlah_penduduk' }),
  query('filters', z.record(z.string(), z.string()), `Column filters: \`<column>=<value>\` for equality, or \`<column>__<op>=<value>\` with op one of ${OPERATORS.join(', ')}. \`__in\` takes a comma-separated list; \`__isnull=1\` / \`__notnull=1\`. Values are checked against the column type (dates must exist: 2024-02-31 is a 400). Several filters combine with AND.`, { style: 'form', explode: true, example: { kecamatan: 'Coblong', jumlah_penduduk__gte: '1000' } }),
];
const paging = [
  query('limit', z.int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE), `Rows per page, 1–${MAX_PAGE_SIZE}.`),
  query('next', z.string(), 'Keyset cursor from the previous page; simpler: follow the `next` URL of the response.'),
];

const rows = (pinned: boolean) => ({
  get: {
    tags: ['data'],
    summary: pinned ? 'Rows of one version' : 'Rows of the current version',
    description: 'One page of rows, filtered and sorted, with the exact `total` of matching rows. Follow `next` until it is null to read every row exactly once.',
    parameters: [id, ...(pinned ? [version] : [query('version', z.string(), 'A published version instead of the current one (to filter a column named `version`, use `version__eq`).')]), ...rowQuery, ...paging, lang],
    responses: { 200: json('RowsPage', 'A page of rows.'), ...errors(400, 404) },
  },
});

const downloadTypes = ['text/csv', 'application/json', 'application/x-ndjson', 'application/vnd.apache.parquet', 'application/vnd.apache.arrow.stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];
const download = (pinned: boolean) => ({
  get: {
    tags: ['data'],
    summary: pinned ? 'Download one version' : 'Download the current version',
    description: 'The whole table, or the rows matching the same filters, sort and fields as the rows endpoint, streamed as a file. ETag from the version (304 on If-None-Match), Range for file-backed formats, gzip/br for text formats when asked.',
    parameters: [id, ...(pinned ? [version] : []), format, ...rowQuery, lang],
    responses: { 200: file(downloadTypes, 'The file, with a Content-Disposition filename.'), 206: { description: 'Partial content (Range).' }, 304: { description: 'Not modified (If-None-Match).' }, ...errors(400, 404) },
  },
});

const sqlParams = [
  query('sql', z.string().max(SQL_LIMITS.maxLength), 'One SELECT statement. Each public dataset is a table named by its id (quote ids with dashes: `"penduduk-kelurahan"`).', { required: true }),
  query('format', z.enum(SQL_FORMATS).default('json'), 'Output format.'),
  query('max_rows', z.int().min(1).max(SQL_LIMITS.maxRows).default(SQL_LIMITS.defaultRows), 'Row limit; more rows set `truncated`. Rows are also cut at the size cap of one answer (`truncated_by: bytes`).'),
  lang,
];
const sqlBody = { required: true, content: { 'application/json': { schema: schemaOf(z.object({ sql: z.string().max(SQL_LIMITS.maxLength), format: z.enum(SQL_FORMATS).optional(), max_rows: z.int().min(1).max(SQL_LIMITS.maxRows).optional() })) } } };
const sqlRows = { 200: { description: 'The result. CSV and Arrow carry `X-Truncated` and `X-Elapsed-Ms` headers instead of the JSON fields.', content: { 'application/json': { schema: { $ref: '#/components/schemas/SqlResult' } }, 'text/csv': { schema: { type: 'string' } }, 'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } } } }, ...errors(400, 408, 413, 429, 503) };
const sqlFile = { 200: file(['text/csv', 'application/json', 'application/vnd.apache.parquet'], 'The whole result, with `X-Rows`; written by DuckDB and streamed.'), ...errors(400, 408, 413, 429, 503) };
const sqlFormat = pathParam('format', 'File format of the whole result.', z.enum(SQL_DOWNLOAD_FORMATS));
const savedParams = query('params', z.record(z.string(), z.string()), 'The query\'s own parameters by name (see `params` in /api/v1/queries); each is checked against its type and bound.', { style: 'form', explode: true });

const savedQuery = (inDataset: boolean) => ({
  get: { tags: ['sql'], summary: inDataset ? 'Run a dataset\'s saved query' : 'Run a saved query', parameters: [...(inDataset ? [id] : []), queryName, savedParams, sqlParams[1]!, sqlParams[2]!, lang], responses: { ...sqlRows, ...errors(404) } },
  post: { tags: ['sql'], summary: 'The same, with the parameters in a JSON or form body', parameters: [...(inDataset ? [id] : []), queryName], requestBody: { content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } }, responses: { ...sqlRows, ...errors(404) } },
});
const savedDownload = (inDataset: boolean) => ({
  get: { tags: ['sql'], summary: 'The whole result of a saved query as a file', parameters: [...(inDataset ? [id] : []), queryName, sqlFormat, savedParams, lang], responses: { ...sqlFile, ...errors(404) } },
});

const jsonGet = (tags: string[], summary: string, component: string, parameters: Json[] = [], extra: Json = {}) => ({ get: { tags, summary, parameters, responses: { 200: json(component, summary), ...extra } } });

export function apiPaths(ckanActions: string[]): Record<string, Json> {
  const ckanAction = pathParam('action', 'The action (read-only ones).', z.enum(ckanActions as [string, ...string[]]));
  const ckanResponses = {
    200: { description: 'CKAN\'s envelope; `result` is the action\'s answer (package_show: a CkanPackage).', content: { 'application/json': { schema: { $ref: '#/components/schemas/CkanSuccess' } } } },
    ...Object.fromEntries(['400', '404', '409', '413', '429'].map((code) => [code, { description: 'CKAN\'s error envelope.', content: { 'application/json': { schema: { $ref: '#/components/schemas/CkanFailure' } } } }])),
  };
  const ckan = {
    get: {
      tags: ['ckan'],
      summary: 'A CKAN action (GET with query parameters; lists and objects as JSON text, as ckanapi sends them)',
      parameters: [ckanAction, query('parameters', z.record(z.string(), z.string()), 'The action\'s parameters: see help_show.', { style: 'form', explode: true })],
      responses: ckanResponses,
    },
    post: { tags: ['ckan'], summary: 'A CKAN action with a JSON body', parameters: [ckanAction], requestBody: { content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } }, responses: ckanResponses },
  };
  return {
    '/api/v1/datasets': jsonGet(['catalog'], 'Search the catalog (prefix and typo tolerant), with facet counts', 'DatasetList', [
      query('q', z.string(), 'Search words.'),
      ...SEARCH_FILTERS.map((name) => query(name, z.array(z.string()), `Only datasets with this ${name.replace('_', ' ')} (repeatable: either matches).`, { style: 'form', explode: true })),
      query('sort', z.enum(SORTS), 'Order; `relevance` by default with `q`, `name` without.'),
      query('page', z.int().min(1).default(1), 'Page, from 1.'),
      query('per_page', z.int().min(1).max(MAX_PER_PAGE).default(DEFAULT_PER_PAGE), 'Results per page.'),
      lang,
    ], errors(400)),
    '/api/v1/datasets/{id}': jsonGet(['catalog'], 'One dataset: metadata, schema, profile, checks, quality, versions, links', 'DatasetDetail', [id, lang], errors(404)),
    '/api/v1/datasets/{id}/rows': rows(false),
    '/api/v1/datasets/{id}/versions/{version}/rows': rows(true),
    '/api/v1/datasets/{id}/download.{format}': download(false),
    '/api/v1/datasets/{id}/versions/{version}/download.{format}': download(true),
    '/api/v1/datasets/{id}/queries/{name}': savedQuery(true),
    '/api/v1/datasets/{id}/queries/{name}/download.{format}': savedDownload(true),
    '/api/v1/organizations': jsonGet(['catalog'], 'Agencies (OPD) with their number of public datasets', 'OrganizationList'),
    '/api/v1/topics': jsonGet(['catalog'], 'Topics in use, most used first', 'TopicList'),
    '/api/v1/sql': {
      get: { tags: ['sql'], summary: 'Read-only SQL over every public dataset', description: 'Files, settings, extensions, COPY, ATTACH, DDL and DML are refused with 400.', parameters: sqlParams, responses: sqlRows },
      post: { tags: ['sql'], summary: 'Read-only SQL (long queries in a JSON body)', parameters: [lang], requestBody: sqlBody, responses: sqlRows },
    },
    '/api/v1/sql/download.{format}': {
      get: { tags: ['sql'], summary: 'The whole result of a query as a file (no row cap)', description: `Within ${SQL_LIMITS.downloadTimeoutMs / 1000} s and ${SQL_LIMITS.maxDownloadBytes / 1024 / 1024} MB.`, parameters: [sqlFormat, sqlParams[0]!, lang], responses: sqlFile },
      post: { tags: ['sql'], summary: 'The same with the query in a JSON body', parameters: [sqlFormat, lang], requestBody: sqlBody, responses: sqlFile },
    },
    '/api/v1/queries': jsonGet(['sql'], 'Saved queries: the portal\'s and each public dataset\'s, with parameters and links', 'SavedQueryList'),
    '/api/v1/queries/{name}': savedQuery(false),
    '/api/v1/queries/{name}/download.{format}': savedDownload(false),
    '/api/v1/account/me': { get: { tags: ['account'], summary: 'Who a session or API token acts as', security: [{ bearer: [] }], parameters: [lang], responses: { 200: json('AccountMe', 'The account, its roles and the token\'s scopes.'), ...errors(401) } } },
    '/api/v1/openapi.json': { get: { tags: ['meta'], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    '/api/v1/health': jsonGet(['meta'], 'Liveness: the number of public datasets and the last catalog sync', 'Health'),
    '/api/3': { get: { tags: ['ckan'], summary: 'CKAN API version probe', responses: { 200: { description: '`{"version": 3}`', content: { 'application/json': { schema: { type: 'object', properties: { version: { const: 3 } } } } } } } } },
    '/api/3/action/{action}': ckan,
    '/api/action/{action}': ckan,
    '/catalog.jsonld': { get: { tags: ['metadata'], summary: 'DCAT-AP catalog, 100 datasets a page (hydra:PagedCollection)', parameters: [query('page', z.int().min(1).default(1), 'Page, from 1.'), lang], responses: { 200: { description: 'JSON-LD.', content: { 'application/ld+json': { schema: { $ref: '#/components/schemas/JsonLd' } } } }, ...errors(400, 404) } } },
    '/datasets/{id}.jsonld': { get: { tags: ['metadata'], summary: 'One dataset as DCAT-AP JSON-LD', parameters: [id], responses: { 200: { description: 'JSON-LD.', content: { 'application/ld+json': { schema: { $ref: '#/components/schemas/JsonLd' } } } }, ...errors(404) } } },
    '/datasets/{id}/datapackage.json': jsonGet(['metadata'], 'Frictionless Data Package of one dataset', 'DataPackage', [id], errors(404)),
  };
}
