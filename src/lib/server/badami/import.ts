import { audit } from '../audit/audit.ts';
import { can, type Actor } from '../auth/authorization.ts';
import { readExport, type ImportCell } from '../community/export-read.ts';
import type { ExportColumn, ExportFormat } from '../community/exports.ts';
import { deployment, opdNames } from '../config/deployment.ts';
import { db, transaction } from '../db/store.ts';
import { iidColumns, iidRows } from './iid-export.ts';
import { cellText, columnOfField, innovationImportContext, profileFromRow, sameProfile } from './import-innovations.ts';
import { ImportRejected, type ImportIssue, type ImportOutcome } from './import-issues.ts';
import { createInnovation, getInnovation, profileOf, updateInnovation, writableInnovation } from './innovations.ts';
import { addMeasurements, getKpi, listMeasurements, type Measurement, type MeasurementInput } from './kpis.ts';
import { saveMilestone } from './milestones.ts';
import { MEASUREMENT_COLUMNS, MILESTONE_COLUMNS } from './record-export.ts';
import type { Failure } from './results.ts';

/**
 * Bulk update: an official brings back a file in exactly the format an export produced — the IID export
 * (innovation profiles), or the milestones or measurements export — edited in a spreadsheet. The whole file is one
 * transaction: every row goes through the same domain function a form uses (so the same checks and the same
 * `opd.innovation.write` rule), every problem of every row is collected, and if there is any the transaction is rolled
 * back and nothing is stored. A row for an innovation the importer may not change makes the answer 403.
 * Unchanged rows are not written; rows without an id register an innovation, or add a milestone or a measurement
 * (source "csv").
 */
export const IMPORT_KINDS = ['innovations', 'milestones', 'measurements'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const MAX_IMPORT_ROWS = 5000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_ISSUES = 100;

type Columns = readonly Pick<ExportColumn<unknown>, 'key' | 'header' | 'type'>[];

export function importColumns(kind: ImportKind): Columns {
  if (kind === 'innovations') return iidColumns('id') as unknown as Columns;
  return (kind === 'milestones' ? MILESTONE_COLUMNS : MEASUREMENT_COLUMNS) as unknown as Columns;
}

/** XLSX files are zip archives ("PK\3\4"); anything else is read as CSV. */
export function sniffFormat(bytes: Uint8Array): ExportFormat {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 ? 'xlsx' : 'csv';
}

export async function importFile(actor: Actor, input: { kind: ImportKind; bytes: Uint8Array; ip?: string | null }): Promise<ImportOutcome> {
  const { kind, bytes } = input;
  // Only someone who keeps some OPD's innovations current imports at all; each row is then checked for its own OPD.
  if (!deployment().opds.some((o) => can(actor, 'opd.innovation.write', { opd: o.code }))) return { ok: false, code: 'forbidden', issues: [{ code: 'not_an_official' }] };
  if (bytes.byteLength === 0) return { ok: false, code: 'import_rejected', issues: [{ read: { code: 'empty' } }] };
  if (bytes.byteLength > MAX_IMPORT_BYTES) return { ok: false, code: 'import_rejected', issues: [{ code: 'too_large', params: { max: MAX_IMPORT_BYTES / (1024 * 1024) } }] };
  const read = await readExport(bytes, sniffFormat(bytes), importColumns(kind));
  if (!read.ok) return { ok: false, code: 'import_rejected', issues: read.problems.map((problem) => ({ read: problem })) };
  if (read.rows.length > MAX_IMPORT_ROWS) return { ok: false, code: 'import_rejected', issues: [{ code: 'too_many_rows', params: { max: MAX_IMPORT_ROWS, found: read.rows.length } }] };
  const rows = read.rows.map((cells, i) => ({ line: read.lines[i]!, cells }));
  const apply = kind === 'innovations' ? await innovationRows(actor, rows) : kind === 'milestones' ? milestoneRows(actor, rows) : measurementRows(actor, rows);
  try {
    return await transaction(async () => {
      const counts = { added: 0, changed: 0, unchanged: 0 };
      const issues: ImportIssue[] = [];
      await apply(counts, issues);
      if (issues.length > 0) throw new ImportRejected(issues);
      await audit('badami.import', { actorId: actor.id, ip: input.ip, detail: `${kind} +${counts.added} ~${counts.changed} =${counts.unchanged}` });
      return { ok: true as const, ...counts };
    });
  } catch (error) {
    if (!(error instanceof ImportRejected)) throw error;
    error.issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)); // in file order (new measurements are checked last)
    const forbidden = error.issues.some((i) => i.code === 'forbidden' || i.code === 'forbidden_opd');
    // A page lists what a person can fix in one go; the rest is counted.
    const shown = error.issues.length > MAX_ISSUES ? [...error.issues.slice(0, MAX_ISSUES), { code: 'more', params: { n: error.issues.length - MAX_ISSUES } }] : error.issues;
    return { ok: false, code: forbidden ? 'forbidden' : 'import_rejected', issues: shown };
  }
}

