import { afterEach, describe, expect, test } from 'vitest';
import { setClock } from '../../src/lib/server/clock.ts';
import { consume, peek, POLICIES, reset, resetAll } from '../../src/lib/server/http/rate-limit.ts';

let clock = 1_800_000_000_000;
setClock(() => clock);
afterEach(() => resetAll());

describe('rate limits (refilling token buckets)', () => {
  test('engage after the capacity and release after the refill interval', () => {
    const { capacity, refillSeconds } = POLICIES['login.account'];
    for (let i = 0; i < capacity; i++) expect(consume('login.account', 'a@example.com')).toEqual({ ok: true });
    const refused = consume('login.account', 'a@example.com');
    expect(refused).toEqual({ ok: false, retryAfterSeconds: refillSeconds });

    clock += (refillSeconds - 1) * 1000;
    expect(consume('login.account', 'a@example.com')).toEqual({ ok: false, retryAfterSeconds: 1 });

    clock += 1000;
    expect(consume('login.account', 'a@example.com')).toEqual({ ok: true });
    expect(consume('login.account', 'a@example.com').ok).toBe(false);
  });

  test('keys and policies are counted apart', () => {
    const { capacity } = POLICIES['signup.ip'];
    for (let i = 0; i < capacity; i++) consume('signup.ip', '10.0.0.1');
    expect(consume('signup.ip', '10.0.0.1').ok).toBe(false);
    expect(consume('signup.ip', '10.0.0.2').ok).toBe(true);
    expect(consume('reset.ip', '10.0.0.1').ok).toBe(true);
  });

  test('peek does not take a token; reset forgets the bucket', () => {
    const { capacity } = POLICIES['login.account'];
    for (let i = 0; i < capacity; i++) consume('login.account', 'b@example.com');
    expect(peek('login.account', 'b@example.com').ok).toBe(false);
    reset('login.account', 'b@example.com');
    expect(peek('login.account', 'b@example.com').ok).toBe(true);
    expect(peek('login.account', 'b@example.com').ok).toBe(true);
  });

  test('a full refill never exceeds the capacity', () => {
    const { capacity } = POLICIES['reset.account'];
    consume('reset.account', 'c');
    clock += 10 * 24 * 3600 * 1000;
    for (let i = 0; i < capacity; i++) expect(consume('reset.account', 'c').ok).toBe(true);
    expect(consume('reset.account', 'c').ok).toBe(false);
  });
});
