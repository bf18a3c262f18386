import { can, type Actor } from '../auth/authorization.ts';
import { publicDataset } from '../catalog/access.ts';
import { now } from '../clock.ts';
import { db, transaction } from '../db/store.ts';
import { runSql, SqlError } from '../query/sandbox.ts';
import { wibDate } from './health.ts';
import { getInnovation } from './innovations.ts';
import { getKpi } from './kpis.ts';
import { failure, invalid, type Outcome } from './results.ts';
import { bumpRevision } from './revision.ts';
import { isCalendarDate } from './validation.ts';

/**
 * KPIs bound to a published dataset: one SELECT, run in the SQL sandbox (invariant 6: public datasets only, read only,
 * time and memory limits), whose one row gives the value (a column `value`, else the first column) and optionally
 * the date it describes (a column `date`; else the day the version was published). Binding runs it once at once, so a
 * mistake is seen when it is made; afterwards every new version of the dataset that the server's catalog sync notices
 * records a measurement citing that version (recordDatasetMeasurements, called from catalog/sync.ts). A query that
 * fails is recorded on the KPI with the reason and shown on its page; the publish itself is never held up by it.
 */
export const QUERY_MAX = 5000;
/** binding_version while the dataset is not public (removed, or reclassified terbatas): reported once. */
const UNAVAILABLE = '-';

export type BindingError = { code: 'sql' | 'no_rows' | 'many_rows' | 'not_a_number' | 'bad_date' | 'dataset_unavailable'; detail: string };
type Evaluation = { ok: true; value: number; date: string | null } | { ok: false; error: BindingError };

/** Runs a KPI's query in the sandbox and reads its one row. */
export async function evaluateKpiQuery(query: string): Promise<Evaluation> {
  let result;
  try {
    result = await runSql(query, { maxRows: 2 });
  } catch (error) {
    if (error instanceof SqlError) return { ok: false, error: { code: 'sql', detail: error.message.replace(/^sql: /, '') } };
    throw error;
  }
  if (result.rows.length === 0) return { ok: false, error: { code: 'no_rows', detail: '' } };
  if (result.rows.length > 1) return { ok: false, error: { code: 'many_rows', detail: '' } };
  const row = result.rows[0]!;
  const valueColumn = result.columns.find((c) => c.name.toLowerCase() === 'value')?.name ?? result.columns[0]?.name;
  const raw = valueColumn === undefined ? undefined : row[valueColumn];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value)) return { ok: false, error: { code: 'not_a_number', detail: String(raw ?? 'NULL').slice(0, 100) } };
  const dateColumn = result.columns.find((c) => c.name.toLowerCase() === 'date')?.name;
  if (dateColumn === undefined || row[dateColumn] === null) return { ok: true, value, date: null };
  const date = String(row[dateColumn]).slice(0, 10);
  return isCalendarDate(date) ? { ok: true, value, date } : { ok: false, error: { code: 'bad_date', detail: String(row[dateColumn]).slice(0, 40) } };
}

/** The dataset's current public version and the WIB day it was published, or null. */
async function currentVersion(datasetId: string): Promise<{ version: string; day: string } | null> {
  const detail = await publicDataset(datasetId);
  if (!detail) return null;
  const version = detail.manifest.version;
  const published = detail.versions.find((v) => v.version === version)?.published_at;
  return { version, day: wibDate(published ? Date.parse(published) : now()) };
}

