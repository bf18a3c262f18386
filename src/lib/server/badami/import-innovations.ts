import { LOCALES, t } from '../../i18n/index.ts';
import type { ImportCell } from '../community/export-read.ts';
import { kecamatanList } from './areas.ts';
import type { ImportIssue } from './import-issues.ts';
import { iidColumns, type IidRow } from './iid-export.ts';
import { profileOf, type Contact, type Innovation } from './innovations.ts';
import type { ProfileInput } from './profile.ts';
import { deployment } from '../config/deployment.ts';
import { AFFAIRS, INITIATORS, INNOVATION_FORMS, INNOVATION_TYPES, STAGES, type Stage } from './vocabulary.ts';

/**
 * One row of the IID export turned back into an innovation profile (what `updateInnovation` takes). The export writes
 * words, not codes (stage, initiator, type, form and affair as the reader's language names them, the OPD by name,
 * kecamatan by name, contacts as "name, role, e-mail; …"), so each is read back in either language (or as its
 * code). What the export derives — the stage and the dates stages began, the OPD, the evidence list — is not a
 * profile field: changing it in the file is a row error naming where to change it instead, never silently ignored.
 */
export const READ_ONLY_COLUMNS = ['stage', 'trial_on', 'adopted_on', 'opd', 'evidence'] as const;
const CHOICES = {
  initiator: INITIATORS,
  innovation_type: INNOVATION_TYPES,
  form: INNOVATION_FORMS,
  affair: AFFAIRS,
} as const;
type ChoiceField = keyof typeof CHOICES;

/** Read once per import: the current export cells of each innovation in both languages, and the kecamatan names. */
export interface InnovationImportContext {
  current: Map<string, { row: IidRow; cells: Record<'id' | 'en', Record<string, string>> }>;
  areaCodes: Map<string, string>;
  areaCount: number;
}

/** A cell as text (numbers plainly, nothing as ''), trimmed as the domain trims what it stores. */
export function cellText(value: ImportCell | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).trim();
}

/** Two cells that read the same (a spreadsheet may turn CRLF line breaks into LF). */
function sameText(a: string, b: string | undefined): boolean {
  return a.replace(/\r\n?/g, '\n') === (b ?? '').replace(/\r\n?/g, '\n');
}

/** A date a spreadsheet turned into a date cell (read back as midnight UTC) is the day the person typed. */
function dayOf(text: string): string {
  return /^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z$/.test(text) ? text.slice(0, 10) : text;
}

export async function innovationImportContext(rows: readonly IidRow[]): Promise<InnovationImportContext> {
  const columns = { id: iidColumns('id'), en: iidColumns('en') };
  const current: InnovationImportContext['current'] = new Map();
  for (const row of rows) {
    const cells = { id: {}, en: {} } as Record<'id' | 'en', Record<string, string>>;
    for (const locale of LOCALES) for (const c of columns[locale]) cells[locale][c.key] = cellText((c.value!(row) ?? null) as ImportCell);
    current.set(row.innovation.id, { row, cells });
  }
  const areas = await kecamatanList();
  const areaCodes = new Map<string, string>();
  for (const a of areas) areaCodes.set(a.name.toLowerCase(), a.code);
  return { current, areaCodes, areaCount: areas.length };
}

function choiceOf(field: ChoiceField, text: string): string | null {
  if (text === '') return '';
  for (const code of CHOICES[field]) {
    if (code === text) return code;
    for (const locale of LOCALES) if (t(locale, `badami.${field}.${code}`).toLowerCase() === text.toLowerCase()) return code;
  }
  return null;
}

/** "Siti Rahma, Kepala Seksi, siti@example.go.id; Budi" back into contacts: the part with an @ is the e-mail. */
export function parseContacts(text: string): Contact[] {
  if (text === '') return [];
  return text
    .split(';')
    .map((part) => part.split(',').map((s) => s.trim()).filter(Boolean))
    .filter((parts) => parts.length > 0)
    .map((parts) => {
      const email = parts.find((p) => p.includes('@')) ?? '';
      const rest = parts.filter((p) => p !== email);
      return { name: rest[0] ?? '', role: rest.slice(1).join(', '), email };
    });
}

/** A new innovation's profile before its row is read: what the IID export does not carry stays empty. */
function blankProfile(): ProfileInput {
  return {
    title: '', summary: '', opd: '', initiator: '', innovation_type: '', form: '', affair: '', design: '', goals: '', benefits: '', results: '',
    budget: null, start_date: null, contacts: [], city_wide: false, kecamatan: [], origin_kind: 'opd', origin_title: '', origin_url: '',
    topics: [], sdgs: [], datasets: [], parent_id: null,
  };
}

