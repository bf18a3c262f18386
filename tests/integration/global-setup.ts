import path from 'node:path';
import { ensureBuild } from '../../src/cli/build-stamp.ts';

/** Builds the site once per test run, and only when dist/.build-stamp says the sources changed. */
export default async function setup(): Promise<void> {
  await ensureBuild(path.resolve(import.meta.dirname, '../..'), (line) => console.log(line));
}