/** Binds a KPI to a public dataset by a query (both empty: unbinds), measuring the current version at once. */
export async function bindKpi(actor: Actor, innovationId: string, kpiId: number, input: { dataset: string; query: string }): Promise<Outcome<{ measured: boolean }>> {
  const innovation = await getInnovation(innovationId);
  if (!innovation) return failure('not_found');
  if (!can(actor, 'opd.innovation.write', { opd: innovation.opd })) return failure('forbidden');
  if (!(await getKpi(innovationId, kpiId))) return failure('not_found');
  const dataset = input.dataset.trim();
  const query = input.query.trim();
  if (!dataset && !query) {
    await transaction(async (trx) => {
      await trx.updateTable('badami_kpi').set({ dataset_id: null, query: null, binding_error: null, binding_version: null, binding_checked_at: null, updated_at: now() }).where('id', '=', kpiId).execute();
      await bumpRevision(trx);
    });
    return { ok: true, measured: false };
  }
  const problems = [];
  if (!dataset) problems.push({ field: 'dataset', code: 'required' });
  if (!query) problems.push({ field: 'query', code: 'required' });
  if (query.length > QUERY_MAX) problems.push({ field: 'query', code: 'too_long', params: { max: QUERY_MAX } });
  if (problems.length > 0) return invalid(problems);
  const current = await currentVersion(dataset);
  if (!current) return invalid([{ field: 'dataset', code: 'unknown_dataset', params: { found: dataset } }]);
  const evaluated = await evaluateKpiQuery(query);
  if (!evaluated.ok) return invalid([{ field: 'query', code: `binding.${evaluated.error.code}`, params: { detail: evaluated.error.detail } }]);
  await transaction(async (trx) => {
    const at = now();
    await trx.updateTable('badami_kpi').set({ dataset_id: dataset, query, binding_error: null, binding_version: current.version, binding_checked_at: at, updated_at: at }).where('id', '=', kpiId).execute();
    await recordMeasurement(kpiId, dataset, current, evaluated.value, evaluated.date);
    await bumpRevision(trx);
  });
  return { ok: true, measured: true };
}

async function recordMeasurement(kpiId: number, dataset: string, current: { version: string; day: string }, value: number, date: string | null): Promise<void> {
  await db()
    .insertInto('badami_measurement')
    .values({ kpi_id: kpiId, measured_on: date ?? current.day, value, source: 'dataset', dataset_id: dataset, dataset_version: current.version, note: '', created_by: null, created_at: now() })
    .onConflict((oc) => oc.columns(['kpi_id', 'dataset_version']).doNothing())
    .execute();
}

/**
 * After the catalog sync saw new versions: measures every KPI bound to those datasets once per version. Each KPI is
 * tried once per version (its binding_version), so a failing query is not re-run on every start; several servers
 * noticing one version record one measurement (a unique key on KPI and version).
 */
export async function recordDatasetMeasurements(datasetIds: readonly string[]): Promise<{ recorded: number; failed: number }> {
  const outcome = { recorded: 0, failed: 0 };
  if (datasetIds.length === 0) return outcome;
  const kpis = await db().selectFrom('badami_kpi').select(['id', 'dataset_id', 'query', 'binding_version']).where('dataset_id', 'in', [...datasetIds]).execute();
  for (const kpi of kpis) {
    const current = await currentVersion(kpi.dataset_id!);
    if (kpi.binding_version === (current?.version ?? UNAVAILABLE)) continue;
    const evaluated: Evaluation = current ? await evaluateKpiQuery(kpi.query ?? '') : { ok: false, error: { code: 'dataset_unavailable', detail: kpi.dataset_id! } };
    await transaction(async (trx) => {
      const at = now();
      await trx
        .updateTable('badami_kpi')
        .set({ binding_error: evaluated.ok ? null : JSON.stringify(evaluated.error), binding_version: current?.version ?? UNAVAILABLE, binding_checked_at: at })
        .where('id', '=', Number(kpi.id))
        .execute();
      if (evaluated.ok && current) await recordMeasurement(Number(kpi.id), kpi.dataset_id!, current, evaluated.value, evaluated.date);
      await bumpRevision(trx);
    });
    if (evaluated.ok) outcome.recorded++;
    else {
      outcome.failed++;
      console.warn(`[badami] KPI ${kpi.id} on ${kpi.dataset_id}: automatic measurement failed (${evaluated.error.code}${evaluated.error.detail ? `: ${evaluated.error.detail}` : ''})`);
    }
  }
  return outcome;
}

export function parseBindingError(text: string | null): BindingError | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as BindingError;
  } catch {
    return { code: 'sql', detail: text };
  }
}
