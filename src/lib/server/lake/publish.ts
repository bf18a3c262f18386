import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../db/sql.ts';
import { sha256File } from '../pipelines/extract.ts';
import { pauseAt } from './fault.ts';
import { fsyncPath, writeFileAtomic } from './fs-atomic.ts';
import { MANIFEST_FORMAT, type CurrentPointer, type Manifest } from './manifest.ts';
import { writeChanges } from './changes.ts';
import { appendPublished, readPublishedLog, seedPublishedLog } from './published-log.ts';
import { datasetDir, readCurrent, readManifest, versionDir, versionFolders } from './read.ts';
import type { VersionDiff } from './version-diff.ts';

export type ManifestDraft = Omit<Manifest, 'format' | 'version' | 'published_at' | 'data'> & { rows: number };

/** Where a run writes its Parquet before publishing: a dot-folder beside the versions, on the same filesystem. */
export function stagingDir(id: string, runId: string): string {
  return path.join(datasetDir(id), `.${runId}`);
}

export function stagedParquet(id: string, runId: string): string {
  return path.join(stagingDir(id, runId), 'data.parquet');
}

/** COPY a SELECT into the run's staging Parquet (zstd). */
export async function writeStagedParquet(conn: DuckDBConnection, select: string, id: string, runId: string): Promise<void> {
  await mkdir(stagingDir(id, runId), { recursive: true });
  await conn.run(`COPY (${select}) TO ${quoteLiteral(stagedParquet(id, runId))} (FORMAT parquet, COMPRESSION zstd)`);
}

/** A version's changes from the one it replaced, worked out by the run that publishes it (see changes.ts). */
export type ChangesFromPrevious = () => Promise<Omit<VersionDiff, 'to'> | null>;

/**
 * Publishes the run's staged Parquet as a new immutable version and points current.json at it.
 *
 * 1. Parquet (already written by the run) + manifest (+ changes.json) sit in the staging folder `.<run_id>`.
 * 2. The version id is derived from the content: sha256 of the Parquet bytes and of the descriptive manifest parts.
 * 3. The staging folder is renamed to `<version>` (all or nothing); if that version already exists, it is reused.
 * 4. current.json is replaced by rename. A crash before step 4 leaves the old pointer, so the old version keeps serving,
 *    and the renamed folder is an orphan that is never listed and is removed by the next run.
 * 5. The version is appended to published.log: from now on it is listed even when it is no longer current.
 *
 * `changesFrom` runs only when a new version folder is made: its diff summary is stored with it, once (versions
 * never change, so neither does what changed since the one before).
 */
export async function publishVersion(
  draft: ManifestDraft,
  runId: string,
  dataSha256?: Promise<string>,
  changesFrom?: ChangesFromPrevious,
): Promise<{ manifest: Manifest; reused: boolean }> {
  const dir = datasetDir(draft.dataset);
  const staging = stagingDir(draft.dataset, runId);
  const parquet = stagedParquet(draft.dataset, runId);
  // The runner may have hashed the staged file already, while it validated.
  const dataSha = await (dataSha256 ?? sha256File(parquet));
  const bytes = (await stat(parquet)).size;
  const version = versionId(dataSha, draft);
  const { rows, ...described } = draft;
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    ...described,
    version,
    published_at: new Date().toISOString(),
    data: { path: 'data.parquet', rows, bytes, sha256: dataSha },
  };
  const target = versionDir(draft.dataset, version);
  let reused = false;
  if (existsSync(path.join(target, 'manifest.json'))) {
    reused = true;
    await rm(staging, { recursive: true, force: true });
  } else {
    await writeFile(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const changes = await changesFrom?.();
    if (changes) await writeChanges(staging, { ...changes, to: version });
    for (const file of await readdir(staging)) await fsyncPath(path.join(staging, file));
    await pauseAt('after-staging-written');
    await rename(staging, target);
    await fsyncPath(dir);
    await pauseAt('after-version-renamed');
  }
  const current = await readCurrent(draft.dataset);
  if (current?.version !== version) {
    await pauseAt('before-pointer-renamed');
    const pointer: CurrentPointer = { dataset: draft.dataset, version, published_at: manifest.published_at };
    await writeFileAtomic(path.join(dir, 'current.json'), JSON.stringify(pointer, null, 2) + '\n', runId);
    await pauseAt('after-pointer-renamed');
  }
  if (!(await readPublishedLog(dir))?.has(version)) await appendPublished(dir, { version, published_at: manifest.published_at, run_id: runId });
  return { manifest, reused };
}

/** Content address: the same data and description give the same id, whichever run produced them. */
export function versionId(dataSha256: string, draft: Pick<ManifestDraft, 'metadata' | 'schema' | 'charts'>): string {
  const described = canonicalJson({ metadata: draft.metadata, schema: draft.schema, charts: draft.charts });
  return createHash('sha256').update(dataSha256).update('\n').update(described).digest('hex').slice(0, 16);
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Before a run of a dataset: removes what killed runs left behind. Staging folders (".<run_id>") and orphan
 * versions (renamed, never made current: not in published.log) go; the current version is logged if a kill came
 * between the pointer switch and the log append. A dataset published before the log existed gets one listing every
 * version it has now. Runs of one dataset hold its lock, so nothing here races a publish.
 */
export async function removeUnpublished(id: string, runId: string): Promise<string[]> {
  const dir = datasetDir(id);
  if (!existsSync(dir)) return [];
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('.')) await rm(path.join(dir, entry), { recursive: true, force: true });
  }
  const current = await readCurrent(id);
  const folders = await versionFolders(id);
  let published = await readPublishedLog(dir);
  if (!published) {
    const entries = (await Promise.all(folders.map((v) => readManifest(id, v))))
      .filter((m): m is Manifest => m !== null)
      .sort((a, b) => a.published_at.localeCompare(b.published_at))
      .map((m) => ({ version: m.version, published_at: m.published_at, run_id: m.lineage.run_id }));
    await seedPublishedLog(dir, entries, runId);
    published = new Set(entries.map((e) => e.version));
  }
  if (current && !published.has(current.version)) {
    await appendPublished(dir, { version: current.version, published_at: current.published_at, run_id: runId });
    published.add(current.version);
  }
  const orphans = folders.filter((v) => !published.has(v));
  for (const orphan of orphans) await rm(versionDir(id, orphan), { recursive: true, force: true });
  return orphans;
}
