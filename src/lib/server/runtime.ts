import { syncCatalog, startSyncLoop, stopSyncLoop } from './catalog/sync.ts';
import { platformDb } from './db/database.ts';
import { enforceCacheCap, evictUnlistedVersions, removeDeadPartials } from './export/disk-cache.ts';
import { prewarmPublicExports } from './export/prewarm.ts';
import { schedulerEnabled, startScheduler, stopScheduler } from './pipelines/scheduler.ts';
import { runShutdownClosers } from './shutdown.ts';

/**
 * Brings the server's background work up once per process: the platform DB (migrated on open), the
 * first catalog sync (which rebuilds a deleted index from the lake), the sync loop and the scheduler.
 * The middleware awaits this on every request; after the first it is a resolved promise.
 */
// Kept on globalThis: `astro dev` re-imports modules on edits, and a second sync loop or scheduler
// in the same process would double every scheduled run.
const state = ((globalThis as { [key: symbol]: unknown })[Symbol.for('kota-terbuka.runtime')] ??= {}) as {
  started?: Promise<void>;
};

export function ensureStarted(): Promise<void> {
  state.started ??= start().catch((error) => {
    // Let the next request try again instead of serving a server that never started.
    state.started = undefined;
    throw error;
  });
  return state.started;
}

async function start(): Promise<void> {
  await platformDb();
  const removed = await removeDeadPartials();
  if (removed > 0) console.info(`[runtime] removed ${removed} unfinished download file(s) left by a stopped server`);
  const report = await syncCatalog();
  console.info(`[runtime] catalog synced: ${report.updated.length} datasets, ${report.runsIndexed} runs`);
  const maintainCache = () => evictUnlistedVersions().then(() => enforceCacheCap());
  await maintainCache().catch((error) => console.warn(`[runtime] download cache upkeep failed: ${(error as Error).message}`));
  startSyncLoop(() => {
    // A version pruned or removed takes its cached downloads and diffs with it.
    void maintainCache().catch((error) => console.warn(`[runtime] download cache upkeep failed: ${(error as Error).message}`));
    prewarmPublicExports();
  });
  prewarmPublicExports();
  if (schedulerEnabled()) {
    startScheduler({ onRunExit: () => void syncCatalog().catch(() => undefined) });
  } else {
    console.info('[runtime] scheduler off (KOTA_SCHEDULER=off)');
  }
}

/**
 * The end of a graceful shutdown, once requests in flight are done: no more syncs or scheduled runs (a run going
 * now is stopped and recorded as interrupted), then every registered closer (SQL workers, engines).
 */
export async function stopRuntime(): Promise<void> {
  // A start still in progress finishes first, or it would start the loops again after they were stopped.
  await state.started?.catch(() => undefined);
  stopSyncLoop();
  await stopScheduler({ stopRunning: true });
  await runShutdownClosers();
}
