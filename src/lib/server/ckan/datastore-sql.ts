import { catalogGeneration } from '../catalog/generation.ts';
import { listPublicDatasets } from '../catalog/queries.ts';
import { DOWNLOAD_FORMATS } from '../opendata/formats.ts';
import { oversizeSqlBody, preparedText, runSql, SqlError } from '../query/sandbox.ts';
import type { Site } from '../opendata/site.ts';
import { CkanError } from './envelope.ts';
import { required, type Params } from './params.ts';
import { resourceId } from './resource-id.ts';
import { renameQuotedIdentifiers } from './sql-identifiers.ts';

/**
 * datastore_search_sql through the one SQL sandbox (query/sandbox.ts), which owns every safety rule. CKAN
 * clients name tables by resource id (`SELECT * FROM "3f1c…"`); the sandbox names them by dataset id, so a
 * quoted resource id (UUID or `<dataset>.<format>` alias) is renamed to its dataset before the query runs —
 * after the size check, with a name map built once per catalog generation, and only in identifier positions.
 * Errors are CKAN's 409 Validation Error with the sandbox's message under `query`.
 */
export async function datastoreSearchSql(site: Site, p: Params): Promise<Record<string, unknown>> {
  const sql = required(p, 'sql');
  try {
    // Size first: a megabyte of identifiers must be refused before anything walks it.
    preparedText(sql);
    const names = await tableNames(site.regionCode);
    const rewritten = renameQuotedIdentifiers(sql, (name) => names.get(name.toLowerCase()) ?? null);
    const result = await runSql(rewritten, {});
    const fields = result.columns.map((c) => ({ id: c.name, type: ckanType(c.type) }));
    const ints = fields.filter((c) => c.type === 'int').map((c) => c.id);
    const response: Record<string, unknown> = { sql, fields, records: ints.length > 0 ? result.rows.map((r) => numbersBack(r, ints)) : result.rows };
    if (result.truncated) response.records_truncated = true;
    return response;
  } catch (error) {
    if (error instanceof SqlError) {
      const message = error.status === 408 ? `Query took too long: ${error.message}` : error.message;
      throw new CkanError('Validation Error', message, { query: [message] });
    }
    throw error;
  }
}

/** A body too large to hold an acceptable query is refused unread, with the message a too-long query gets. */
export function refuseOversizeSqlBody(request: Request): CkanError | null {
  const error = oversizeSqlBody(request);
  return error ? new CkanError('Validation Error', error.message, { query: [error.message] }) : null;
}

let cache: { generation: number; regionCode: string; names: Promise<Map<string, string>> } | undefined;

/** Every public resource's UUID and `<dataset>.<format>` alias → its dataset id; rebuilt only when the catalog changes. */
function tableNames(regionCode: string): Promise<Map<string, string>> {
  const generation = catalogGeneration();
  if (cache?.generation !== generation || cache.regionCode !== regionCode) {
    const names = listPublicDatasets().then((datasets) => {
      const map = new Map<string, string>();
      for (const { id } of datasets) {
        for (const format of DOWNLOAD_FORMATS) {
          map.set(resourceId(regionCode, id, format), id);
          map.set(`${id}.${format}`.toLowerCase(), id);
        }
      }
      return map;
    });
    names.catch(() => (cache = undefined));
    cache = { generation, regionCode, names };
  }
  return cache.names;
}

/** BIGINT/HUGEINT arrive as text from DuckDB's JSON conversion; CKAN sends integers as numbers when they fit. */
function numbersBack(row: Record<string, unknown>, columns: string[]): Record<string, unknown> {
  const out = { ...row };
  for (const c of columns) {
    const v = out[c];
    if (typeof v === 'string' && Number.isSafeInteger(Number(v))) out[c] = Number(v);
  }
  return out;
}

/** DuckDB type names in CKAN's datastore vocabulary. */
export function ckanType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(t)) return 'int';
  if (/^(FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL')) return 'numeric';
  if (t === 'BOOLEAN') return 'bool';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'text';
}
