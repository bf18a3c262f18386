import { quoteIdent } from '../db/sql.ts';
import { whereClause, type RowQuery } from '../query/filters.ts';
import { versionRelation, type RowSource } from '../query/rows.ts';

/** The SELECT behind a download: the table's filters and sort, every value bound. File order unless sorted. */
export function exportSelect(source: RowSource, query: RowQuery): { sql: string; values: string[] } {
  const relation = versionRelation(source, Boolean(query.sort));
  const where = whereClause(query, source.fields, relation.values.length + 1);
  const columns = (query.fields ?? source.fields.map((f) => f.name)).map(quoteIdent).join(', ');
  const order = query.sort ? ` ORDER BY ${quoteIdent(query.sort.column)} ${query.sort.desc ? 'DESC' : 'ASC'} NULLS LAST, file_row_number` : '';
  return { sql: `SELECT ${columns} FROM ${relation.sql} WHERE ${where.sql}${order}`, values: [...relation.values, ...where.values] };
}

export function isWholeVersion(query: RowQuery): boolean {
  return query.filters.length === 0 && !query.q && !query.sort && !query.fields;
}
