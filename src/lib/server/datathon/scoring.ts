/**
 * Rubric scoring, pure. A judge's total for a submission is the weighted mean of their criterion scores, each
 * scaled to 0–100 by its criterion's scale (so a 1–5 and a 1–10 criterion combine fairly):
 *   total = Σ wᶜ · (scoreᶜ / maxᶜ) · 100 / Σ wᶜ   over the criteria the judge scored.
 * Two rankings follow. Raw: the mean of the judges' totals. Z-score: each judge's totals are standardised by that
 * judge's own mean and standard deviation, z = (x − μⱼ) / σⱼ, and a submission's figure is the mean of its z; this
 * removes a strict or a lenient judge's bias when judges see different submissions.
 */
export interface Criterion {
  id: string;
  weight: number;
  scale_max: number;
}
export interface Score {
  judge: string;
  submission: string;
  criterion: string;
  score: number;
}

export interface JudgeTotal {
  judge: string;
  submission: string;
  total: number;
  z: number;
}

export interface JudgeSpread {
  judge: string;
  count: number;
  mean: number;
  sd: number;
}

export function judgeTotals(criteria: readonly Criterion[], scores: readonly Score[]): { totals: JudgeTotal[]; judges: JudgeSpread[] } {
  const byId = new Map(criteria.map((c) => [c.id, c]));
  const sums = new Map<string, { judge: string; submission: string; weighted: number; weights: number }>();
  for (const s of scores) {
    const c = byId.get(s.criterion);
    if (!c || c.weight <= 0) continue;
    const key = `${s.judge}\u0000${s.submission}`;
    const sum = sums.get(key) ?? { judge: s.judge, submission: s.submission, weighted: 0, weights: 0 };
    sum.weighted += c.weight * (s.score / c.scale_max) * 100;
    sum.weights += c.weight;
    sums.set(key, sum);
  }
  const totals = [...sums.values()].map((s) => ({ judge: s.judge, submission: s.submission, total: s.weighted / s.weights, z: 0 }));
  const judges: JudgeSpread[] = [];
  for (const judge of new Set(totals.map((t) => t.judge))) {
    const mine = totals.filter((t) => t.judge === judge);
    const mean = mine.reduce((a, t) => a + t.total, 0) / mine.length;
    // population standard deviation: the judge's own spread over what they scored
    const sd = Math.sqrt(mine.reduce((a, t) => a + (t.total - mean) ** 2, 0) / mine.length);
    for (const t of mine) t.z = sd > 0 ? (t.total - mean) / sd : 0;
    judges.push({ judge, count: mine.length, mean, sd });
  }
  return { totals, judges };
}

export interface Standing {
  submission: string;
  raw: number;
  z: number;
  judges: number;
}

/** Per submission: the mean raw total and the mean z over its judges. */
export function standings(totals: readonly JudgeTotal[]): Standing[] {
  const by = new Map<string, JudgeTotal[]>();
  for (const t of totals) by.set(t.submission, [...(by.get(t.submission) ?? []), t]);
  return [...by.entries()].map(([submission, list]) => ({
    submission,
    raw: list.reduce((a, t) => a + t.total, 0) / list.length,
    z: list.reduce((a, t) => a + t.z, 0) / list.length,
    judges: list.length,
  }));
}

/**
 * Competition ranking ("1, 2, 2, 4") by `value`, highest first: equal values (to 9 decimals) share a rank, and
 * `tied` says so, so the leaderboard can explain the tie instead of hiding it behind an arbitrary order.
 */
export function rankBy<T>(rows: readonly T[], value: (row: T) => number): { row: T; rank: number; tied: boolean }[] {
  const sorted = [...rows].sort((a, b) => value(b) - value(a));
  const key = (row: T) => Math.round(value(row) * 1e9);
  return sorted.map((row, i) => {
    const first = sorted.findIndex((r) => key(r) === key(row));
    const count = sorted.filter((r) => key(r) === key(row)).length;
    return { row, rank: first + 1, tied: count > 1 && i >= 0 };
  });
}

/** Judges with fewer than this many scored submissions: their z-scores rest on too little to trust. */
export const FEW_SCORES = 3;
