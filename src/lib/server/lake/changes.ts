import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { versionDir } from './read.ts';
import type { VersionDiff } from './version-diff.ts';

/**
 * data/lake/<id>/<version>/changes.json: what changed since the version it replaced, computed once by the run that
 * published it and stored inside the version folder (so it appears, atomically, with the version and never changes).
 * Pages read it instead of scanning two Parquet files per version after every restart (issue 8 finding 7).
 */
export const CHANGES_FORMAT = 'kota-terbuka/changes@1';

export type VersionChanges = VersionDiff & { format: typeof CHANGES_FORMAT };

export async function writeChanges(folder: string, diff: VersionDiff): Promise<void> {
  const changes: VersionChanges = { format: CHANGES_FORMAT, ...diff };
  await writeFile(path.join(folder, 'changes.json'), JSON.stringify(changes, null, 2));
}

/** The stored summary of a version, or null (published before summaries were stored, or the first version). */
export async function readChanges(id: string, version: string): Promise<VersionDiff | null> {
  try {
    const { format, ...diff } = JSON.parse(await readFile(path.join(versionDir(id, version), 'changes.json'), 'utf8')) as VersionChanges;
    return format === CHANGES_FORMAT && diff.to === version ? diff : null;
  } catch {
    return null;
  }
}
