import { env } from '../config/env.ts';

/**
 * Named points in the publish sequence where a test can freeze the runner (KOTA_PAUSE_AT=<point>) and kill it
 * with SIGKILL, to prove a crash at that exact moment leaves the published lake intact. A no-op otherwise.
 */
export type FaultPoint = 'after-staging-written' | 'after-version-renamed' | 'before-pointer-renamed' | 'after-pointer-renamed';

export async function pauseAt(point: FaultPoint): Promise<void> {
  if (env().KOTA_PAUSE_AT !== point) return;
  process.stdout.write(`PAUSED ${point}\n`);
  await new Promise(() => setInterval(() => {}, 1 << 30));
}
