import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { diffCacheDir, exportCacheDir, scratchDir } from '../config/paths.ts';
import { env } from '../config/env.ts';
import { listVersions } from '../lake/read.ts';
import { isProcessAlive } from '../process-alive.ts';

/**
 * DATA_DIR/cache holds files the server can always make again: whole-version downloads and their compressed copies
 * (cache/exports/<id>/<version>/…) and version diffs (cache/diffs/<id>/<version>/…). Bounded three ways (issue 8
 * finding 10; once 3.8 GB beside a 251 MB lake):
 * - a version's files go with the version: when retention prunes it (lake/retention.ts) and, for anything else
 *   not listed any more, on the server's next sync (evictUnlistedVersions);
 * - the whole download cache is capped at KOTA_EXPORT_CACHE_MB, least recently used files first (enforceCacheCap);
 * - `.partial` files of a writer that died (a server killed mid-download) are removed at start (removeDeadPartials).
 */

/** Removes cached files of versions the lake no longer lists (pruned, orphaned, or a dataset removed). */
export async function evictUnlistedVersions(): Promise<string[]> {
  const removed: string[] = [];
  for (const root of [exportCacheDir(), diffCacheDir()]) {
    for (const id of await folders(root)) {
      const listed = new Set((await listVersions(id)).map((m) => m.version));
      for (const version of await folders(path.join(root, id))) {
        if (listed.has(version)) continue;
        await rm(path.join(root, id, version), { recursive: true, force: true });
        removed.push(`${id}/${version}`);
      }
      if (listed.size === 0) await rm(path.join(root, id), { recursive: true, force: true });
    }
  }
  return removed;
}

/** When each cached file was last served by this process (mtime stands in for files not served since start). */
const lastUse = new Map<string, number>();

export function noteCacheUse(file: string): void {
  if (file.startsWith(exportCacheDir() + path.sep)) lastUse.set(file, Date.now());
}

let capping: Promise<void> = Promise.resolve();

/** Deletes least recently used download files until the cache fits KOTA_EXPORT_CACHE_MB. Calls run one after another. */
export function enforceCacheCap(capBytes = env().KOTA_EXPORT_CACHE_MB * 1024 * 1024): Promise<void> {
  capping = capping.then(() => cap(capBytes)).catch((error) => console.warn(`[cache] could not apply the size cap: ${(error as Error).message}`));
  return capping;
}

async function cap(capBytes: number): Promise<void> {
  const files = await cachedFiles(exportCacheDir());
  let total = files.reduce((sum, f) => sum + f.size, 0);
  if (total <= capBytes) return;
  files.sort((a, b) => a.used - b.used);
  for (const file of files) {
    if (total <= capBytes) break;
    // A reader that has the file open keeps reading it; the next request writes it again.
    await rm(file.path, { force: true });
    lastUse.delete(file.path);
    total -= file.size;
  }
}

async function cachedFiles(root: string): Promise<{ path: string; size: number; used: number }[]> {
  const found: { path: string; size: number; used: number }[] = [];
  await eachFile(root, async (full, name) => {
    if (PARTIAL.test(name)) return;
    const s = await stat(full).catch(() => null);
    if (s) found.push({ path: full, size: s.size, used: lastUse.get(full) ?? s.mtimeMs });
  });
  return found;
}

/** Visits every file below `dir` (none when it does not exist). */
async function eachFile(dir: string, visit: (full: string, name: string) => Promise<void>): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await eachFile(full, visit);
    else if (entry.isFile()) await visit(full, entry.name);
  }
}

/** `<file>.<pid>.partial`: a cached file still being written (or whose writer died). */
const PARTIAL = /\.(\d+)\.partial$/;
/** Filtered downloads in DATA_DIR/tmp/exports: `<dataset>-<version>-<hash>-<pid>-<time>-<random>.<format>`. */
const FILTERED = /-[0-9a-f]{16}-(\d+)-\d+-[a-z0-9]+\.[a-z]+$/;
/** A partial nobody has written to for this long belongs to no live writer, whatever its pid says now. */
const STALE_MS = 60 * 60 * 1000;

/** At start: partial downloads whose writer is gone (the pid in the name is dead, or it is this process's own). */
export async function removeDeadPartials(): Promise<number> {
  let removed = 0;
  const sweep = (dir: string, pattern: RegExp) =>
    eachFile(dir, async (full, name) => {
      const pid = Number(pattern.exec(name)?.[1] ?? NaN);
      if (!Number.isInteger(pid)) return;
      const s = await stat(full).catch(() => null);
      if (s && (pid === process.pid || !isProcessAlive(pid) || Date.now() - s.mtimeMs > STALE_MS)) {
        await rm(full, { force: true });
        removed++;
      }
    });
  await sweep(exportCacheDir(), PARTIAL);
  await sweep(path.join(scratchDir(), 'exports'), FILTERED);
  return removed;
}

async function folders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

