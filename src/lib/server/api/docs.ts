import { SQL_LIMITS } from '../query/sandbox.ts';
import { MAX_PAGE_SIZE } from '../query/rows.ts';
import { DOWNLOAD_FORMATS } from './datasets.ts';
import { DEFAULT_PAGE_SIZE } from './rows.ts';

/**
 * What /api-docs shows for each endpoint: the method and path, message keys for the description and the
 * parameters (src/lib/i18n/messages/api.ts), and copy-ready curl lines built with the real origin and a
 * real dataset, so an example works when pasted.
 */
export interface DocParam {
  name: string;
  /** Message key of the description; `{values}` style placeholders are filled from `vars`. */
  key: string;
}

export interface DocEndpoint {
  anchor: string;
  method: 'GET' | 'GET, POST';
  path: string;
  key: string;
  params: DocParam[];
  examples: string[];
}

export interface DocContext {
  origin: string;
  /** A public dataset id for the examples, e.g. the first in the catalog. */
  dataset: string;
  /** A text column and a numeric column of that dataset, when it has them. */
  textColumn: string | null;
  numberColumn: string | null;
}

/** Values the messages interpolate, taken from the modules that enforce them. */
export const DOC_VARS = {
  defaultLimit: DEFAULT_PAGE_SIZE,
  maxLimit: MAX_PAGE_SIZE,
  formats: DOWNLOAD_FORMATS.join(', '),
  sqlSeconds: SQL_LIMITS.timeoutMs / 1000,
  sqlRows: SQL_LIMITS.defaultRows,
  sqlMaxRows: SQL_LIMITS.maxRows,
  sqlMemory: SQL_LIMITS.memory,
  sqlDownloadSeconds: SQL_LIMITS.downloadTimeoutMs / 1000,
  sqlDownloadSize: `${SQL_LIMITS.maxDownloadBytes / 1024 / 1024} MB`,
};

const q = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

