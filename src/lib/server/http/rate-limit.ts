import { now } from '../clock.ts';
import { env } from '../config/env.ts';

const rateLimitScale = () => env().AUTH_RATE_LIMIT_SCALE;

/**
 * Refilling token buckets, kept in memory for now (the app-state store will keep the ones that must be shared).
 * Each policy holds `capacity` tokens and gets one back every `refillSeconds`; a request takes one.
 */
export interface RateLimitPolicy {
  capacity: number;
  refillSeconds: number;
}

export const POLICIES = {
  /** Log-in attempts from one address. */
  'login.ip': { capacity: 20, refillSeconds: 15 },
  /** Failed log-ins for one e-mail address, registered or not. */
  'login.account': { capacity: 5, refillSeconds: 60 },
  'signup.ip': { capacity: 5, refillSeconds: 120 },
  'reset.ip': { capacity: 5, refillSeconds: 120 },
  'reset.account': { capacity: 3, refillSeconds: 600 },
  /** Every state-changing request, per address and per account. */
  'write.ip': { capacity: 120, refillSeconds: 1 },
  'write.account': { capacity: 60, refillSeconds: 1 },
  /** User SQL (GET included: a query is work, whatever the method), per address: a burst of 30, then one per 2 s. */
  'sql.ip': { capacity: 30, refillSeconds: 2 },
} satisfies Record<string, RateLimitPolicy>;

export type PolicyName = keyof typeof POLICIES;

export type RateLimitAnswer = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  refilledAt: number;
}

const buckets = new Map<string, Bucket>();

function current(policy: RateLimitPolicy, key: string, at: number): Bucket {
  const intervalMs = policy.refillSeconds * 1000 * rateLimitScale();
  const bucket = buckets.get(key) ?? { tokens: policy.capacity, refilledAt: at };
  const refill = Math.floor((at - bucket.refilledAt) / intervalMs);
  if (refill > 0) {
    bucket.tokens = Math.min(policy.capacity, bucket.tokens + refill);
    bucket.refilledAt = bucket.tokens === policy.capacity ? at : bucket.refilledAt + refill * intervalMs;
  }
  buckets.set(key, bucket);
  return bucket;
}

/** Takes one token for `key` under `name`; when none is left, says how long until one is back. */
export function consume(name: PolicyName, key: string): RateLimitAnswer {
  const policy = POLICIES[name];
  const at = now();
  const bucket = current(policy, `${name}:${key}`, at);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { ok: true };
  }
  const intervalMs = policy.refillSeconds * 1000 * rateLimitScale();
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((bucket.refilledAt + intervalMs - at) / 1000)) };
}

/** Checks without taking (e.g. before a password check whose failure alone should count). */
export function peek(name: PolicyName, key: string): RateLimitAnswer {
  const policy = POLICIES[name];
  const at = now();
  const bucket = current(policy, `${name}:${key}`, at);
  if (bucket.tokens >= 1) return { ok: true };
  const intervalMs = policy.refillSeconds * 1000 * rateLimitScale();
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((bucket.refilledAt + intervalMs - at) / 1000)) };
}

/** Forgets a key's bucket, e.g. an account's failed log-ins after a successful one. */
export function reset(name: PolicyName, key: string): void {
  buckets.delete(`${name}:${key}`);
}

/** Empties every bucket (tests). */
export function resetAll(): void {
  buckets.clear();
}

/** Buckets grow with distinct keys; drop full ones now and then so memory stays bounded. */
export function sweep(): void {
  const at = now();
  for (const key of buckets.keys()) {
    const policy = POLICIES[key.slice(0, key.indexOf(':')) as PolicyName];
    if (policy && current(policy, key, at).tokens >= policy.capacity) buckets.delete(key);
  }
}
