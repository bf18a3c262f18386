/**
 * Closers run when the server stops gracefully (SIGTERM/SIGINT, see http/graceful.ts), after in-flight requests
 * have finished. Each part registers its own when it starts (the database when it opens, the SQL workers when
 * the first is forked), so no central list has to know them. They run last-registered first, like `defer`: the
 * engines that were opened first are closed last.
 */
const closers: { name: string; close: () => Promise<void> | void }[] = [];

export function onShutdown(name: string, close: () => Promise<void> | void): void {
  closers.push({ name, close });
}

/** Runs every closer once, newest first; a closer that fails is logged and the rest still run. */
export async function runShutdownClosers(): Promise<void> {
  while (closers.length > 0) {
    const { name, close } = closers.pop()!;
    try {
      await close();
    } catch (error) {
      console.warn(`[shutdown] ${name}: ${(error as Error).message}`);
    }
  }
}
