import path from 'node:path';
import { ensureBuild } from '../../src/cli/build-stamp.ts';

/** Builds the site once per test run, and only when dist/.build-stamp says the sources changed. */
export default async function setup(): Promise<void> {
  // For running tests that need no server while someone else's change breaks the build.
  if (process.env.KOTA_SKIP_BUILD === '1') return;
  await ensureBuild(path.resolve(import.meta.dirname, '../..'), (line) => console.log(line));
}
