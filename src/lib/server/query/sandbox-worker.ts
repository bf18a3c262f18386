// A child process that runs user SQL (started by ./sandbox.ts, talks over the IPC channel). Running it here, not in
// the server, is what makes the limits real: the server kills this process at the time limit or when its memory
// passes the cap, whatever DuckDB is doing (an interrupt only lands between chunks, and some scalar functions
// allocate outside DuckDB's memory limit).
import { exportResult, openSandbox, readResult, sandboxProblem, type BoundParam, type ExportFormat, type SandboxEngine, type SandboxTable } from './sandbox-engine.ts';
import type { SqlProblem } from './sql-policy.ts';

export type WorkerRequest =
  | { type: 'setup'; datasets: SandboxTable[]; memory: string; outputDir: string }
  | { type: 'query'; sql: string; params: BoundParam[]; maxRows: number; maxBytes: number }
  | { type: 'export'; sql: string; params: BoundParam[]; format: ExportFormat; file: string };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; columns: { name: string; type: string }[]; rows: Record<string, unknown>[]; truncated: boolean; truncatedBy: 'rows' | 'bytes' | null }
  | { type: 'exported'; rows: number }
  | { type: 'refused'; problem: SqlProblem }
  | { type: 'error'; message: string };

let engine: SandboxEngine | undefined;

async function answer(request: Exclude<WorkerRequest, { type: 'setup' }>): Promise<WorkerReply> {
  const conn = await engine!.instance.connect();
  try {
    const problem = await sandboxProblem(engine!, conn, request.sql);
    if (problem) return { type: 'refused', problem };
    if (request.type === 'export') return { type: 'exported', rows: await exportResult(conn, request.sql, request.params, request.format, request.file) };
    return { type: 'result', ...(await readResult(conn, request.sql, request.params, request)) };
  } catch (error) {
    return { type: 'error', message: (error as Error).message.split('\n')[0] ?? 'query failed' };
  } finally {
    conn.closeSync();
  }
}

process.on('message', (message: WorkerRequest) => {
  const reply = (r: WorkerReply) => process.send!(r);
  if (message.type === 'setup') {
    engine?.instance.closeSync();
    engine = undefined;
    openSandbox(message.datasets, message.memory, message.outputDir).then(
      (opened) => {
        engine = opened;
        reply({ type: 'ready' });
      },
      (error: Error) => reply({ type: 'error', message: error.message }),
    );
  } else {
    void answer(message).then(reply);
  }
});
process.on('disconnect', () => process.exit(0));