interface Row {
  line: number;
  cells: Record<string, ImportCell>;
}
type Counts = { added: number; changed: number; unchanged: number };
type Apply = (counts: Counts, issues: ImportIssue[]) => Promise<void>;

/** The domain's refusal of one row as issues: each wrong field on its column, with what the row held there. */
function refusalIssues(line: number, failure: Failure, form: string, cells: Record<string, ImportCell>, columnOf: (field: string) => string | undefined, found?: string): ImportIssue[] {
  if (failure.code === 'forbidden' || failure.code === 'not_found') return [{ line, column: 'innovation_id', code: failure.code, found }];
  if (!failure.problems?.length) return [{ line, code: `error.${failure.code}` }];
  return failure.problems.map((problem) => {
    const column = columnOf(problem.field);
    return { line, column, problem, form, found: column ? cellText(cells[column]) : undefined };
  });
}

/** Each innovation id once per file; a second row for it would silently win over the first. */
function duplicate(seen: Map<string, number>, key: string, line: number, column: string, issues: ImportIssue[]): boolean {
  const first = seen.get(key);
  if (first !== undefined) {
    issues.push({ line, column, code: 'duplicate', found: key, params: { other: first } });
    return true;
  }
  seen.set(key, line);
  return false;
}

/** Whether `actor` may change innovation `id`, asked once per innovation; a refusal names the owning OPD. */
function authorizer(actor: Actor) {
  const known = new Map<string, Awaited<ReturnType<typeof writableInnovation>>>();
  return async (id: string, line: number, column: string, issues: ImportIssue[]): Promise<boolean> => {
    if (!known.has(id)) known.set(id, await writableInnovation(actor, id));
    const allowed = known.get(id)!;
    if (allowed.ok) return true;
    const owner = allowed.code === 'forbidden' ? (await getInnovation(id))?.opd : undefined;
    issues.push({ line, column, code: allowed.code, found: id, params: owner ? { opd: opdNames(owner).name } : {} });
    return false;
  };
}

async function innovationRows(actor: Actor, rows: Row[]): Promise<Apply> {
  // What the export shows now, read before the transaction (the board's read model is cached per revision).
  const context = await innovationImportContext(await iidRows(null, new Set(rows.map((r) => cellText(r.cells.id)))));
  const may = authorizer(actor);
  return async (counts, issues) => {
    const seen = new Map<string, number>();
    for (const { line, cells } of rows) {
      const id = cellText(cells.id);
      if (id === '') {
        await newInnovationRow(actor, line, cells, context, seen, counts, issues);
        continue;
      }
      if (duplicate(seen, id, line, 'id', issues) || !(await may(id, line, 'id', issues))) continue;
      const innovation = await getInnovation(id);
      if (!innovation || !context.current.has(id)) {
        issues.push({ line, column: 'id', code: 'not_found', found: id });
        continue;
      }
      const { profile, issues: rowIssues } = profileFromRow(innovation, cells, context, line);
      issues.push(...rowIssues);
      if (rowIssues.length > 0) continue;
      if (sameProfile(profile, profileOf(innovation))) {
        counts.unchanged++;
        continue;
      }
      const saved = await updateInnovation(actor, id, profile);
      if (saved.ok) counts.changed++;
      else issues.push(...refusalIssues(line, saved, 'field', cells, columnOfField, id).map((i) => (i.column === 'innovation_id' ? { ...i, column: 'id' } : i)));
    }
  };
}

