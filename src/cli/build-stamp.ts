import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nodeBinary } from './node-binary.ts';

/**
 * "Is dist/ built from the sources we have?" A hash of everything the build reads is kept in
 * dist/.build-stamp, so `npm start` and the integration tests rebuild only after a change.
 */
export const BUILD_INPUTS = ['src', 'public', 'astro.config.mjs', 'package-lock.json', 'tsconfig.json'];

/** The build output folder: dist/, or KOTA_DIST_DIR so that parallel work trees or sessions do not share one. */
export function distDir(root: string): string {
  return path.resolve(root, process.env.KOTA_DIST_DIR ?? 'dist');
}

export function stampFile(root: string): string {
  return path.join(distDir(root), '.build-stamp');
}

export function sourceHash(root: string): string {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    for (const file of listFiles(path.join(root, input))) {
      // Path and content both count: a rename changes the build as much as an edit.
      hash.update(path.relative(root, file).split(path.sep).join('/')).update('\0');
      hash.update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

export function isBuildFresh(root: string): boolean {
  if (!existsSync(path.join(distDir(root), 'server', 'entry.mjs'))) return false;
  try {
    return readFileSync(stampFile(root), 'utf8').trim() === sourceHash(root);
  } catch {
    return false;
  }
}

/** Runs `astro build` when dist/ is stale; returns whether it built. Throws when the build fails. */
export async function ensureBuild(root: string, log: (line: string) => void = console.log): Promise<boolean> {
  const hash = sourceHash(root);
  if (isBuildFresh(root)) {
    log('[build] dist/ is up to date with the sources; not rebuilding');
    return false;
  }
  log('[build] sources changed since the last build; running astro build');
  // Remove the stamp first so an interrupted build is never mistaken for a fresh one.
  rmSync(stampFile(root), { force: true });
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(nodeBinary(root), [path.join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`astro build failed (exit code ${code})`);
  writeFileSync(stampFile(root), `${hash}\n`);
  return true;
}

function listFiles(target: string): string[] {
  if (!existsSync(target)) return [];
  if (!statSync(target).isDirectory()) return [target];
  const files: string[] = [];
  for (const entry of readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
