import { expect, test } from 'vitest';
import { createLimiter } from '../../src/lib/server/concurrency.ts';

test('a limiter runs at most its maximum at once, the rest in order, and frees its slot on failure', async () => {
  const limiter = createLimiter(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  const releases: (() => void)[] = [];
  const task = (n: number, fail = false) =>
    limiter.run(async () => {
      active++;
      peak = Math.max(peak, active);
      order.push(n);
      await new Promise<void>((resolve) => releases.push(resolve));
      active--;
      if (fail) throw new Error(`task ${n} failed`);
      return n;
    });
  const results = [task(1, true), task(2), task(3), task(4)].map((p) => p.catch((e: Error) => e.message));
  await Promise.resolve();
  expect(order).toEqual([1, 2]);
  expect(limiter.waiting).toBe(2);
  while (releases.length > 0 || order.length < 4) {
    releases.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  releases.forEach((r) => r());
  expect(await Promise.all(results)).toEqual(['task 1 failed', 2, 3, 4]);
  expect(order).toEqual([1, 2, 3, 4]);
  expect(peak).toBe(2);
  expect(limiter.active).toBe(0);
});
