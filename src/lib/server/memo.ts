/**
 * Small in-process memo for read models that are asked on every page view but change rarely. Entries expire after
 * `ttlMs`; at most `max` are kept (oldest dropped first), so ids taken from URLs cannot grow it without bound.
 * Failed lookups are not kept.
 */
export function memoize<V>(ttlMs: number, max: number, load: (key: string) => Promise<V>): (key: string) => Promise<V> {
  const entries = new Map<string, { at: number; value: Promise<V> }>();
  return (key) => {
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value;
    const value = load(key);
    entries.delete(key);
    entries.set(key, { at: now, value });
    if (entries.size > max) entries.delete(entries.keys().next().value!);
    value.catch(() => entries.delete(key));
    return value;
  };
}
