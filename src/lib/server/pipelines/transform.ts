import type { DuckDBConnection } from '@duckdb/node-api';
import { serialized } from '../query/sandbox-engine.ts';
import { boundPlanProblem, describeSqlProblem, sqlTreeProblem, type SqlProblem } from '../query/sql-policy.ts';

/** transform.sql is not a single SELECT over `source` and the declared inputs, or DuckDB rejected it. */
export class TransformError extends Error {}

/** What transform.sql may read: the loaded `source` table and each declared input (a view over its Parquet file). */
export interface TransformRelations {
  inputs: { id: string; file: string }[];
}

/**
 * Runs transform.sql into table `result`. The SQL is untrusted (officials will write it through the site), so it
 * passes the SQL sandbox's two walls before it runs: the parse-tree policy (exactly one SELECT, reading only `source`
 * and the inputs, no table functions, no settings) and the bound-plan check (every scan is the `source` table or an
 * input's Parquet file). The engine itself is the third: it can open no file but the run's own (see staging.ts).
 */
export async function applyTransform(conn: DuckDBConnection, sql: string, relations: TransformRelations): Promise<string> {
  const body = sql.trim().replace(/;\s*$/, '');
  let count: number;
  try {
    count = (await conn.extractStatements(body)).count;
  } catch (error) {
    throw new TransformError(`transform.sql: ${firstLines((error as Error).message)}`);
  }
  if (count !== 1) {
    throw new TransformError(`transform.sql: expected one SELECT statement, found ${count} statements; combine them into one query (WITH … SELECT)`);
  }
  const problem = await policyProblem(conn, body, relations);
  if (problem) throw new TransformError(`transform.sql: ${problem}`);
  try {
    await conn.run(`CREATE OR REPLACE TABLE result AS ${body}`);
  } catch (error) {
    throw new TransformError(`transform.sql: ${firstLines((error as Error).message)}`);
  }
  return 'result';
}

async function policyProblem(conn: DuckDBConnection, body: string, relations: TransformRelations): Promise<string | null> {
  const names = ['source', ...relations.inputs.map((i) => i.id)];
  const tree = await serialized(conn, 'json_serialize_sql', body);
  if (tree.error && /Only SELECT statements/i.test(String(tree.error_message))) {
    return `${statementKind(body)} statements are not allowed; transform.sql is one SELECT (or WITH … SELECT) reading ${relationList(names)}`;
  }
  const found =
    sqlTreeProblem(tree, new Set(names)) ??
    boundPlanProblem(await serialized(conn, 'json_serialize_plan', body), { files: new Set(relations.inputs.map((i) => i.file)), tables: new Set(['source']) });
  return found && describe(found, names);
}

/** The sandbox's wording, except where it points at the portal's datasets: a transform reads its own relations. */
function describe(found: SqlProblem, names: string[]): string {
  const instead = `transform.sql reads ${relationList(names)} (another published dataset can be listed under inputs: in pipeline.yaml)`;
  switch (found.code) {
    case 'table_function':
      return `table functions such as ${found.params.name}(…) are not allowed; ${instead}`;
    case 'unknown_table':
      return `unknown table "${found.params.name}"; ${instead}`;
    case 'plan_scan':
      return `"${found.params.name}" cannot be read; ${instead}`;
    case 'plan_file':
      return `a file other than the inputs' cannot be read; ${instead}`;
    default:
      return describeSqlProblem(found);
  }
}

function relationList(relations: string[]): string {
  return relations.map((r) => `"${r}"`).join(', ');
}

/** The statement's leading keyword (COPY, ATTACH, INSERT…), for the message: DuckDB's parser only says "not a SELECT". */
export function statementKind(sql: string): string {
  const withoutComments = sql.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*\s*/, '');
  return /^[A-Za-z]+/.exec(withoutComments)?.[0]?.toUpperCase() ?? 'non-SELECT';
}

function firstLines(message: string): string {
  return message.split('\n').slice(0, 6).join('\n');
}
