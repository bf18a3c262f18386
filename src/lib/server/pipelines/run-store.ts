import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runsDir } from '../config/paths.ts';
import { writeFileAtomic } from '../lake/fs-atomic.ts';
import type { RunRecord } from './run-record.ts';

/** Run history and input fingerprints live in data/runs/<id>/: files, so the CLI never needs the server's database. */
function dir(id: string): string {
  return path.join(runsDir(), id);
}

export async function saveRun(record: RunRecord): Promise<void> {
  mkdirSync(dir(record.dataset), { recursive: true });
  await writeFileAtomic(path.join(dir(record.dataset), `${record.run_id}.json`), JSON.stringify(record, null, 2), record.run_id);
}

/** Newest first. */
export function listRuns(id: string, limit = 50): RunRecord[] {
  let files: string[];
  try {
    files = readdirSync(dir(id)).filter((f) => f.endsWith('.json') && !f.startsWith('.') && f !== 'state.json');
  } catch {
    return [];
  }
  return files
    .sort()
    .reverse()
    .slice(0, limit)
    .map((f) => JSON.parse(readFileSync(path.join(dir(id), f), 'utf8')) as RunRecord);
}

export interface InputState {
  fingerprint: string;
  version: string;
}

export function readInputState(id: string): InputState | null {
  try {
    return JSON.parse(readFileSync(path.join(dir(id), 'state.json'), 'utf8')) as InputState;
  } catch {
    return null;
  }
}

export async function saveInputState(id: string, state: InputState): Promise<void> {
  mkdirSync(dir(id), { recursive: true });
  await writeFileAtomic(path.join(dir(id), 'state.json'), JSON.stringify(state), 'state');
}

/** Sortable to the millisecond, unique: `20261128T081530123Z-<random>`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}
