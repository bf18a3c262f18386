import { describe, expect, test } from 'vitest';
import { digamma, expectedInformationGain, klBeta, logBeta, logGamma, update } from '../../src/lib/server/datathon/crowd-bt.ts';
import { nextPair, replay, seededRandom } from '../../src/lib/server/datathon/pairwise.ts';
import { judgeTotals, rankBy, standings } from '../../src/lib/server/datathon/scoring.ts';
import { allows, phaseAt, scheduleProblem } from '../../src/lib/server/datathon/phases.ts';

/**
 * The judging maths against fixtures worked out by hand (the steps are in the comments), so a change in the
 * formulas shows here rather than in a leaderboard.
 */
describe('rubric: weighted totals and per-judge z-scores', () => {
  // criterion a: weight 2, scale 1–5; criterion b: weight 1, scale 1–10
  const criteria = [
    { id: 'a', weight: 2, scale_max: 5 },
    { id: 'b', weight: 1, scale_max: 10 },
  ];
  const s = (judge: string, submission: string, a: number, b: number) => [
    { judge, submission, criterion: 'a', score: a },
    { judge, submission, criterion: 'b', score: b },
  ];
  const scores = [...s('j1', 's1', 5, 10), ...s('j1', 's2', 3, 4), ...s('j1', 's3', 1, 1), ...s('j2', 's1', 5, 10), ...s('j2', 's2', 5, 8)];

  test('a total is Σ w·(score/max)·100 / Σ w', () => {
    const { totals } = judgeTotals(criteria, scores);
    const total = (j: string, sub: string) => totals.find((t) => t.judge === j && t.submission === sub)!.total;
    expect(total('j1', 's1')).toBeCloseTo(100, 9); // (2·1·100 + 1·1·100) / 3
    expect(total('j1', 's2')).toBeCloseTo(160 / 3, 9); // (2·0.6·100 + 1·0.4·100) / 3
    expect(total('j1', 's3')).toBeCloseTo(50 / 3, 9); // (2·0.2·100 + 1·0.1·100) / 3
    expect(total('j2', 's2')).toBeCloseTo(280 / 3, 9); // (2·1·100 + 1·0.8·100) / 3
  });

  test('z = (x − μ_judge) / σ_judge with the population σ of that judge', () => {
    const { totals, judges } = judgeTotals(criteria, scores);
    const j1 = judges.find((j) => j.judge === 'j1')!;
    expect(j1.mean).toBeCloseTo(170 / 3, 9);
    // deviations 130/3, −10/3, −40 → σ² = (16900/9 + 100/9 + 1600)/3 = 1162.96…
    expect(j1.sd).toBeCloseTo(34.10224278, 6);
    const z = (j: string, sub: string) => totals.find((t) => t.judge === j && t.submission === sub)!.z;
    expect(z('j1', 's1')).toBeCloseTo(1.27068866, 6);
    expect(z('j1', 's3')).toBeCloseTo(-1.17294338, 6);
    // the lenient judge j2 gave 100 and 93.3: μ = 96.67, σ = 3.33, so z = ±1
    expect(z('j2', 's1')).toBeCloseTo(1, 9);
    expect(z('j2', 's2')).toBeCloseTo(-1, 9);
    expect(judges.find((j) => j.judge === 'j2')!.count).toBe(2);
  });

  test('standings: the mean raw total and the mean z per submission', () => {
    const rows = standings(judgeTotals(criteria, scores).totals);
    const by = (id: string) => rows.find((r) => r.submission === id)!;
    expect(by('s2').raw).toBeCloseTo((160 / 3 + 280 / 3) / 2, 9);
    expect(by('s1').z).toBeCloseTo((1.27068866 + 1) / 2, 6);
    expect(by('s2').z).toBeCloseTo((-0.09774528 - 1) / 2, 6);
    expect(by('s2').judges).toBe(2);
  });

  test('a judge who gave everything the same score contributes z = 0, not a division by zero', () => {
    const { totals } = judgeTotals(criteria, [...s('j3', 's1', 4, 8), ...s('j3', 's2', 4, 8)]);
    expect(totals.map((t) => t.z)).toEqual([0, 0]);
  });

  test('ties share a rank (1, 2, 2, 4) and are marked', () => {
    const ranked = rankBy([{ v: 3 }, { v: 2 }, { v: 2 }, { v: 1 }], (r) => r.v);
    expect(ranked.map((r) => [r.rank, r.tied])).toEqual([
      [1, false],
      [2, true],
      [2, true],
      [4, false],
    ]);
  });
});

