import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The Node binary for child processes (astro build, the server). Astro 7 needs Node >= 22.12; npm
 * scripts already run on the registry's node@24 from node_modules/.bin, but a tool started with the
 * system Node 20 (e.g. `npx vitest` from a shell) would pass its own, too old, binary on.
 */
export function nodeBinary(root: string): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return process.execPath;
  const local = path.join(root, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}
