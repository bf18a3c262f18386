// A child process that runs user SQL (started by ./sandbox.ts, talks over the IPC channel). Running it here, not in
// the server, is what makes the limits real: the server kills this process at the time limit or when its memory
// passes the cap, whatever DuckDB is doing (an interrupt only lands between chunks, and some scalar functions
// allocate outside DuckDB's memory limit).
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteIdent, quoteList, quoteLiteral } from '../db/sql.ts';
import { checkSqlTree } from './sql-policy.ts';

export type WorkerRequest =
  | { type: 'setup'; datasets: { id: string; file: string }[]; memory: string }
  | { type: 'query'; sql: string; maxRows: number };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; columns: { name: string; type: string }[]; rows: Record<string, unknown>[]; truncated: boolean }
  | { type: 'error'; message: string };

let instance: DuckDBInstance | undefined;
let tables = new Set<string>();

async function setup(datasets: { id: string; file: string }[], memory: string): Promise<void> {
  instance?.closeSync();
  instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    memory_limit: memory,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    temp_directory: '',
  });
  const conn = await instance.connect();
  try {
    if (datasets.length > 0) await conn.run(`SET allowed_paths = ${quoteList(datasets.map((d) => d.file))}`);
    for (const d of datasets) await conn.run(`CREATE VIEW ${quoteIdent(d.id)} AS SELECT * FROM read_parquet(${quoteLiteral(d.file)})`);
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
  } finally {
    conn.closeSync();
  }
  tables = new Set(datasets.map((d) => d.id));
}

async function query(sql: string, maxRows: number): Promise<WorkerReply> {
  const conn = await instance!.connect();
  try {
    // json_serialize_sql only takes a constant; the literal is escaped by the one quoting helper, and it only parses.
    const tree = (await conn.runAndReadAll(`SELECT json_serialize_sql(${quoteLiteral(sql)}) AS tree`)).getRowObjectsJson()[0]!.tree;
    const problem = checkSqlTree(JSON.parse(String(tree)), tables);
    if (problem) return { type: 'error', message: problem };
    const result = await conn.stream(sql);
    const names = result.deduplicatedColumnNames();
    const columns = names.map((name, i) => ({ name, type: result.columnType(i).toString() }));
    const rows: Record<string, unknown>[] = [];
    for await (const chunk of result.yieldRowObjectJson()) {
      rows.push(...(chunk as Record<string, unknown>[]));
      if (rows.length > maxRows) break;
    }
    return { type: 'result', columns, rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
  } catch (error) {
    return { type: 'error', message: (error as Error).message.split('\n')[0] ?? 'query failed' };
  } finally {
    conn.closeSync();
  }
}

process.on('message', (message: WorkerRequest) => {
  const reply = (r: WorkerReply) => process.send!(r);
  if (message.type === 'setup') {
    setup(message.datasets, message.memory).then(
      () => reply({ type: 'ready' }),
      (error: Error) => reply({ type: 'error', message: error.message }),
    );
  } else if (message.type === 'query') {
    void query(message.sql, message.maxRows).then(reply);
  }
});
process.on('disconnect', () => process.exit(0));
