import { createRequire } from 'node:module';

/** Bumped when the runner's output for the same input changes, so "unchanged" detection re-runs everything. */
export const RUNNER_VERSION = '1';

const require = createRequire(import.meta.url);
export const DUCKDB_VERSION: string = (require('@duckdb/node-api/package.json') as { version: string }).version;
