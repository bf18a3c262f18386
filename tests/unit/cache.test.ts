import { afterEach, describe, expect, test, vi } from 'vitest';
import { createCache, memoize } from '../../src/lib/server/cache.ts';

/** The one cache helper that replaced the hand-made per-module caches. */
afterEach(() => vi.useRealTimers());

const counting = () => {
  const calls: string[] = [];
  return { calls, load: (key: string) => async () => (calls.push(key), `${key}!`) };
};

describe('createCache', () => {
  test('keeps a value and shares one load between concurrent askers', async () => {
    const { calls, load } = counting();
    const cache = createCache<string>({ max: 10 });
    expect(await Promise.all([cache.get('a', load('a')), cache.get('a', load('a'))])).toEqual(['a!', 'a!']);
    expect(await cache.get('a', load('a'))).toBe('a!');
    expect(calls).toEqual(['a']);
  });

  test('drops the least recently used entry beyond max', async () => {
    const { calls, load } = counting();
    const cache = createCache<string>({ max: 2 });
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('a', load('a')); // a is now the most recent
    await cache.get('c', load('c')); // b goes
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
    expect(cache.size).toBe(2);
  });

  test('expires entries after ttlMs', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { calls, load } = counting();
    const cache = createCache<string>({ max: 10, ttlMs: 5_000 });
    await cache.get('a', load('a'));
    vi.setSystemTime(1_004_999);
    await cache.get('a', load('a'));
    vi.setSystemTime(1_005_000);
    await cache.get('a', load('a'));
    expect(calls).toEqual(['a', 'a']);
  });

  test('forgets everything when the generation changes', async () => {
    let generation = 1;
    const { calls, load } = counting();
    const cache = createCache<string>({ max: 10, generation: () => generation });
    await cache.get('a', load('a'));
    await cache.get('a', load('a'));
    generation = 2;
    await cache.get('a', load('a'));
    expect(calls).toEqual(['a', 'a']);
  });

  test('keeps neither failed loads nor values `keep` refuses (unknown ids from URLs)', async () => {
    const cache = createCache<string | null>({ max: 10, keep: (v) => v !== null });
    await expect(cache.get('x', () => Promise.reject(new Error('sementara')))).rejects.toThrow('sementara');
    expect(await cache.get('x', async () => 'pulih')).toBe('pulih');
    expect(await cache.get('tidak-ada', async () => null)).toBeNull();
    await Promise.resolve();
    expect(await cache.get('tidak-ada', async () => 'baru ada')).toBe('baru ada');
  });
});

test('memoize wraps a load function and can be cleared', async () => {
  const { calls, load } = counting();
  const memo = memoize((key) => load(key)(), { max: 10 });
  await memo('a');
  await memo('a');
  memo.clear();
  await memo('a');
  expect(calls).toEqual(['a', 'a']);
});