describe('Crowd-BT', () => {
  const prior = { mu: 0, sigmaSq: 1 };
  const judge = { alpha: 10, beta: 1 };

  test('special functions: ln Γ, ln B and ψ at known points', () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 10); // Γ(10) = 9!
    expect(logBeta(10, 1)).toBeCloseTo(Math.log(1 / 10), 10); // B(a, 1) = 1/a
    expect(digamma(1)).toBeCloseTo(-0.5772156649, 9); // −γ
    expect(digamma(0.5)).toBeCloseTo(-0.5772156649 - 2 * Math.log(2), 9);
    expect(klBeta(judge, judge)).toBeCloseTo(0, 12);
  });

  test('first comparison from the priors (exact fractions)', () => {
    const next = update(judge, prior, prior);
    // mult = 10/11 − 1/2 = 9/22
    expect(next.winner.mu).toBeCloseTo(9 / 22, 12);
    expect(next.loser.mu).toBeCloseTo(-9 / 22, 12);
    // σ² step = 10/121 − 1/4 = −81/484, so σ² = 1 − 81/484 = 403/484
    expect(next.winner.sigmaSq).toBeCloseTo(403 / 484, 12);
    expect(next.loser.sigmaSq).toBeCloseTo(403 / 484, 12);
    // E[η] = 10/11, E[η²] = 5/6, Var = 5/726 → α = (5/66)(10/11)(726/5) = 10, β = 1: a coin-flip pair teaches nothing about the judge
    expect(next.judge.alpha).toBeCloseTo(10, 9);
    expect(next.judge.beta).toBeCloseTo(1, 9);
  });

  test('a comparison that agrees with the beliefs raises the judge’s reliability', () => {
    const next = update(judge, { mu: 1, sigmaSq: 1 }, prior);
    expect(next.winner.mu).toBeCloseTo(1.23345881, 7);
    expect(next.loser.mu).toBeCloseTo(-0.23345881, 7);
    expect(next.winner.sigmaSq).toBeCloseTo(0.83761166, 7);
    expect(next.judge.alpha).toBeCloseTo(10.35593134, 6);
    expect(next.judge.beta).toBeCloseTo(0.99636297, 6);
  });

  test('expected information gain of two fresh items: 2·KL(N(9/22, 403/484) ‖ N(0, 1))', () => {
    // KL = (9/22)²/2 + (403/484 − 1 − ln(403/484))/2 = 0.0915742; both outcomes are symmetric, the judge term is 0
    expect(expectedInformationGain(judge, prior, prior)).toBeCloseTo(0.18314834, 7);
  });

  test('replay ranks a consistent winner first and keeps each judge’s current item', () => {
    const state = replay(['a', 'b', 'c'], [
      { judge: 'j', winner: 'a', loser: 'b', second: 'b' },
      { judge: 'j', winner: 'a', loser: 'c', second: 'c' },
      { judge: 'k', winner: 'b', loser: 'c', second: 'c' },
    ]);
    const mu = (id: string) => state.items.get(id)!.mu;
    expect(mu('a')).toBeGreaterThan(mu('b'));
    expect(mu('b')).toBeGreaterThan(mu('c'));
    expect(state.current.get('j')).toBe('c');
    expect([...state.seen.get('j')!].sort()).toEqual(['a', 'b', 'c']);
  });

  test('the next pair: current item against an unseen one; none when all are seen; same seed, same pair', () => {
    const state = replay(['a', 'b', 'c', 'd'], [{ judge: 'j', winner: 'a', loser: 'b', second: 'b' }]);
    const pair = nextPair(state, 'j', ['a', 'b', 'c', 'd'], seededRandom('x'));
    expect(pair?.[0]).toBe('b');
    expect(['c', 'd']).toContain(pair?.[1]);
    expect(nextPair(state, 'j', ['a', 'b', 'c', 'd'], seededRandom('x'))).toEqual(pair);
    expect(nextPair(state, 'j', ['a', 'b'], seededRandom('x'))).toBeNull();
    const fresh = nextPair(state, 'new-judge', ['a', 'b', 'c'], seededRandom('y'));
    expect(fresh).toHaveLength(2);
  });
});

describe('phases', () => {
  const schedule = { registration_at: 100, submission_at: 200, voting_at: 300, judging_at: 400, results_at: 500 };
  test('the phase follows the clock', () => {
    expect([50, 100, 250, 300, 450, 900].map((t) => phaseAt(schedule, t))).toEqual(['upcoming', 'registration', 'submission', 'voting', 'judging', 'results']);
  });
  test('what each phase allows', () => {
    expect(allows('submit', 'submission')).toBe(true);
    expect(allows('submit', 'voting')).toBe(false);
    expect(allows('vote', 'voting')).toBe(true);
    expect(allows('vote', 'judging')).toBe(false);
    expect(allows('judge', 'judging')).toBe(true);
    expect(allows('publish', 'judging')).toBe(false);
  });
  test('dates out of order name the first phase that is wrong', () => {
    expect(scheduleProblem(schedule)).toBeNull();
    expect(scheduleProblem({ ...schedule, voting_at: 200 })).toBe('voting');
  });
});
