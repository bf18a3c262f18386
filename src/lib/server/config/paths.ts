import path from 'node:path';
import { env } from './env.ts';

/** Where everything mutable lives. Each getter reads the environment when called so tests can point at their own folders. */
export function projectRoot(): string {
  return env().KOTA_ROOT ?? process.cwd();
}

export function dataDir(): string {
  return path.resolve(projectRoot(), env().DATA_DIR);
}

export function lakeDir(): string {
  return path.join(dataDir(), 'lake');
}

/** Run records and input fingerprints: history, not published data, so they live outside the lake. */
export function runsDir(): string {
  return path.join(dataDir(), 'runs');
}

export function locksDir(): string {
  return path.join(dataDir(), 'locks');
}

export function scratchDir(): string {
  return path.join(dataDir(), 'tmp');
}

/** Derived files the server may delete and rebuild at any time: whole-version exports, version diffs. */
export function cacheDir(): string {
  return path.join(dataDir(), 'cache');
}

export function exportCacheDir(): string {
  return path.join(cacheDir(), 'exports');
}

export function diffCacheDir(): string {
  return path.join(cacheDir(), 'diffs');
}

/** A version's folders in both per-version caches: they go when the version goes. */
export function versionCacheDirs(id: string, version: string): string[] {
  return [exportCacheDir(), diffCacheDir()].map((root) => path.join(root, id, version));
}

export function platformDbPath(): string {
  return path.join(dataDir(), 'platform.duckdb');
}

/** Where local pipeline sources live: a spec's source.path must resolve (links followed) inside this folder. */
export function datasetsDir(): string {
  return path.join(projectRoot(), 'datasets');
}

export function pipelinesDir(): string {
  return path.resolve(projectRoot(), env().PIPELINES_DIR);
}

export function configPath(): string {
  return path.resolve(projectRoot(), env().KOTA_CONFIG);
}
