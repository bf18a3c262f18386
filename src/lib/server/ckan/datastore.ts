import { withConnection } from '../catalog/index-db.ts';
import { quoteIdent } from '../db/sql.ts';
import { whereClause } from '../query/filters.ts';
import { versionRelation } from '../query/rows.ts';
import type { Site } from '../opendata/site.ts';
import { invalid } from './envelope.ts';
import { publicResource } from './lookup.ts';
import { bool, integer, json, required, text, type Params } from './params.ts';
import { CKAN_TYPE, cell, delimited, rowQuery, selectFields, sortClause } from './datastore-query.ts';

/**
 * datastore_search over the current version of the dataset behind any of its resources. CKAN's filters
 * (`{"col": "v"}` or `{"col": ["a", "b"]}`) and `q` become our RowQuery, so values are type-checked and
 * bound exactly as in the rows API; paging is by offset, as CKAN clients expect. `_id` is the row's
 * 1-based position in the version's file: stable for a version, as CKAN's _id is for a table.
 */
export const DATASTORE_DEFAULT_LIMIT = 100;
/** CKAN's own default for ckan.datastore.search.rows_max. */
export const DATASTORE_MAX_LIMIT = 32000;

const FORMATS = ['objects', 'lists', 'csv', 'tsv'] as const;

export async function datastoreSearch(site: Site, p: Params): Promise<Record<string, unknown>> {
  const resourceId = required(p, 'resource_id');
  const { detail } = await publicResource(resourceId, site.regionCode);
  const schema = detail.manifest.schema.fields;
  const limit = integer(p, 'limit', DATASTORE_DEFAULT_LIMIT, { min: 0, max: DATASTORE_MAX_LIMIT });
  const offset = integer(p, 'offset', 0, { min: 0 });
  const includeTotal = bool(p, 'include_total', true);
  const recordsFormat = (text(p, 'records_format') ?? 'objects') as (typeof FORMATS)[number];
  if (!FORMATS.includes(recordsFormat)) throw invalid('records_format', `must be one of ${FORMATS.join(', ')}`);
  const selected = selectFields(p, schema);
  const sort = sortClause(p, schema);
  const { query, idFilter } = rowQuery(p, schema);

  const relation = versionRelation({ dataset: detail.manifest.dataset, version: detail.manifest.version, fields: schema });
  const where = whereClause(query, schema, relation.values.length + 1);
  const idValues = idFilter.map(String);
  const idSql = idFilter.length > 0 ? `file_row_number + 1 IN (${idFilter.map((_, i) => `CAST($${relation.values.length + where.values.length + i + 1} AS BIGINT)`).join(', ')})` : 'true';
  const values = [...relation.values, ...where.values, ...idValues];
  const columns = selected.map((f) => (f === '_id' ? 'file_row_number + 1 AS "_id"' : quoteIdent(f))).join(', ');
  const sql = `SELECT ${columns} FROM ${relation.sql} WHERE (${where.sql}) AND (${idSql}) ORDER BY ${sort}file_row_number LIMIT ${limit} OFFSET ${offset}`;
  const { rows, total } = await withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(sql, values as never);
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    let total: number | undefined;
    if (includeTotal) {
      const count = await conn.runAndReadAll(`SELECT count(*) AS n FROM ${relation.sql} WHERE (${where.sql}) AND (${idSql})`, values as never);
      total = Number(count.getRowObjectsJson()[0]!.n);
    }
    return { rows, total };
  }).catch((error: Error) => {
    // A value that passed the pattern check but is no real value (2024-02-30) fails in DuckDB's CAST.
    if (/^Conversion Error/.test(error.message)) throw invalid('filters', error.message.split('\n')[0]!);
    throw error;
  });

  const types = new Map(schema.map((f) => [f.name, f.type]));
  const fieldDicts = selected.map((name) => {
    if (name === '_id') return { id: '_id', type: 'int' };
    const f = schema.find((x) => x.name === name)!;
    return { id: name, type: CKAN_TYPE[f.type], info: { label: f.title, notes: f.description ?? '', unit: f.unit ?? '' } };
  });
  const cells = rows.map((r) => selected.map((name) => cell(r[name], name === '_id' ? 'integer' : types.get(name))));
  const records =
    recordsFormat === 'objects'
      ? cells.map((row) => Object.fromEntries(selected.map((name, i) => [name, row[i]])))
      : recordsFormat === 'lists'
        ? cells
        : delimited(cells, recordsFormat === 'csv' ? ',' : '\t');

  const linkParams = (at: number) => {
    const params = new URLSearchParams();
    if (at > 0) params.set('offset', String(at));
    for (const key of ['q', 'filters', 'fields', 'sort', 'limit', 'records_format', 'include_total']) {
      if (p[key] !== undefined && p[key] !== null && p[key] !== '') params.set(key, typeof p[key] === 'string' ? (p[key] as string) : JSON.stringify(p[key]));
    }
    params.set('resource_id', resourceId);
    return `/api/3/action/datastore_search?${params}`;
  };
  const result: Record<string, unknown> = {
    resource_id: resourceId,
    fields: fieldDicts,
    records,
    limit,
    offset,
    include_total: includeTotal,
    records_format: recordsFormat,
    total_estimation_threshold: null,
    _links: { start: linkParams(0), next: linkParams(offset + limit) },
  };
  if (total !== undefined) Object.assign(result, { total, total_was_estimated: false });
  for (const key of ['q', 'filters', 'sort']) if (p[key] !== undefined) result[key] = key === 'filters' ? json(p, key) : p[key];
  return result;
}

