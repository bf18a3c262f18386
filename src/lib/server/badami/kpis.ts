import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { db, transaction } from '../db/store.ts';
import { checkTargets, type KpiTargets } from './attainment.ts';
import type { BadamiTables } from './migrations.ts';
import { writableInnovation as writable } from './innovations.ts';
import { failure, invalid, type Outcome, type Problem } from './results.ts';
import { bumpRevision } from './revision.ts';
import { DIRECTIONS, type Direction } from './vocabulary.ts';
import { isCalendarDate, problemsOf } from './validation.ts';

/**
 * KPIs and their measurements. A KPI says where an innovation starts (baseline), where it should be (target) by
 * when, and which way is better; measurements come by hand, from an imported file, or automatically from a published
 * dataset (kpi-binding.ts), each dated and with where it came from.
 */
export interface Kpi extends KpiTargets {
  id: number;
  innovation_id: string;
  name: string;
  unit: string;
  target_on: string;
  dataset_id: string | null;
  query: string | null;
  binding_error: string | null;
  binding_version: string | null;
  binding_checked_at: number | null;
}

export interface Measurement {
  id: number;
  kpi_id: number;
  measured_on: string;
  value: number;
  source: 'manual' | 'csv' | 'dataset';
  dataset_id: string | null;
  dataset_version: string | null;
  note: string;
  created_by: string | null;
  created_at: number;
}

const date = z.string().trim().refine(isCalendarDate, 'date');
const number = z.number({ error: 'number' }).refine(Number.isFinite, 'number');

export const kpiSchema = z.object({
  name: z.string().trim().min(1, 'required').max(200, 'too_long'),
  unit: z.string().trim().min(1, 'required').max(40, 'too_long'),
  baseline: number,
  target: number,
  target_on: date,
  direction: z.enum(DIRECTIONS, { error: 'choose_one' }),
});
export type KpiInput = z.input<typeof kpiSchema>;

export const measurementSchema = z.object({
  measured_on: date,
  value: number,
  note: z.string().trim().max(500, 'too_long'),
});
export type MeasurementInput = z.input<typeof measurementSchema>;

/** Checks a KPI's fields and that its target lies in its direction from the baseline. */
export function checkKpi(input: KpiInput): { ok: true; kpi: z.output<typeof kpiSchema> } | { ok: false; problems: ReturnType<typeof problemsOf> } {
  const parsed = kpiSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error.issues) };
  const wrong = checkTargets(parsed.data);
  return wrong ? { ok: false, problems: [{ field: 'target', code: wrong }] } : { ok: true, kpi: parsed.data };
}

