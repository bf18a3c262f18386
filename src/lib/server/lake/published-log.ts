import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './fs-atomic.ts';

/**
 * data/lake/<id>/published.log: one JSON line per version that became current, appended right after current.json
 * is switched to it. A version folder counts as published (listed, served, downloadable) only when it is in this log
 * or is the current one: a publish killed between renaming its folder and switching the pointer leaves an orphan
 * that nobody sees and that the next run removes (issue 8 finding 14). A kill between the switch and the append
 * leaves a current version not yet logged, which is listed anyway and logged by the next run.
 *
 * A dataset folder without the log was published before it existed: all its complete versions count as published
 * until the next run writes the log (seedPublishedLog).
 */
export const PUBLISHED_LOG = 'published.log';

export interface PublishedEntry {
  version: string;
  published_at: string;
  run_id: string;
}

function logFile(datasetDir: string): string {
  return path.join(datasetDir, PUBLISHED_LOG);
}

/** The versions ever made current, or null for a dataset published before the log existed. */
export async function readPublishedLog(datasetDir: string): Promise<Set<string> | null> {
  let text: string;
  try {
    text = await readFile(logFile(datasetDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const versions = new Set<string>();
  for (const line of text.split('\n')) {
    // A line torn by a crash mid-append is skipped; its version is the current one and gets logged again.
    try {
      const entry = JSON.parse(line) as Partial<PublishedEntry>;
      if (typeof entry.version === 'string') versions.add(entry.version);
    } catch {
      continue;
    }
  }
  return versions;
}

/** Appends one entry and fsyncs it: once this returns, the version stays listed whatever happens next. */
export async function appendPublished(datasetDir: string, entry: PublishedEntry): Promise<void> {
  const handle = await open(logFile(datasetDir), 'a');
  try {
    // A leading newline closes a line a crash may have left unfinished.
    await handle.write(`\n${JSON.stringify(entry)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes the log of a dataset published before it existed: every version there now counts as published. */
export async function seedPublishedLog(datasetDir: string, entries: PublishedEntry[], tag: string): Promise<void> {
  await writeFileAtomic(logFile(datasetDir), entries.map((e) => JSON.stringify(e)).join('\n') + '\n', tag);
}
