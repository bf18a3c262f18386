import { syncCatalog, startSyncLoop } from './catalog/sync.ts';
import { platformDb } from './db/database.ts';
import { schedulerEnabled, startScheduler } from './pipelines/scheduler.ts';

/**
 * Brings the server's background work up once per process: the platform DB (migrated on open), the
 * first catalog sync (which rebuilds a deleted index from the lake), the sync loop and the scheduler.
 * The middleware awaits this on every request; after the first it is a resolved promise.
 */
let started: Promise<void> | undefined;

export function ensureStarted(): Promise<void> {
  started ??= start().catch((error) => {
    // Let the next request try again instead of serving a server that never started.
    started = undefined;
    throw error;
  });
  return started;
}

async function start(): Promise<void> {
  await platformDb();
  const report = await syncCatalog();
  console.info(`[runtime] catalog synced: ${report.updated.length} datasets, ${report.runsIndexed} runs`);
  startSyncLoop();
  if (schedulerEnabled()) {
    startScheduler({ onRunExit: () => void syncCatalog().catch(() => undefined) });
  } else {
    console.info('[runtime] scheduler off (KOTA_SCHEDULER=off)');
  }
}
