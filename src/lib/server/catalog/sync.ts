import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { reloadDeploymentIfChanged } from '../config/deployment.ts';
import { lakeDir, runsDir } from '../config/paths.ts';
import { indexTransaction, withConnection } from './index-db.ts';
import { MANIFEST_FORMAT, type Manifest } from '../lake/manifest.ts';
import { currentPointerStamp, datasetDir, listVersions, readCurrentManifest } from '../lake/read.ts';
import { DATASET_ID } from '../lake/schema.ts';
import { bumpCatalogGeneration } from './generation.ts';
import * as index from './index-writer.ts';
import { listRunFiles, listRunFolders, readRunFile } from './run-records.ts';

/**
 * Keeps the catalog index (catalog.duckdb, see index-db.ts) in step with the lake and the run records.
 * The first sync after start reconciles everything (so a deleted index is rebuilt: invariant 4); later
 * syncs only re-read datasets whose stamps changed, which makes polling every 2 s cheap (invariant 5).
 */
const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Last seen stamp per dataset / runs folder; empty until the first sync, which compares with the index instead. */
const seen = { datasets: new Map<string, string>(), runs: new Map<string, string>(), primed: false };
let lastSyncAt: string | null = null;
let current: Promise<SyncReport> | undefined;
let queued: Promise<SyncReport> | undefined;

export interface SyncReport {
  updated: string[];
  removed: string[];
  runsIndexed: number;
}

/** Syncs now. Calls while a sync runs share one follow-up sync, so a caller always sees changes made before its call. */
export function syncCatalog(): Promise<SyncReport> {
  if (!current) {
    current = syncOnce().finally(() => (current = undefined));
    return current;
  }
  queued ??= current.catch(() => undefined).then(() => {
    queued = undefined;
    return syncCatalog();
  });
  return queued;
}

type UpdateListener = (datasetIds: string[]) => Promise<unknown>;
const updateListeners = new Set<UpdateListener>();

/**
 * Runs `listener` after every sync that saw new versions, with their dataset ids (Badami measures the KPIs bound to
 * them). A failing listener is logged and never fails the sync: a publish is never held up by what follows it.
 */
export function onDatasetsUpdated(listener: UpdateListener): void {
  updateListeners.add(listener);
}

export function lastCatalogSync(): string | null {
  return lastSyncAt;
}

let loop: NodeJS.Timeout | undefined;
let runsIndexedSyncs = 0;

/** Moves whenever a sync indexed a pipeline run (a failed run adds no version, so the generation stays). */
export function runsGeneration(): number {
  return runsIndexedSyncs;
}

/** Polls the lake; `onChange` runs after a sync that updated or removed a dataset. */
export function startSyncLoop(onChange?: () => void, intervalMs = 2000): void {
  if (loop) return;
  loop = setInterval(() => {
    // Skip a tick rather than pile up follow-ups when a sync is slow.
    if (current) return;
    syncCatalog()
      .then((report) => (report.updated.length > 0 || report.removed.length > 0 ? onChange?.() : undefined))
      .catch((error) => console.error(`[catalog] sync failed: ${(error as Error).message}`));
  }, intervalMs);
  loop.unref();
}

/** Stops polling and waits for a sync already under way, so nothing writes the index once the server closes it. */
export async function stopSyncLoop(): Promise<void> {
  clearInterval(loop);
  loop = undefined;
  await Promise.allSettled([current, queued]);
}

async function syncOnce(): Promise<SyncReport> {
  const report: SyncReport = { updated: [], removed: [], runsIndexed: 0 };
  await syncDatasets(report);
  await syncRuns(report);
  // OPD names live in the deployment config: a changed file re-renders what was built from it (search index…).
  const config = reloadDeploymentIfChanged();
  if (typeof config === 'object') console.error(`[config] ${config.error}; keeping the configuration in use`);
  if (report.updated.length > 0 || report.removed.length > 0 || config === 'reloaded') bumpCatalogGeneration();
  if (report.runsIndexed > 0) runsIndexedSyncs++;
  // After the generation moved on, so what listeners query (the SQL sandbox) reads the new versions.
  for (const listener of report.updated.length > 0 ? updateListeners : []) {
    await listener(report.updated).catch((error) => console.error(`[catalog] after the sync: ${(error as Error).message}`));
  }
  seen.primed = true;
  lastSyncAt = new Date().toISOString();
  return report;
}

