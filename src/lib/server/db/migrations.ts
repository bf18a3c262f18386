import type { Migration } from './migrate.ts';

/** Every domain's migrations, in the order they must run. Append; never edit a shipped one. */
export const migrations: Migration[] = [];
