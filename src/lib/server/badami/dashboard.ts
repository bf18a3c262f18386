import { sql, type RawBuilder } from 'kysely';
import { now } from '../clock.ts';
import { deployment } from '../config/deployment.ts';
import { db, store } from '../db/store.ts';
import type { HealthThresholds } from './config.ts';
import { DAY_MS, wibDate, wibDay } from './health.ts';
import { STOPPED, type Health, type Stage } from './vocabulary.ts';

/**
 * The dashboards' figures, for the city or one OPD, each aggregated by the store in one grouped query (never by
 * loading rows into JavaScript): innovations per stage, moves into each stage per month, innovations per OPD and
 * health, KPIs by attainment of their latest measurement, overdue milestones. Health is derived in SQL with the same
 * rule as health.ts: the day thresholds become cut-off instants (the start of the WIB day that makes an innovation
 * late), so "days since the last update >= N" is a plain comparison of timestamps on both SQLite and PostgreSQL.
 */
export type HealthBucket = Health | 'stopped';
export const KPI_BUCKETS = ['reached', 'high', 'low', 'backwards', 'none'] as const;
export type KpiBucket = (typeof KPI_BUCKETS)[number];

export interface DashboardData {
  total: number;
  funnel: { stage: Stage; n: number }[];
  movement: { month: string; stage: Stage; n: number }[];
  health: { opd: string; health: HealthBucket; n: number }[];
  kpis: { bucket: KpiBucket; n: number }[];
  /** Mean attainment (each held between 0 and 1) of the KPIs with a measurement; null with none. */
  kpiMean: number | null;
  overdueByOpd: { opd: string; n: number }[];
  overdue: { id: number; title: string; dueOn: string; innovationId: string; innovationTitle: string; opd: string }[];
}

/** How many months of stage moves the movement chart shows. */
export const MOVEMENT_MONTHS = 24;
const WIB_MS = 7 * 3_600_000;

