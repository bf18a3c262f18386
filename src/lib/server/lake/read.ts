import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { lakeDir } from '../config/paths.ts';
import type { CurrentPointer, Manifest } from './manifest.ts';
import { readPublishedLog } from './published-log.ts';

export function datasetDir(id: string): string {
  return path.join(lakeDir(), id);
}

export function versionDir(id: string, version: string): string {
  return path.join(datasetDir(id), version);
}

export function versionDataPath(id: string, version: string): string {
  return path.join(versionDir(id, version), 'data.parquet');
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function readCurrent(id: string): Promise<CurrentPointer | null> {
  return readJson<CurrentPointer>(path.join(datasetDir(id), 'current.json'));
}

export function readManifest(id: string, version: string): Promise<Manifest | null> {
  return readJson<Manifest>(path.join(versionDir(id, version), 'manifest.json'));
}

export async function readCurrentManifest(id: string): Promise<Manifest | null> {
  const current = await readCurrent(id);
  return current ? readManifest(id, current.version) : null;
}

/** Dataset ids that have a published current version. */
export async function listLakeDatasets(): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(lakeDir());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const ids: string[] = [];
  for (const entry of entries.sort()) {
    if (entry.startsWith('.')) continue;
    if (await readCurrent(entry)) ids.push(entry);
  }
  return ids;
}

/** Complete versions of a dataset, oldest first (staging folders start with "." and are skipped). */
export async function listVersions(id: string): Promise<Manifest[]> {
  const published = await readPublishedLog(datasetDir(id));
  const current = published ? await readCurrent(id) : null;
  const manifests: Manifest[] = [];
  for (const folder of await versionFolders(id)) {
    // Only versions that were made current: a folder renamed by a publish that was killed before the pointer
    // switch is an orphan, never listed (see published-log.ts).
    if (published && !published.has(folder) && folder !== current?.version) continue;
    const manifest = await readManifest(id, folder);
    if (manifest) manifests.push(manifest);
  }
  return manifests.sort((a, b) => a.published_at.localeCompare(b.published_at));
}

/** Every version folder of a dataset, published or not (staging folders start with "." and are skipped). */
export async function versionFolders(id: string): Promise<string[]> {
  try {
    const entries = await readdir(datasetDir(id), { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Cheap change detection for the server's sync loop: the pointer file's mtime and size. */
export async function currentPointerStamp(id: string): Promise<string | null> {
  try {
    const s = await stat(path.join(datasetDir(id), 'current.json'));
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return null;
  }
}
