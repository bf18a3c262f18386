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

/** The app-state store when it is SQLite (no DATABASE_URL). */
export function appDbPath(): string {
  return path.join(dataDir(), 'app.sqlite');
}

/** The catalog index: a DuckDB file rebuilt from the lake whenever it is missing or of an older format. */
export function catalogIndexPath(): string {
  const configured = env().KOTA_CATALOG_INDEX;
  return configured ? path.resolve(projectRoot(), configured) : path.join(dataDir(), 'catalog.duckdb');
}

/** Where the server kept accounts and the catalog before the store; ignored now (runtime.ts says so at start). */
export function legacyPlatformDbPath(): string {
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