/**
 * A row without an ID registers a new innovation of the row's OPD at the row's stage (Ide when empty), as the form
 * would. A second import of the same file must not register it twice: a title the OPD already uses is a row error.
 */
async function newInnovationRow(actor: Actor, line: number, cells: Record<string, ImportCell>, context: Awaited<ReturnType<typeof innovationImportContext>>, seen: Map<string, number>, counts: Counts, issues: ImportIssue[]): Promise<void> {
  const { profile, issues: rowIssues, stage } = profileFromRow(null, cells, context, line);
  issues.push(...rowIssues);
  if (rowIssues.length > 0) return;
  const opd = String(profile.opd);
  if (!can(actor, 'opd.innovation.write', { opd })) {
    issues.push({ line, column: 'opd', code: 'forbidden_opd', found: cellText(cells.opd), params: { opd: opdNames(opd).name } });
    return;
  }
  const title = String(profile.title).trim();
  if (title !== '' && duplicate(seen, `new:${opd}:${title.toLowerCase()}`, line, 'title', issues)) return;
  const taken = title === '' ? undefined : await db().selectFrom('badami_innovation').select('id').where('opd', '=', opd).where('title', '=', title).executeTakeFirst();
  if (taken) {
    issues.push({ line, column: 'title', code: 'title_taken', found: title, params: { id: taken.id } });
    return;
  }
  const created = await createInnovation(actor, profile, { stage });
  if (created.ok) counts.added++;
  else issues.push(...refusalIssues(line, created, 'field', cells, columnOfField).map((i) => (i.column === 'innovation_id' ? { ...i, column: 'opd', code: 'forbidden_opd' } : i)));
}

const intOf = (cell: ImportCell | undefined): number | null => (typeof cell === 'number' && Number.isInteger(cell) && cell > 0 ? cell : null);

function idCell(cells: Record<string, ImportCell>, key: string, line: number, issues: ImportIssue[]): number | null | 'bad' {
  const cell = cells[key];
  if (cell === null || cell === undefined) return null;
  const n = intOf(cell);
  if (n === null) issues.push({ line, column: key, code: 'not_an_id', found: cellText(cell) });
  return n ?? 'bad';
}

function milestoneRows(actor: Actor, rows: Row[]): Apply {
  const may = authorizer(actor);
  const fieldColumn = (field: string) => (['title', 'owner', 'due_on', 'completed_on', 'note'].includes(field) ? field : undefined);
  return async (counts, issues) => {
    const seen = new Map<string, number>();
    for (const { line, cells } of rows) {
      const innovationId = cellText(cells.innovation_id);
      const id = idCell(cells, 'id', line, issues);
      if (innovationId === '') issues.push({ line, column: 'innovation_id', code: 'id_required' });
      if (innovationId === '' || id === 'bad' || !(await may(innovationId, line, 'innovation_id', issues))) continue;
      if (id !== null && duplicate(seen, String(id), line, 'id', issues)) continue;
      const input = { title: cellText(cells.title), owner: cellText(cells.owner), due_on: cellText(cells.due_on), completed_on: cellText(cells.completed_on) || null, note: cellText(cells.note) };
      if (id !== null) {
        const existing = await db().selectFrom('badami_milestone').selectAll().where('id', '=', id).where('innovation_id', '=', innovationId).executeTakeFirst();
        if (!existing) {
          issues.push({ line, column: 'id', code: 'record_not_found', found: String(id) });
          continue;
        }
        if (existing.title === input.title && existing.owner === input.owner && existing.due_on === input.due_on && existing.completed_on === input.completed_on && existing.note === input.note) {
          counts.unchanged++;
          continue;
        }
      }
      const saved = await saveMilestone(actor, innovationId, input, id ?? undefined);
      if (saved.ok) counts[id === null ? 'added' : 'changed']++;
      else issues.push(...refusalIssues(line, saved, 'milestone', cells, fieldColumn, innovationId));
    }
  };
}

