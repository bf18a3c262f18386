import type { Kysely, Transaction } from 'kysely';
import { now } from '../clock.ts';
import { env } from '../config/env.ts';
import { preparedQuery, type Params } from '../db/prepared.ts';
import { db, transaction } from '../db/store.ts';
import type { Database } from '../domains.ts';

// consume() runs on every state-changing request, and env() reads and compares every variable it knows (a CPU profile
// of consume() put env() calls at a tenth of its time). The scale is validated by env() whenever its raw text changes.
let scale: { raw: string | undefined; value: number } | undefined;
const rateLimitScale = () => {
  const raw = process.env.AUTH_RATE_LIMIT_SCALE;
  if (!scale || scale.raw !== raw) scale = { raw, value: env().AUTH_RATE_LIMIT_SCALE };
  return scale.value;
};

/**
 * Refilling token buckets, kept in the app-state store (shared by every server of a fleet, kept across restarts).
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
  /** Discussions, per account: a burst of 10 comments then one per 30 s; flags; uploads (community/). */
  'comment.account': { capacity: 10, refillSeconds: 30 },
  'flag.account': { capacity: 20, refillSeconds: 60 },
  'upload.account': { capacity: 30, refillSeconds: 20 },
} satisfies Record<string, RateLimitPolicy>;

export type PolicyName = keyof typeof POLICIES;

export type RateLimitAnswer = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  refilled_at: number;
}

const intervalOf = (policy: RateLimitPolicy) => policy.refillSeconds * 1000 * rateLimitScale();

/** The bucket as it stands at `at`: one token back per interval since it was last refilled, up to the capacity. */
function refilled(policy: RateLimitPolicy, bucket: Bucket, at: number): Bucket {
  const intervalMs = intervalOf(policy);
  const refill = Math.max(0, Math.floor((at - bucket.refilled_at) / intervalMs));
  if (refill === 0) return bucket;
  const tokens = Math.min(policy.capacity, bucket.tokens + refill);
  return { tokens, refilled_at: tokens === policy.capacity ? at : bucket.refilled_at + refill * intervalMs };
}

function refusal(policy: RateLimitPolicy, bucket: Bucket, at: number): RateLimitAnswer {
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((bucket.refilled_at + intervalOf(policy) - at) / 1000)) };
}

// The statements of `consume`, built and compiled once (db/prepared.ts): it runs on every state-changing request.
type Stored = Params<{ key: string; tokens: number; at: number }>;
const createBucket = preparedQuery((db: Kysely<Database>, p: Stored) =>
  db.insertInto('rate_limit_bucket').values({ key: p.key, tokens: p.tokens, refilled_at: p.at }).onConflict((oc) => oc.column('key').doNothing()),
);
const lockBucket = preparedQuery((db: Kysely<Database>, p: Params<{ key: string }>) =>
  db.selectFrom('rate_limit_bucket').select(['tokens', 'refilled_at']).where('key', '=', p.key).forUpdate(),
);
const storeBucket = preparedQuery((db: Kysely<Database>, p: Stored) =>
  db.updateTable('rate_limit_bucket').set({ tokens: p.tokens, refilled_at: p.at }).where('key', '=', p.key),
);

/**
 * Takes one token for `key` under `name`; when none is left, says how long until one is back. The bucket lives in
 * the store and its row is locked while it is read and written, so every server of a fleet counts against one limit
 * and concurrent requests each take their own token.
 */
export async function consume(name: PolicyName, key: string): Promise<RateLimitAnswer> {
  return transaction((trx) => take(trx, name, key));
}

/**
 * Takes a token from each bucket in one transaction (every write request takes its address's and its account's):
 * all are taken whatever the others answer, as one `consume` after another would; the first refusal is the answer.
 */
export async function consumeEach(buckets: readonly (readonly [PolicyName, string])[]): Promise<RateLimitAnswer> {
  return transaction(async (trx) => {
    let answer: RateLimitAnswer = { ok: true };
    for (const [name, key] of buckets) {
      const taken = await take(trx, name, key);
      if (answer.ok && !taken.ok) answer = taken;
    }
    return answer;
  });
}

async function take(trx: Transaction<Database>, name: PolicyName, key: string): Promise<RateLimitAnswer> {
  const policy = POLICIES[name];
  const id = `${name}:${key}`;
  const at = now();
  await createBucket.execute(trx, { key: id, tokens: policy.capacity, at });
  const [stored] = (await lockBucket.execute(trx, { key: id })).rows;
  if (!stored) throw new Error(`rate limit bucket ${id} vanished inside its transaction`);
  const bucket = refilled(policy, stored, at);
  const answer = bucket.tokens >= 1 ? ({ ok: true } as const) : refusal(policy, bucket, at);
  const tokens = answer.ok ? bucket.tokens - 1 : bucket.tokens;
  if (tokens !== stored.tokens || bucket.refilled_at !== stored.refilled_at) {
    await storeBucket.execute(trx, { key: id, tokens, at: bucket.refilled_at });
  }
  return answer;
}

/** Checks without taking (e.g. before a password check whose failure alone should count). */
export async function peek(name: PolicyName, key: string): Promise<RateLimitAnswer> {
  const policy = POLICIES[name];
  const at = now();
  const stored = await db().selectFrom('rate_limit_bucket').select(['tokens', 'refilled_at']).where('key', '=', `${name}:${key}`).executeTakeFirst();
  if (!stored) return { ok: true };
  const bucket = refilled(policy, stored, at);
  return bucket.tokens >= 1 ? { ok: true } : refusal(policy, bucket, at);
}

/** Forgets a key's bucket, e.g. an account's failed log-ins after a successful one. */
export async function reset(name: PolicyName, key: string): Promise<void> {
  await transaction((trx) => trx.deleteFrom('rate_limit_bucket').where('key', '=', `${name}:${key}`).execute());
}

/** Empties every bucket (tests). */
export async function resetAll(): Promise<void> {
  await transaction((trx) => trx.deleteFrom('rate_limit_bucket').execute());
}

/** Buckets grow with distinct keys: drop the ones that have certainly refilled (a full bucket is the same as none). */
export async function sweep(): Promise<void> {
  const at = now();
  await transaction(async (trx) => {
    for (const [name, policy] of Object.entries(POLICIES) as [PolicyName, RateLimitPolicy][]) {
      await trx
        .deleteFrom('rate_limit_bucket')
        .where('key', 'like', `${name}:%`)
        .where('refilled_at', '<', at - policy.capacity * intervalOf(policy))
        .execute();
    }
  });
}