async function syncDatasets(report: SyncReport): Promise<void> {
  const stamps = new Map<string, string>();
  for (const id of await subfolders(lakeDir())) {
    if (!DATASET_ID.test(id)) continue;
    const stamp = await datasetStamp(id);
    if (stamp) stamps.set(id, stamp);
  }
  const previous = seen.primed ? [...seen.datasets.keys()] : await withConnection(index.indexedDatasetIds);
  for (const id of previous) {
    if (stamps.has(id)) continue;
    await indexTransaction((conn) => index.removeDataset(conn, id));
    seen.datasets.delete(id);
    report.removed.push(id);
  }
  for (const [id, stamp] of stamps) {
    if (seen.datasets.get(id) === stamp) continue;
    // Remember the stamp even when the dataset is unreadable: it is immutable until the next publish
    // changes the stamp, so retrying every tick would only repeat the same log line.
    seen.datasets.set(id, stamp);
    try {
      const manifest = await readCurrentManifest(id);
      const problem = manifestProblem(id, manifest);
      if (problem) {
        console.warn(`[catalog] ${id}: not indexed: ${problem}`);
        await indexTransaction((conn) => index.removeDataset(conn, id));
        report.removed.push(id);
        continue;
      }
      const versions = (await listVersions(id)).filter((v) => !manifestProblem(id, v));
      await indexTransaction((conn) => index.replaceDataset(conn, manifest!, versions));
      report.updated.push(id);
    } catch (error) {
      console.warn(`[catalog] ${id}: not indexed: ${(error as Error).message}`);
    }
  }
}

/** Why a manifest cannot be served, or null when it can. */
function manifestProblem(id: string, manifest: Manifest | null): string | null {
  if (!manifest) return 'current.json points to a version without manifest.json';
  if (manifest.format !== MANIFEST_FORMAT) return `expected manifest format ${MANIFEST_FORMAT}, found ${String(manifest.format)}`;
  if (manifest.dataset !== id) return `manifest names dataset "${manifest.dataset}"`;
  if (!VERSION_NAME.test(manifest.version)) return `invalid version name "${manifest.version}"`;
  return null;
}

/** Changes when current.json is replaced or a version folder is added or pruned (both change the folder's mtime). */
async function datasetStamp(id: string): Promise<string | null> {
  const pointer = await currentPointerStamp(id);
  if (!pointer) return null;
  const folder = await stat(datasetDir(id)).catch(() => null);
  return folder ? `${folder.mtimeMs}|${pointer}` : null;
}

async function syncRuns(report: SyncReport): Promise<void> {
  const folders = await listRunFolders();
  const previous = seen.primed ? [...seen.runs.keys()] : await withConnection(index.indexedRunDatasets);
  for (const dataset of previous) {
    if (folders.includes(dataset)) continue;
    await indexTransaction((conn) => index.removeRunsExcept(conn, dataset, []));
    seen.runs.delete(dataset);
  }
  for (const dataset of folders) {
    const folder = await stat(path.join(runsDir(), dataset)).catch(() => null);
    if (!folder) continue;
    const stamp = String(folder.mtimeMs);
    if (seen.runs.get(dataset) === stamp) continue;
    const { indexed, complete } = await syncRunFolder(dataset);
    report.runsIndexed += indexed;
    // A record caught half-written is retried on the next tick: its folder stamp may not change again.
    if (complete) seen.runs.set(dataset, stamp);
  }
}

async function syncRunFolder(dataset: string): Promise<{ indexed: number; complete: boolean }> {
  const files = await listRunFiles(dataset);
  const known = await withConnection((conn) => index.indexedRunIds(conn, dataset));
  let indexed = 0;
  let complete = true;
  await indexTransaction(async (conn) => {
    await index.removeRunsExcept(conn, dataset, files);
    for (const runId of files) {
      if (known.has(runId)) continue;
      const file = await readRunFile(dataset, runId);
      if (file.kind === 'partial') complete = false;
      if (file.kind !== 'record') continue;
      await index.insertRun(conn, dataset, file.record);
      indexed++;
    }
  });
  return { indexed, complete };
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