function measurementRows(actor: Actor, rows: Row[]): Apply {
  const may = authorizer(actor);
  const fieldColumn = (field: string) => (['measured_on', 'value', 'note'].includes(field) ? field : undefined);
  return async (counts, issues) => {
    const seen = new Map<string, number>();
    // Per KPI: its recorded measurements (read once), and the new rows, stored together at the end.
    const kpis = new Map<string, { innovationId: string; kpiId: number; recorded: Map<number, Measurement> | null; added: { line: number; cells: Row['cells']; input: MeasurementInput }[] }>();
    for (const { line, cells } of rows) {
      const innovationId = cellText(cells.innovation_id);
      const kpiId = idCell(cells, 'kpi_id', line, issues);
      const id = idCell(cells, 'id', line, issues);
      if (innovationId === '') issues.push({ line, column: 'innovation_id', code: 'id_required' });
      if (kpiId === null) issues.push({ line, column: 'kpi_id', code: 'id_required' });
      if (innovationId === '' || kpiId === null || kpiId === 'bad' || id === 'bad' || !(await may(innovationId, line, 'innovation_id', issues))) continue;
      const key = `${innovationId} ${kpiId}`;
      if (!kpis.has(key)) {
        const found = await getKpi(innovationId, kpiId);
        kpis.set(key, { innovationId, kpiId, recorded: found ? new Map((await listMeasurements([kpiId])).map((m) => [m.id, m])) : null, added: [] });
      }
      const kpi = kpis.get(key)!;
      if (!kpi.recorded) {
        issues.push({ line, column: 'kpi_id', code: 'record_not_found', found: String(kpiId) });
        continue;
      }
      const value = cells.value === null || cells.value === undefined ? Number.NaN : (cells.value as number);
      const input = { measured_on: cellText(cells.measured_on), value, note: cellText(cells.note) };
      if (id === null) {
        kpi.added.push({ line, cells, input });
        continue;
      }
      if (duplicate(seen, String(id), line, 'id', issues)) continue;
      const existing = kpi.recorded.get(id);
      if (!existing) issues.push({ line, column: 'id', code: 'record_not_found', found: String(id) });
      else if (existing.measured_on === input.measured_on && existing.value === input.value && existing.note === input.note) counts.unchanged++;
      // A recorded measurement is history (a dataset-bound one cites its version): correct it by adding a new one.
      else issues.push({ line, column: 'id', code: 'measurement_changed', found: String(id) });
    }
    for (const kpi of kpis.values()) {
      if (kpi.added.length === 0) continue;
      const saved = await addMeasurements(actor, kpi.innovationId, kpi.kpiId, kpi.added.map((a) => a.input), 'csv');
      if (saved.ok) {
        counts.added += saved.count;
        continue;
      }
      // Each problem back on its row: the domain names it `<index>.<field>`.
      for (const problem of saved.problems ?? []) {
        const [index, ...field] = problem.field.split('.');
        const row = kpi.added[Number(index)]!;
        issues.push(...refusalIssues(row.line, { ...saved, problems: [{ ...problem, field: field.join('.') }] }, 'kpi', row.cells, fieldColumn, kpi.innovationId));
      }
      if (!saved.problems?.length) issues.push(...refusalIssues(kpi.added[0]!.line, saved, 'kpi', kpi.added[0]!.cells, fieldColumn, kpi.innovationId));
    }
  };
}
