import { rm } from 'node:fs/promises';
import { versionCacheDirs } from '../config/paths.ts';
import { readCurrent, listVersions, versionDir } from './read.ts';

/**
 * Keeps the newest `keep` versions (0 keeps all). The current version is never removed, and a kept
 * version's files are never touched: pruning deletes whole version folders only.
 */
export async function pruneVersions(id: string, keep: number): Promise<string[]> {
  if (keep <= 0) return [];
  const current = await readCurrent(id);
  const versions = await listVersions(id);
  const doomed = versions.slice(0, Math.max(0, versions.length - keep)).filter((m) => m.version !== current?.version);
  for (const m of doomed) {
    await rm(versionDir(id, m.version), { recursive: true, force: true });
    // Its downloads and diffs go with it (issue 8 finding 10): nothing will ever ask for them again.
    for (const dir of versionCacheDirs(id, m.version)) await rm(dir, { recursive: true, force: true });
  }
  return doomed.map((m) => m.version);
}
