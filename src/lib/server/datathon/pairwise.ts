import { ALPHA_PRIOR, BETA_PRIOR, EPSILON, expectedInformationGain, MU_PRIOR, SIGMA_SQ_PRIOR, update, type Belief, type Reliability } from './crowd-bt.ts';

/**
 * Pairwise judging state, derived: the beliefs are replayed from the stored comparisons in order, so nothing
 * floating-point is stored and concurrent comparisons cannot overwrite each other's updates.
 */
export interface Comparison {
  judge: string;
  winner: string;
  loser: string;
  /** The submission shown second; the judge carries on with it into the next pair. */
  second: string;
}

export interface PairwiseState {
  items: Map<string, Belief>;
  judges: Map<string, Reliability>;
  /** Submissions each judge has seen. */
  seen: Map<string, Set<string>>;
  /** Each judge's current submission (the last one shown second). */
  current: Map<string, string>;
}

export function replay(itemIds: readonly string[], comparisons: readonly Comparison[]): PairwiseState {
  const items = new Map(itemIds.map((id) => [id, { mu: MU_PRIOR, sigmaSq: SIGMA_SQ_PRIOR }]));
  const judges = new Map<string, Reliability>();
  const seen = new Map<string, Set<string>>();
  const current = new Map<string, string>();
  for (const c of comparisons) {
    const judge = judges.get(c.judge) ?? { alpha: ALPHA_PRIOR, beta: BETA_PRIOR };
    const winner = items.get(c.winner);
    const loser = items.get(c.loser);
    if (winner && loser) {
      const next = update(judge, winner, loser);
      judges.set(c.judge, next.judge);
      items.set(c.winner, next.winner);
      items.set(c.loser, next.loser);
    }
    const mine = seen.get(c.judge) ?? new Set<string>();
    mine.add(c.winner).add(c.loser);
    seen.set(c.judge, mine);
    current.set(c.judge, c.second);
  }
  return { items, judges, seen, current };
}

/**
 * The next pair for a judge among `eligible` submissions: their current one against the unseen submission with the
 * greatest expected information gain (a random unseen one with probability EPSILON). A judge with no current
 * submission starts with the two least-compared ones. `random` is a source in [0, 1), seeded by the caller so a
 * page reload shows the same pair.
 */
export function nextPair(state: PairwiseState, judge: string, eligible: readonly string[], random: () => number): [string, string] | null {
  const reliability = state.judges.get(judge) ?? { alpha: ALPHA_PRIOR, beta: BETA_PRIOR };
  const seen = state.seen.get(judge) ?? new Set<string>();
  const current = state.current.get(judge);
  const unseen = eligible.filter((id) => !seen.has(id) && id !== current);
  if (!current || !eligible.includes(current)) {
    const fresh = shuffle(unseen, random).sort((a, b) => state.items.get(b)!.sigmaSq - state.items.get(a)!.sigmaSq);
    return fresh.length >= 2 ? [fresh[0]!, fresh[1]!] : null;
  }
  if (unseen.length === 0) return null;
  const candidates = shuffle(unseen, random);
  if (random() < EPSILON) return [current, candidates[0]!];
  const base = state.items.get(current)!;
  let best = candidates[0]!;
  let bestGain = -Infinity;
  for (const id of candidates) {
    const gain = expectedInformationGain(reliability, base, state.items.get(id)!);
    if (gain > bestGain) [best, bestGain] = [id, gain];
  }
  return [current, best];
}

/** mulberry32: a small seeded source, so the same judge and history always get the same pair. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
