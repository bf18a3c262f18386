import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { runsDir } from '../config/paths.ts';
import type { RunRecord } from '../pipelines/run-record.ts';

/**
 * Reads run records (`data/runs/<id>/<run_id>.json`) for the index. The runs folder also holds other
 * files of the runner (input fingerprints), so anything that does not look like a run record is ignored
 * rather than reported.
 */
const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO timestamp');
const runRecordShape = z.looseObject({
  run_id: z.string().min(1),
  trigger: z.string(),
  status: z.enum(['published', 'unchanged', 'failed', 'error']),
  started_at: timestamp,
  finished_at: timestamp,
  duration_ms: z.number(),
  rows: z.number().nullable().default(null),
  version: z.string().nullable().default(null),
  error: z.string().nullable().default(null),
});

/** Dataset folders under data/runs. */
export async function listRunFolders(): Promise<string[]> {
  try {
    const entries = await readdir(runsDir(), { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Run ids (file stems) present in one dataset's runs folder. */
export async function listRunFiles(dataset: string): Promise<string[]> {
  try {
    const names = await readdir(path.join(runsDir(), dataset));
    return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -'.json'.length));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export type RunFile =
  | { kind: 'record'; record: RunRecord }
  /** Not a run record (another file of the runner): skip it. */
  | { kind: 'other' }
  /** Unreadable JSON, most likely a record still being written: try again on a later sync. */
  | { kind: 'partial' };

export async function readRunFile(dataset: string, runId: string): Promise<RunFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(runsDir(), dataset, `${runId}.json`), 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return { kind: 'partial' };
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'other' };
    throw error;
  }
  const parsed = runRecordShape.safeParse(raw);
  if (!parsed.success || parsed.data.run_id !== runId) return { kind: 'other' };
  return { kind: 'record', record: parsed.data as unknown as RunRecord };
}