export function docEndpoints(ctx: DocContext): DocEndpoint[] {
  const base = `${ctx.origin}/api/v1`;
  const ds = encodeURIComponent(ctx.dataset);
  const filter = ctx.numberColumn ? `${ctx.numberColumn}__gte=100&_sort=-${ctx.numberColumn}` : ctx.textColumn ? `_sort=${ctx.textColumn}` : '';
  const p = (name: string, key = name) => ({ name, key: `api.param.${key}` });
  const rowParams = [p('limit'), p('next'), p('_sort', 'sort_rows'), p('<column>', 'filter'), p('<column>__<op>', 'filter_op'), p('q', 'q_rows'), p('fields')];
  const sql = `SELECT * FROM "${ctx.dataset}" LIMIT 5`;
  return [
    {
      anchor: 'datasets',
      method: 'GET',
      path: '/api/v1/datasets',
      key: 'api.ep.datasets',
      params: [p('q', 'q_search'), p('organization'), p('topic'), p('tag'), p('license'), p('format', 'format_facet'), p('update_frequency'), p('sort'), p('page'), p('per_page')],
      examples: [`curl ${q(`${base}/datasets?q=penduduk&per_page=5`)}`],
    },
    { anchor: 'dataset', method: 'GET', path: '/api/v1/datasets/{id}', key: 'api.ep.dataset', params: [], examples: [`curl ${q(`${base}/datasets/${ds}`)}`] },
    {
      anchor: 'rows',
      method: 'GET',
      path: '/api/v1/datasets/{id}/rows',
      key: 'api.ep.rows',
      params: [...rowParams, p('version')],
      examples: [`curl ${q(`${base}/datasets/${ds}/rows?limit=10${filter ? `&${filter}` : ''}`)}`],
    },
    {
      anchor: 'version-rows',
      method: 'GET',
      path: '/api/v1/datasets/{id}/versions/{version}/rows',
      key: 'api.ep.version_rows',
      params: rowParams,
      examples: [`curl ${q(`${base}/datasets/${ds}`)} | jq '.versions[].links.rows'`],
    },
    {
      anchor: 'download',
      method: 'GET',
      path: '/api/v1/datasets/{id}/download.{format}',
      key: 'api.ep.download',
      params: [p('<column>', 'filter'), p('_sort', 'sort_rows'), p('fields')],
      examples: [
        `curl -OJ ${q(`${base}/datasets/${ds}/download.csv${filter ? `?${filter}` : ''}`)}`,
        `python -c "import pandas as pd; print(pd.read_parquet('${base}/datasets/${ds}/download.parquet').head())"`,
        `duckdb -c "SELECT * FROM read_parquet('${base}/datasets/${ds}/download.parquet') LIMIT 5"`,
      ],
    },
    {
      anchor: 'version-download',
      method: 'GET',
      path: '/api/v1/datasets/{id}/versions/{version}/download.{format}',
      key: 'api.ep.version_download',
      params: [],
      examples: [`curl ${q(`${base}/datasets/${ds}`)} | jq '.versions[].links.downloads.csv'`],
    },
    { anchor: 'organizations', method: 'GET', path: '/api/v1/organizations', key: 'api.ep.organizations', params: [], examples: [`curl ${q(`${base}/organizations`)}`] },
    { anchor: 'topics', method: 'GET', path: '/api/v1/topics', key: 'api.ep.topics', params: [], examples: [`curl ${q(`${base}/topics`)}`] },
    {
      anchor: 'sql',
      method: 'GET, POST',
      path: '/api/v1/sql',
      key: 'api.ep.sql',
      params: [p('sql'), p('format', 'format_sql'), p('max_rows')],
      examples: [
        `curl ${q(`${base}/sql?sql=${encodeURIComponent(sql)}`)}`,
        `curl -X POST ${q(`${base}/sql`)} -H 'Content-Type: application/json' -d ${q(JSON.stringify({ sql, format: 'csv' }))}`,
      ],
    },
    {
      anchor: 'sql-download',
      method: 'GET, POST',
      path: '/api/v1/sql/download.{format}',
      key: 'api.ep.sql_download',
      params: [p('sql'), p('{format}', 'format_sql_download')],
      examples: [`curl -o hasil.parquet ${q(`${base}/sql/download.parquet?sql=${encodeURIComponent(sql)}`)}`],
    },
    { anchor: 'queries', method: 'GET', path: '/api/v1/queries', key: 'api.ep.queries', params: [], examples: [`curl ${q(`${base}/queries`)} | jq '.queries[].links.self'`] },
    {
      anchor: 'query',
      method: 'GET, POST',
      path: '/api/v1/queries/{name}',
      key: 'api.ep.query',
      params: [p('<parameter>', 'query_param'), p('format', 'format_sql'), p('max_rows')],
      examples: [],
    },
    { anchor: 'query-download', method: 'GET, POST', path: '/api/v1/queries/{name}/download.{format}', key: 'api.ep.query_download', params: [p('<parameter>', 'query_param')], examples: [] },
    { anchor: 'dataset-query', method: 'GET, POST', path: '/api/v1/datasets/{id}/queries/{name}', key: 'api.ep.dataset_query', params: [p('<parameter>', 'query_param')], examples: [] },
    { anchor: 'dataset-query-download', method: 'GET, POST', path: '/api/v1/datasets/{id}/queries/{name}/download.{format}', key: 'api.ep.query_download', params: [], examples: [] },
    { anchor: 'account', method: 'GET', path: '/api/v1/account/me', key: 'api.ep.account_me', params: [], examples: [`curl -H 'Authorization: Bearer kt_…' ${q(`${base}/account/me`)}`] },
    { anchor: 'openapi', method: 'GET', path: '/api/v1/openapi.json', key: 'api.ep.openapi', params: [], examples: [`curl ${q(`${base}/openapi.json`)}`] },
    { anchor: 'health', method: 'GET', path: '/api/v1/health', key: 'api.ep.health', params: [], examples: [`curl ${q(`${base}/health`)}`] },
    {
      anchor: 'ckan',
      method: 'GET, POST',
      path: '/api/3/action/{action}',
      key: 'api.ep.ckan',
      params: [],
      examples: [`curl ${q(`${ctx.origin}/api/3/action/package_show?id=${ds}`)}`, `ckanapi action package_show id=${ctx.dataset} -r ${ctx.origin}`],
    },
    { anchor: 'ckan-action', method: 'GET, POST', path: '/api/action/{action}', key: 'api.ep.ckan_alias', params: [], examples: [`curl ${q(`${ctx.origin}/api/action/package_list`)}`] },
    { anchor: 'ckan-version', method: 'GET', path: '/api/3', key: 'api.ep.ckan_version', params: [], examples: [`curl ${q(`${ctx.origin}/api/3`)}`] },
    { anchor: 'dcat', method: 'GET', path: '/catalog.jsonld', key: 'api.ep.dcat', params: [p('page')], examples: [`curl ${q(`${ctx.origin}/catalog.jsonld`)}`] },
    { anchor: 'dcat-dataset', method: 'GET', path: '/datasets/{id}.jsonld', key: 'api.ep.dcat_dataset', params: [], examples: [`curl ${q(`${ctx.origin}/datasets/${ds}.jsonld`)}`] },
    { anchor: 'datapackage', method: 'GET', path: '/datasets/{id}/datapackage.json', key: 'api.ep.datapackage', params: [], examples: [`curl ${q(`${ctx.origin}/datasets/${ds}/datapackage.json`)}`] },
  ];
}