/** Adds a KPI to an innovation, or saves one (`id`) of it. */
export async function saveKpi(actor: Actor, innovationId: string, input: KpiInput, id?: number): Promise<Outcome<{ id: number }>> {
  const allowed = await writable(actor, innovationId);
  if (!allowed.ok) return allowed;
  const checked = checkKpi(input);
  if (!checked.ok) return invalid(checked.problems);
  return transaction(async (trx) => {
    const at = now();
    let saved: number;
    if (id === undefined) {
      const row = await trx
        .insertInto('badami_kpi')
        .values({ innovation_id: innovationId, ...checked.kpi, dataset_id: null, query: null, binding_error: null, binding_version: null, binding_checked_at: null, created_at: at, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      saved = Number(row.id);
    } else {
      const updated = await trx.updateTable('badami_kpi').set({ ...checked.kpi, updated_at: at }).where('id', '=', id).where('innovation_id', '=', innovationId).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return failure('not_found');
      saved = id;
    }
    await bumpRevision(trx);
    return { ok: true as const, id: saved };
  });
}

export async function getKpi(innovationId: string, id: number): Promise<Kpi | null> {
  const row = await db().selectFrom('badami_kpi').selectAll().where('id', '=', id).where('innovation_id', '=', innovationId).executeTakeFirst();
  return row ? toKpi(row) : null;
}

/** A measurement entered by hand (or one row of an imported file: `source` csv). */
export async function addMeasurement(actor: Actor, innovationId: string, kpiId: number, input: MeasurementInput, source: 'manual' | 'csv' = 'manual'): Promise<Outcome<{ id: number }>> {
  const allowed = await writable(actor, innovationId);
  if (!allowed.ok) return allowed;
  if (!(await getKpi(innovationId, kpiId))) return failure('not_found');
  const parsed = measurementSchema.safeParse(input);
  if (!parsed.success) return invalid(problemsOf(parsed.error.issues));
  return transaction(async (trx) => {
    const row = await trx
      .insertInto('badami_measurement')
      .values({ kpi_id: kpiId, ...parsed.data, source, dataset_id: null, dataset_version: null, created_by: actor.id, created_at: now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bumpRevision(trx);
    return { ok: true as const, id: Number(row.id) };
  });
}

/**
 * Many measurements of one KPI at once (the rows of an imported file): every one checked first (a problem's field is
 * `<index>.<field>`), then all stored in one transaction with one revision, or none. Far cheaper per row than
 * `addMeasurement` row by row, which matters while an import holds the store's write lock.
 */
export async function addMeasurements(actor: Actor, innovationId: string, kpiId: number, inputs: readonly MeasurementInput[], source: 'manual' | 'csv' = 'csv'): Promise<Outcome<{ count: number }>> {
  const allowed = await writable(actor, innovationId);
  if (!allowed.ok) return allowed;
  if (!(await getKpi(innovationId, kpiId))) return failure('not_found');
  const at = now();
  const problems: Problem[] = [];
  const rows: Insertable<BadamiTables['badami_measurement']>[] = [];
  inputs.forEach((input, i) => {
    const parsed = measurementSchema.safeParse(input);
    if (!parsed.success) problems.push(...problemsOf(parsed.error.issues, `${i}.`));
    else rows.push({ kpi_id: kpiId, ...parsed.data, source, dataset_id: null, dataset_version: null, created_by: actor.id, created_at: at });
  });
  if (problems.length > 0) return invalid(problems);
  return transaction(async (trx) => {
    // In slices, well under SQLite's and PostgreSQL's limits on bound values per statement.
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('badami_measurement').values(rows.slice(i, i + 500)).execute();
    await bumpRevision(trx);
    return { ok: true as const, count: rows.length };
  });
}

export async function deleteMeasurement(actor: Actor, innovationId: string, kpiId: number, id: number): Promise<Outcome> {
  const allowed = await writable(actor, innovationId);
  if (!allowed.ok) return allowed;
  if (!(await getKpi(innovationId, kpiId))) return failure('not_found');
  return transaction(async (trx) => {
    const removed = await trx.deleteFrom('badami_measurement').where('id', '=', id).where('kpi_id', '=', kpiId).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return failure('not_found');
    await bumpRevision(trx);
    return { ok: true as const };
  });
}

export async function listKpis(innovationIds: readonly string[]): Promise<Kpi[]> {
  if (innovationIds.length === 0) return [];
  const rows = await db().selectFrom('badami_kpi').selectAll().where('innovation_id', 'in', innovationIds).orderBy('id').execute();
  return rows.map(toKpi);
}

/** Every measurement of the KPIs, oldest first per KPI. */
export async function listMeasurements(kpiIds: readonly number[]): Promise<Measurement[]> {
  if (kpiIds.length === 0) return [];
  const rows = await db().selectFrom('badami_measurement').selectAll().where('kpi_id', 'in', kpiIds).orderBy('kpi_id').orderBy('measured_on').orderBy('id').execute();
  return rows.map(toMeasurement);
}

/** A badami_kpi row as read (its timestamps aside). */
type KpiRow = Omit<Selectable<BadamiTables['badami_kpi']>, 'created_at' | 'updated_at'>;

export function toKpi(r: KpiRow): Kpi {
  return {
    id: Number(r.id),
    innovation_id: r.innovation_id,
    name: r.name,
    unit: r.unit,
    baseline: Number(r.baseline),
    target: Number(r.target),
    target_on: r.target_on,
    direction: r.direction as Direction,
    dataset_id: r.dataset_id,
    query: r.query,
    binding_error: r.binding_error,
    binding_version: r.binding_version,
    binding_checked_at: r.binding_checked_at === null ? null : Number(r.binding_checked_at),
  };
}

export function toMeasurement(r: Omit<Measurement, 'source'> & { source: string }): Measurement {
  return { ...r, id: Number(r.id), kpi_id: Number(r.kpi_id), value: Number(r.value), created_at: Number(r.created_at), source: r.source as Measurement['source'] };
}

/** The latest measurement per KPI (by date, then by when it was recorded). */
export function latestByKpi(measurements: readonly Measurement[]): Map<number, Measurement> {
  const latest = new Map<number, Measurement>();
  for (const m of measurements) {
    const seen = latest.get(m.kpi_id);
    if (!seen || m.measured_on > seen.measured_on || (m.measured_on === seen.measured_on && m.id > seen.id)) latest.set(m.kpi_id, m);
  }
  return latest;
}