/** A stage or an OPD as the export names it (either language) or by its code; null when unknown. */
function stageOf(text: string): Stage | null {
  if (text === '') return 'ide';
  return STAGES.find((s) => s === text || LOCALES.some((l) => t(l, `badami.stage.${s}`).toLowerCase() === text.toLowerCase())) ?? null;
}
function opdOf(text: string): string | null {
  const lower = text.toLowerCase();
  return deployment().opds.find((o) => o.code === text || o.name.toLowerCase() === lower || o.name_en?.toLowerCase() === lower)?.code ?? null;
}

/**
 * The profile a row asks for, from the innovation's current profile (or, for a row without an ID, a new one's) and
 * the row's cells; with the row's problems that are about reading it (an unknown word, a changed read-only column).
 * A new innovation takes its OPD and starting stage from the row; the trial and adoption dates and the evidence
 * follow from stage moves and evidence, so they must be empty. The domain validates the rest.
 */
export function profileFromRow(
  innovation: Innovation | null,
  cells: Record<string, ImportCell>,
  context: InnovationImportContext,
  line: number,
): { profile: ProfileInput; issues: ImportIssue[]; stage: Stage } {
  const issues: ImportIssue[] = [];
  const current = innovation ? context.current.get(innovation.id)! : { cells: { id: {}, en: {} } as Record<'id' | 'en', Record<string, string | undefined>> };
  const text = (key: string) => cellText(cells[key]);
  const profile = innovation ? profileOf(innovation) : blankProfile();
  let stage: Stage = innovation?.stage ?? 'ide';
  if (innovation) {
    for (const key of READ_ONLY_COLUMNS) {
      const found = text(key);
      if (!sameText(found, current.cells.id[key]) && !sameText(found, current.cells.en[key])) {
        issues.push({ line, column: key, code: 'read_only', found, expected: { id: current.cells.id[key]!, en: current.cells.en[key]! } });
      }
    }
  } else {
    const opd = opdOf(text('opd'));
    if (opd === null) issues.push({ line, column: 'opd', code: 'unknown_choice', found: text('opd'), params: { expected: deployment().opds.map((o) => o.name).join(', ') } });
    else profile.opd = opd;
    const start = stageOf(text('stage'));
    if (start === null) issues.push({ line, column: 'stage', code: 'unknown_choice', found: text('stage'), expectedKeys: STAGES.map((s) => `badami.stage.${s}`) });
    else stage = start;
    for (const key of ['trial_on', 'adopted_on', 'evidence']) if (text(key) !== '') issues.push({ line, column: key, code: 'empty_for_new', found: text(key) });
  }
  for (const field of Object.keys(CHOICES) as ChoiceField[]) {
    const code = choiceOf(field, text(field));
    if (code === null) {
      issues.push({ line, column: field, code: 'unknown_choice', found: text(field), params: { expected: CHOICES[field].map((c) => t('id', `badami.${field}.${c}`)).join(', ') }, expectedKeys: CHOICES[field].map((c) => `badami.${field}.${c}`) });
    } else profile[field] = code;
  }
  // XML (so XLSX) reads CRLF line breaks back as LF: text that differs only so keeps what is stored.
  for (const field of ['title', 'summary', 'design', 'goals', 'benefits', 'results'] as const) if (!sameText(text(field), profile[field])) profile[field] = text(field);
  profile.start_date = dayOf(text('start_date')) || null;
  const budget = cells.budget;
  profile.budget = budget === null || budget === undefined ? null : (budget as number);
  const areas = text('kecamatan');
  if (!sameText(areas, current.cells.id.kecamatan)) {
    const cityWide = LOCALES.some((l) => t(l, 'badami.city_wide').toLowerCase() === areas.toLowerCase());
    profile.city_wide = cityWide;
    profile.kecamatan = [];
    if (!cityWide) {
      for (const name of areas.split(',').map((s) => s.trim()).filter(Boolean)) {
        const code = /^\d{2}\.\d{2}\.\d{2}$/.test(name) ? name : context.areaCodes.get(name.toLowerCase());
        if (code) profile.kecamatan.push(code);
        else issues.push({ line, column: 'kecamatan', code: 'unknown_area', found: name });
      }
      profile.kecamatan.sort();
    }
  }
  const contact = text('contact');
  if (!sameText(contact, current.cells.id.contact)) profile.contacts = parseContacts(contact);
  return { profile, issues, stage };
}

/** Whether two profiles are the same (an unchanged row is not written, so it leaves no trace). */
export function sameProfile(a: ProfileInput, b: ProfileInput): boolean {
  const norm = (p: ProfileInput) => JSON.stringify(Object.keys(p).sort().map((k) => [k, (p as Record<string, unknown>)[k] ?? null]));
  return norm(a) === norm(b);
}

/** The export column a profile field's problem belongs to. */
export function columnOfField(field: string): string | undefined {
  if (field.startsWith('contacts')) return 'contact';
  const key = field.split('.')[0]!;
  return ['title', 'summary', 'opd', 'initiator', 'innovation_type', 'form', 'affair', 'start_date', 'design', 'goals', 'benefits', 'results', 'budget', 'kecamatan'].includes(key) ? key : undefined;
}
