import { existsSync } from 'node:fs';
import { onDatasetsUpdated, syncCatalog, startSyncLoop, stopSyncLoop } from './catalog/sync.ts';
import { seedDemoInnovations } from './badami/demo.ts';
import { recordDatasetMeasurements } from './badami/kpi-binding.ts';
import { env } from './config/env.ts';
import { legacyPlatformDbPath } from './config/paths.ts';
import { catalogDb } from './catalog/index-db.ts';
import { startDigestSchedule, stopDigestSchedule } from './community/digest.ts';
import { startPhaseAnnouncements, stopPhaseAnnouncements } from './datathon/phase-announcements.ts';
import { closeStores, openStore } from './db/store.ts';
import { enforceCacheCap, evictUnlistedVersions, removeDeadPartials } from './export/disk-cache.ts';
import { prewarmPublicExports } from './export/prewarm.ts';
import { claimScheduledRun } from './pipelines/schedule-claims.ts';
import { schedulerEnabled, startScheduler, stopScheduler } from './pipelines/scheduler.ts';
import { refreshTableCache } from './query/table-cache.ts';
import { onShutdown, runShutdownClosers } from './shutdown.ts';

/**
 * Brings the server's background work up once per process: the app-state store (migrated on open), the
 * catalog index, the first catalog sync (which rebuilds a deleted index from the lake), the sync loop (which also
 * measures dataset-bound Badami KPIs on new versions), the scheduler, the daily notification digest
 * and the datathon's phase announcements.
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
  const store = await openStore();
  // Closed last, after the catalog index (closers run newest first): a request's last write may still be committing.
  onShutdown('app-state store', closeStores);
  console.info(`[runtime] app-state store: ${store.description}`);
  if (existsSync(legacyPlatformDbPath())) {
    // Accounts and download counts of the DuckDB era are not carried over (no deployment held real accounts).
    console.warn(`[runtime] ${legacyPlatformDbPath()} is no longer used (app state is in the store, the catalog index in its own file); it can be deleted`);
  }
  await catalogDb();
  const removed = await removeDeadPartials();
  if (removed > 0) console.info(`[runtime] removed ${removed} unfinished download file(s) left by a stopped server`);
  // Every new version of a dataset records a measurement of the Badami KPIs bound to it (citing the version).
  onDatasetsUpdated(recordDatasetMeasurements);
  const report = await syncCatalog();
  console.info(`[runtime] catalog synced: ${report.updated.length} datasets, ${report.runsIndexed} runs`);
  if (env().KOTA_DEMO_CONTENT === 'on') {
    // After the sync, so the demo KPIs can bind to the demo datasets; a failure leaves the server running.
    await seedDemoInnovations()
      .then(({ created }) => created > 0 && console.info(`[runtime] Badami demo content: ${created} innovations seeded`))
      .catch((error) => console.error(`[runtime] Badami demo content not seeded: ${(error as Error).message}`));
  }
  const maintainCache = () => evictUnlistedVersions().then(() => enforceCacheCap());
  await maintainCache().catch((error) => console.warn(`[runtime] download cache upkeep failed: ${(error as Error).message}`));
  // After every sync that changed the catalog: native tables for the new versions, then the downloads.
  const afterChange = () => {
    // A version pruned or removed takes its cached downloads and diffs with it.
    void maintainCache().catch((error) => console.warn(`[runtime] download cache upkeep failed: ${(error as Error).message}`));
    void refreshTableCache().then(prewarmPublicExports);
  };
  startSyncLoop(afterChange);
  void refreshTableCache().then(prewarmPublicExports);
  startDigestSchedule();
  // Datathon phases begin by the clock, with no request: announced within a minute (and now, after a restart).
  startPhaseAnnouncements();
  if (schedulerEnabled()) {
    startScheduler({
      onRunExit: () =>
        void syncCatalog()
          .then((report) => (report.updated.length > 0 || report.removed.length > 0 ? afterChange() : undefined))
          .catch(() => undefined),
      claim: claimScheduledRun,
    });
  } else {
    console.info('[runtime] scheduler off (KOTA_SCHEDULER=off)');
  }
}

/**
 * The end of a graceful shutdown, once requests in flight are done: no more syncs or scheduled runs (a run going
 * now is stopped and recorded as interrupted), then every registered closer (catalog index, app-state store).
 */
export async function stopRuntime(): Promise<void> {
  // A start still in progress finishes first, or it would start the loops again after they were stopped.
  await state.started?.catch(() => undefined);
  stopDigestSchedule();
  stopPhaseAnnouncements();
  await stopScheduler({ stopRunning: true });
  await stopSyncLoop();
  await runShutdownClosers();
}
