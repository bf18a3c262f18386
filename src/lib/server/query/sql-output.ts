import { readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { scratchDir } from '../config/paths.ts';
import { isProcessAlive } from '../process-alive.ts';

/**
 * Where SQL workers write full-result downloads: DATA_DIR/tmp/sql/<host>-<server pid>/w<worker pid>/. Each worker's
 * engine may write only inside its own folder; files are deleted once sent, folders when their worker exits, and
 * folders left by a server that was killed are swept when the next one starts its first worker.
 */
export function sqlOutputRoot(): string {
  return path.join(scratchDir(), 'sql', `${hostname()}-${process.pid}`);
}

export function sweepStaleOutputs(): void {
  const parent = path.join(scratchDir(), 'sql');
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  const prefix = `${hostname()}-`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue; // another machine's server, on a shared DATA_DIR
    const pid = Number(entry.slice(prefix.length));
    if (pid === process.pid || (Number.isInteger(pid) && isProcessAlive(pid))) continue;
    rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}
