import type { Direction } from './vocabulary.ts';

/**
 * KPI attainment, without I/O. Attainment is the share of the way from the baseline to the target that the latest
 * value has come: 0 at the baseline, 1 at the target, above 1 beyond it, below 0 when it moved the wrong way. The
 * same formula serves both directions because the target lies above the baseline when higher is better and below
 * it when lower is better (checkTargets refuses anything else).
 */
export interface KpiTargets {
  baseline: number;
  target: number;
  direction: Direction;
}

export function attainment(kpi: KpiTargets, value: number): number {
  const share = (value - kpi.baseline) / (kpi.target - kpi.baseline);
  return share === 0 ? 0 : share; // never -0 (at the baseline of a lower-is-better KPI)
}

/** Why a baseline/target/direction triple cannot measure progress, or null when it can. */
export function checkTargets(kpi: KpiTargets): 'target_equals_baseline' | 'target_below_baseline' | 'target_above_baseline' | null {
  if (!Number.isFinite(kpi.baseline) || !Number.isFinite(kpi.target) || kpi.target === kpi.baseline) return 'target_equals_baseline';
  if (kpi.direction === 'higher' && kpi.target < kpi.baseline) return 'target_below_baseline';
  if (kpi.direction === 'lower' && kpi.target > kpi.baseline) return 'target_above_baseline';
  return null;
}

/** Has the value reached the target (in the KPI's direction)? */
export function targetReached(kpi: KpiTargets, value: number): boolean {
  return kpi.direction === 'higher' ? value >= kpi.target : value <= kpi.target;
}

/** For progress figures: attainment held between 0 and 1 (overshooting one KPI does not make up for another). */
export function clampedAttainment(kpi: KpiTargets, value: number): number {
  return Math.min(1, Math.max(0, attainment(kpi, value)));
}

/** An innovation's progress: the mean clamped attainment of its KPIs that have a measurement; null with none. */
export function progress(kpis: readonly { targets: KpiTargets; latest: number | null }[]): number | null {
  const measured = kpis.filter((k) => k.latest !== null);
  if (measured.length === 0) return null;
  return measured.reduce((sum, k) => sum + clampedAttainment(k.targets, k.latest!), 0) / measured.length;
}

/**
 * A parent's progress rolled up from its replications: the mean of its own progress and each child's (rolled up in
 * turn), counting only those with a measurement. A parent without KPIs of its own shows its children's progress.
 */
export function rolledUpProgress(own: number | null, children: readonly (number | null)[]): number | null {
  const known = [own, ...children].filter((p): p is number => p !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
}
