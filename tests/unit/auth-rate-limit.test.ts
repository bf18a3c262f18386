import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS, useBackend } from '../helpers/store.ts';
import { setClock } from '../../src/lib/server/clock.ts';
import { consume, consumeEach, peek, POLICIES, reset, resetAll, sweep } from '../../src/lib/server/http/rate-limit.ts';

/** Rate limits are buckets in the app-state store, so every server of a fleet counts against one limit. */
let clock = 1_800_000_000_000;
setClock(() => clock);

describe.each(BACKENDS)('rate limits (refilling token buckets) on $name', ({ name, skip }) => {
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  beforeAll(async () => {
    if (!skip) backend = await useBackend(name);
  });
  afterAll(() => backend?.cleanup());
  afterEach(() => (skip ? undefined : resetAll()));

  test.skipIf(skip)('engage after the capacity and release after the refill interval', async () => {
    const { capacity, refillSeconds } = POLICIES['login.account'];
    for (let i = 0; i < capacity; i++) expect(await consume('login.account', 'a@example.com')).toEqual({ ok: true });
    expect(await consume('login.account', 'a@example.com')).toEqual({ ok: false, retryAfterSeconds: refillSeconds });

    clock += (refillSeconds - 1) * 1000;
    expect(await consume('login.account', 'a@example.com')).toEqual({ ok: false, retryAfterSeconds: 1 });

    clock += 1000;
    expect(await consume('login.account', 'a@example.com')).toEqual({ ok: true });
    expect((await consume('login.account', 'a@example.com')).ok).toBe(false);
  });

  test.skipIf(skip)('keys and policies are counted apart', async () => {
    const { capacity } = POLICIES['signup.ip'];
    for (let i = 0; i < capacity; i++) await consume('signup.ip', '10.0.0.1');
    expect((await consume('signup.ip', '10.0.0.1')).ok).toBe(false);
    expect((await consume('signup.ip', '10.0.0.2')).ok).toBe(true);
    expect((await consume('reset.ip', '10.0.0.1')).ok).toBe(true);
  });

  test.skipIf(skip)('peek does not take a token; reset forgets the bucket', async () => {
    const { capacity } = POLICIES['login.account'];
    for (let i = 0; i < capacity; i++) await consume('login.account', 'b@example.com');
    expect((await peek('login.account', 'b@example.com')).ok).toBe(false);
    await reset('login.account', 'b@example.com');
    expect((await peek('login.account', 'b@example.com')).ok).toBe(true);
    expect((await peek('login.account', 'b@example.com')).ok).toBe(true);
  });

  test.skipIf(skip)('a full refill never exceeds the capacity', async () => {
    const { capacity } = POLICIES['reset.account'];
    await consume('reset.account', 'c');
    clock += 10 * 24 * 3600 * 1000;
    for (let i = 0; i < capacity; i++) expect((await consume('reset.account', 'c')).ok).toBe(true);
    expect((await consume('reset.account', 'c')).ok).toBe(false);
  });

  test.skipIf(skip)('concurrent requests each take their own token: exactly the capacity is granted', async () => {
    const { capacity } = POLICIES['write.account'];
    const answers = await Promise.all(Array.from({ length: capacity + 40 }, () => consume('write.account', 'burst')));
    expect(answers.filter((a) => a.ok)).toHaveLength(capacity);
  });

  test.skipIf(skip)('a write takes a token from its address and its account in one transaction, both whatever the other answers', async () => {
    const ip = POLICIES['write.ip'].capacity;
    const account = POLICIES['write.account'].capacity;
    const both = [['write.ip', '10.9.9.9'], ['write.account', 'satu-akun']] as const;
    const answers = await Promise.all(Array.from({ length: Math.min(ip, account) + 5 }, () => consumeEach(both)));
    expect(answers.filter((a) => a.ok)).toHaveLength(Math.min(ip, account));
    expect(answers.find((a) => !a.ok)).toMatchObject({ ok: false, retryAfterSeconds: expect.any(Number) });
    // the refused ones still took from the bucket that had tokens left, as two consumes in a row would
    const left = (bucket: 'write.ip' | 'write.account', key: string) => peek(bucket, key);
    if (ip > account) expect((await left('write.ip', '10.9.9.9')).ok).toBe(ip > account + 5);
    else expect((await left('write.account', 'satu-akun')).ok).toBe(account > ip + 5);
  });

  test.skipIf(skip)('sweep drops buckets that have refilled, and only those', async () => {
    await consume('login.account', 'old');
    clock += 3600_000;
    for (let i = 0; i < POLICIES['login.account'].capacity; i++) await consume('login.account', 'new');
    await sweep();
    expect((await peek('login.account', 'new')).ok).toBe(false);
    expect((await peek('login.account', 'old')).ok).toBe(true);
  });
});