export async function dashboardData(opd: string | null, at = now(), limits: HealthThresholds = deployment().badami.health): Promise<DashboardData> {
  const today = wibDate(at);
  const scope = (alias: string): RawBuilder<unknown> => (opd === null ? sql`` : sql`AND ${sql.ref(`${alias}.opd`)} = ${opd}`);
  // "days without update >= d" for an innovation last active at `since` is `since < cutoff(d)`.
  const cutoff = (days: number) => (wibDay(at) - days + 1) * DAY_MS - WIB_MS;
  const late = (days: number) => sql`(i.created_at < ${cutoff(days)} AND (i.last_update_at IS NULL OR i.last_update_at < ${cutoff(days)}))`;
  const monthStart = new Date(at + WIB_MS);
  const since = Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() - (MOVEMENT_MONTHS - 1), 1) - WIB_MS;
  const month =
    store().dialect === 'postgres'
      ? sql`to_char(to_timestamp((tr.at + ${WIB_MS}) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')`
      : sql`strftime('%Y-%m', (tr.at + ${WIB_MS}) / 1000, 'unixepoch')`;
  const attainment = sql`((l.value - l.baseline) * 1.0 / (l.target - l.baseline))`;

  const [funnel, movement, health, kpis, overdueByOpd, overdue] = await Promise.all([
    sql<{ stage: string; n: number }>`SELECT i.stage, count(*) AS n FROM badami_innovation i WHERE 1 = 1 ${scope('i')} GROUP BY i.stage`.execute(db()),
    sql<{ month: string; stage: string; n: number }>`
      SELECT ${month} AS month, tr.to_stage AS stage, count(*) AS n
        FROM badami_transition tr JOIN badami_innovation i ON i.id = tr.innovation_id
       WHERE tr.at >= ${since} ${scope('i')}
       GROUP BY 1, 2 ORDER BY 1, 2`.execute(db()),
    sql<{ opd: string; health: string; n: number }>`
      SELECT i.opd, CASE
          WHEN i.stage = ${STOPPED} THEN 'stopped'
          WHEN i.health_override IS NOT NULL THEN i.health_override
          WHEN ${late(limits.stalled.days_without_update)} OR COALESCE(o.n, 0) >= ${limits.stalled.overdue_milestones} THEN 'stalled'
          WHEN ${late(limits.at_risk.days_without_update)} OR COALESCE(o.n, 0) >= ${limits.at_risk.overdue_milestones} THEN 'at_risk'
          ELSE 'on_track' END AS health, count(*) AS n
        FROM badami_innovation i
        LEFT JOIN (SELECT innovation_id, count(*) AS n FROM badami_milestone WHERE completed_on IS NULL AND due_on < ${today} GROUP BY innovation_id) o
          ON o.innovation_id = i.id
       WHERE 1 = 1 ${scope('i')}
       GROUP BY 1, 2 ORDER BY 1, 2`.execute(db()),
    // The latest measurement of each KPI (by date, then id, as the board and the innovation page pick it): one seek
    // per KPI down the (kpi_id, measured_on) index, not a window over every measurement (20x slower at 100,000).
    sql<{ bucket: string; n: number; clamped: number | null }>`
      SELECT CASE WHEN l.value IS NULL THEN 'none'
                  WHEN ${attainment} >= 1 THEN 'reached'
                  WHEN ${attainment} >= 0.5 THEN 'high'
                  WHEN ${attainment} >= 0 THEN 'low'
                  ELSE 'backwards' END AS bucket,
             count(*) AS n,
             sum(CASE WHEN l.value IS NULL THEN NULL WHEN ${attainment} >= 1 THEN 1.0 WHEN ${attainment} <= 0 THEN 0.0 ELSE ${attainment} END) AS clamped
        FROM (
          SELECT k.baseline, k.target,
                 (SELECT m.value FROM badami_measurement m WHERE m.kpi_id = k.id ORDER BY m.measured_on DESC, m.id DESC LIMIT 1) AS value
            FROM badami_kpi k JOIN badami_innovation i ON i.id = k.innovation_id
           WHERE 1 = 1 ${scope('i')}) l
       GROUP BY 1`.execute(db()),
    sql<{ opd: string; n: number }>`
      SELECT i.opd, count(*) AS n FROM badami_milestone m JOIN badami_innovation i ON i.id = m.innovation_id
       WHERE m.completed_on IS NULL AND m.due_on < ${today} ${scope('i')}
       GROUP BY i.opd ORDER BY 2 DESC, 1`.execute(db()),
    sql<{ id: number; title: string; due_on: string; innovation_id: string; innovation_title: string; opd: string }>`
      SELECT m.id, m.title, m.due_on, i.id AS innovation_id, i.title AS innovation_title, i.opd
        FROM badami_milestone m JOIN badami_innovation i ON i.id = m.innovation_id
       WHERE m.completed_on IS NULL AND m.due_on < ${today} ${scope('i')}
       ORDER BY m.due_on, m.id LIMIT 10`.execute(db()),
  ]);
  const measured = kpis.rows.filter((r) => r.bucket !== 'none');
  const measuredCount = measured.reduce((s, r) => s + Number(r.n), 0);
  return {
    total: funnel.rows.reduce((s, r) => s + Number(r.n), 0),
    funnel: funnel.rows.map((r) => ({ stage: r.stage as Stage, n: Number(r.n) })),
    movement: movement.rows.map((r) => ({ month: r.month, stage: r.stage as Stage, n: Number(r.n) })),
    health: health.rows.map((r) => ({ opd: r.opd, health: r.health as HealthBucket, n: Number(r.n) })),
    kpis: kpis.rows.map((r) => ({ bucket: r.bucket as KpiBucket, n: Number(r.n) })),
    kpiMean: measuredCount === 0 ? null : measured.reduce((s, r) => s + Number(r.clamped ?? 0), 0) / measuredCount,
    overdueByOpd: overdueByOpd.rows.map((r) => ({ opd: r.opd, n: Number(r.n) })),
    overdue: overdue.rows.map((r) => ({ id: Number(r.id), title: r.title, dueOn: r.due_on, innovationId: r.innovation_id, innovationTitle: r.innovation_title, opd: r.opd })),
  };
}
