/**
 * The one in-process cache for read models that are asked on every page view but change rarely: catalog details
 * per catalog generation, immutable versions' manifests, diffs, rendered charts and row pages, counts a few
 * seconds old. It keeps promises, so concurrent askers share one computation; a failed load is never kept.
 *
 * - `max`: at most this many entries, least recently used dropped first (ids from URLs cannot grow it unbounded);
 * - `ttlMs`: entries expire after this long (data other processes change, such as download counts);
 * - `generation`: everything is dropped when this number changes (catalogGeneration: a sync changed the index);
 * - `keep`: values for which it answers false are not kept (e.g. null for an unknown id).
 *
 * Never cache what people write (accounts, roles, sessions): the admin CLI and the other servers of a fleet change
 * it in the store, and that must show at once.
 */
export interface CacheOptions<V> {
  max: number;
  ttlMs?: number;
  generation?: () => number;
  keep?: (value: V) => boolean;
}

export interface Cache<V> {
  /** The cached value for `key`, or the result of `load()`, kept for the next caller. */
  get(key: string, load: () => Promise<V>): Promise<V>;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

export function createCache<V>(options: CacheOptions<V>): Cache<V> {
  const entries = new Map<string, { value: Promise<V>; at: number }>();
  let generation = options.generation?.();

  const forget = (key: string, value: Promise<V>) => {
    if (entries.get(key)?.value === value) entries.delete(key);
  };

  return {
    get(key, load) {
      if (options.generation) {
        const current = options.generation();
        if (current !== generation) {
          entries.clear();
          generation = current;
        }
      }
      const now = Date.now();
      const hit = entries.get(key);
      entries.delete(key);
      if (hit && (options.ttlMs === undefined || now - hit.at < options.ttlMs)) {
        entries.set(key, hit); // most recently used goes last
        return hit.value;
      }
      const value = load();
      entries.set(key, { value, at: now });
      if (entries.size > options.max) entries.delete(entries.keys().next().value!);
      value.then(
        (v) => options.keep && !options.keep(v) && forget(key, value),
        () => forget(key, value),
      );
      return value;
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

/** `load` with its results kept in a cache: `memoize(listRuns, { max: 500, ttlMs: 2000 })`. */
export function memoize<V>(load: (key: string) => Promise<V>, options: CacheOptions<V>): ((key: string) => Promise<V>) & { clear(): void } {
  const cache = createCache(options);
  return Object.assign((key: string) => cache.get(key, () => load(key)), { clear: () => cache.clear() });
}
