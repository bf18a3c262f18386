import { existsSync } from 'node:fs';
import { syncCatalog, startSyncLoop } from './catalog/sync.ts';
import { legacyPlatformDbPath } from './config/paths.ts';
import { catalogDb } from './catalog/index-db.ts';
import { startDigestSchedule } from './community/digest.ts';
import { openStore } from './db/store.ts';
import { prewarmPublicExports } from './export/prewarm.ts';
import { claimScheduledRun } from './pipelines/schedule-claims.ts';
import { schedulerEnabled, startScheduler } from './pipelines/scheduler.ts';

/**
 * Brings the server's background work up once per process: the app-state store (migrated on open), the
 * catalog index, the first catalog sync (which rebuilds a deleted index from the lake), the sync loop, the scheduler
 * and the daily notification digest.
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
  console.info(`[runtime] app-state store: ${store.description}`);
  if (existsSync(legacyPlatformDbPath())) {
    // Accounts and download counts of the DuckDB era are not carried over (no deployment held real accounts).
    console.warn(`[runtime] ${legacyPlatformDbPath()} is no longer used (app state is in the store, the catalog index in its own file); it can be deleted`);
  }
  await catalogDb();
  const report = await syncCatalog();
  console.info(`[runtime] catalog synced: ${report.updated.length} datasets, ${report.runsIndexed} runs`);
  startSyncLoop(() => prewarmPublicExports());
  prewarmPublicExports();
  startDigestSchedule();
  if (schedulerEnabled()) {
    startScheduler({ onRunExit: () => void syncCatalog().catch(() => undefined), claim: claimScheduledRun });
  } else {
    console.info('[runtime] scheduler off (KOTA_SCHEDULER=off)');
  }
}
