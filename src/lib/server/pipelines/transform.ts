import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../db/sql.ts';
import { checkSqlTree, type PolicyWording } from '../query/sql-policy.ts';

/** transform.sql is not a single SELECT over `source` and the declared inputs, or DuckDB rejected it. */
export class TransformError extends Error {}

/** What transform.sql may read: the loaded `source` table and each declared input (a view over its Parquet file). */
export interface TransformRelations {
  inputs: { id: string; file: string }[];
}

/**
 * Runs transform.sql into table `result`. The SQL is untrusted (officials will write it through the site), so it
 * passes the same parse-tree policy as user SQL before it runs: exactly one SELECT, reading only `relations`
 * (`source` and the datasets listed in `inputs:`), no table functions, no settings. The engine itself is the
 * second wall: it can read no file but the run's own (see staging.ts).
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
  // json_serialize_sql only parses (it takes a constant; the literal is escaped by the one quoting helper).
  const reader = await conn.runAndReadAll(`SELECT json_serialize_sql(${quoteLiteral(body)}) AS tree`);
  const tree = JSON.parse(String(reader.getRowObjectsJson()[0]!.tree)) as Record<string, unknown>;
  if (tree.error && /Only SELECT statements/i.test(String(tree.error_message))) {
    return `${statementKind(body)} statements are not allowed; transform.sql is one SELECT (or WITH … SELECT) reading ${relationList(names)}`;
  }
  return checkSqlTree(tree, new Set(names), wording(names));
}

function wording(relations: string[]): PolicyWording {
  return {
    readInstead: `read ${relationList(relations)} by name (another published dataset can be listed under inputs: in pipeline.yaml)`,
    knownTables: `transform.sql reads ${relationList(relations)} (another published dataset can be listed under inputs: in pipeline.yaml)`,
  };
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
