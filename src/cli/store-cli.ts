import { closeStores } from '../lib/server/db/store.ts';

/** A mistake in how a store CLI was called: printed as one line after the CLI's name, never as a stack trace. */
export class CliError extends Error {}

/**
 * Runs a CLI that works on the app-state store: a CliError prints as `name: message`, anything else in full; the exit
 * code is 1 on failure; the store is closed either way so PostgreSQL pools let the process end.
 */
export async function runStoreCli(name: string, main: (argv: string[]) => Promise<void>): Promise<void> {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof CliError ? `${name}: ${error.message}` : error);
    process.exitCode = 1;
  } finally {
    await closeStores();
  }
}
