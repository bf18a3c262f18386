import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { locksDir } from '../config/paths.ts';
import { isProcessAlive } from '../process-alive.ts';

export class LockedError extends Error {}

/**
 * One run per pipeline at a time, across processes (CLI, scheduler): an exclusive-create lock file holding
 * the owner's pid. A lock whose process is gone (kill -9) is stale and taken over.
 */
export function acquireLock(id: string): () => void {
  mkdirSync(locksDir(), { recursive: true });
  const file = path.join(locksDir(), `${id}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      if (owner && isProcessAlive(owner)) throw new LockedError(`pipeline "${id}" is already running (pid ${owner})`);
      rmSync(file, { force: true });
    }
  }
  throw new LockedError(`pipeline "${id}": could not take the lock ${file}`);
}
