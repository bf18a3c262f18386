import type { HealthThresholds } from './config.ts';
import { STOPPED, type Health, type Stage } from './vocabulary.ts';

/**
 * An innovation's health, without I/O: derived from its overdue milestones and the days since its last progress
 * update (thresholds from kota.config.yaml), unless its owner set it by hand with a reason — then that is shown, and
 * so is what the data says. A stopped innovation has no health.
 */
export const DAY_MS = 86_400_000;

export interface HealthInput {
  stage: Stage;
  /** When it was registered (counts as the last update until the first one). */
  createdAt: number;
  lastUpdateAt: number | null;
  overdueMilestones: number;
  override: { health: Health; reason: string } | null;
}

export interface HealthState {
  /** What is shown: the override when there is one, else the derived health; null when stopped. */
  health: Health | null;
  /** What the data says. */
  derived: Health | null;
  overridden: boolean;
  overrideReason: string | null;
  daysWithoutUpdate: number;
  overdueMilestones: number;
}

export function deriveHealth(input: HealthInput, now: number, limits: HealthThresholds): HealthState {
  const since = Math.max(input.createdAt, input.lastUpdateAt ?? 0);
  const daysWithoutUpdate = Math.max(0, wibDay(now) - wibDay(since));
  const derived = input.stage === STOPPED ? null : classify(daysWithoutUpdate, input.overdueMilestones, limits);
  const overridden = input.override !== null && input.stage !== STOPPED;
  return {
    health: overridden ? input.override!.health : derived,
    derived,
    overridden,
    overrideReason: overridden ? input.override!.reason : null,
    daysWithoutUpdate,
    overdueMilestones: input.overdueMilestones,
  };
}

function classify(days: number, overdue: number, limits: HealthThresholds): Health {
  if (days >= limits.stalled.days_without_update || overdue >= limits.stalled.overdue_milestones) return 'stalled';
  if (days >= limits.at_risk.days_without_update || overdue >= limits.at_risk.overdue_milestones) return 'at_risk';
  return 'on_track';
}

/**
 * Days are counted in calendar days of the deployment's time zone (WIB), so an innovation's health changes at
 * midnight, not at the hour its last update was posted (and a board built in the morning is right all day).
 */
export function wibDay(ms: number): number {
  return Math.floor((ms + 7 * 3_600_000) / DAY_MS);
}

/** Today's date in the deployment's time zone (WIB, UTC+7, no daylight saving), as YYYY-MM-DD: due dates are days. */
export function wibDate(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** A milestone is overdue from the day after its due date until it is completed. */
export function isOverdue(milestone: { due_on: string; completed_on: string | null }, today: string): boolean {
  return milestone.completed_on === null && milestone.due_on < today;
}
