import { t, type Locale } from '../../i18n/index.ts';
import type { ExportColumn } from '../community/exports.ts';
import { opdNames } from '../config/deployment.ts';
import { db } from '../db/store.ts';
import { kecamatanNames } from './areas.ts';
import { boardModel } from './board.ts';
import { listEvidence, type Evidence } from './evidence.ts';
import { getInnovation, type Innovation } from './innovations.ts';
import { wibDate } from './health.ts';
import type { Stage } from './vocabulary.ts';

/**
 * The IID export: one row per innovation with the fields of the regional innovation index's input form, in its
 * order (name, stage, initiator, type, form, affair, the dates trial and adoption began, design, goals, benefits,
 * results, budget, agency, area, contact), then its evidence (bukti dukung) as "indicator: title" lines. Written
 * with the community export helper, as XLSX or CSV, headers in the reader's language.
 */
export interface IidRow {
  innovation: Innovation;
  trialOn: string | null;
  adoptedOn: string | null;
  evidence: Evidence[];
  areas: string;
}

/** The rows of one OPD (or the city, null); `only` keeps those innovations (an import reads just its file's). */
export async function iidRows(opd: string | null, only?: ReadonlySet<string>): Promise<IidRow[]> {
  const model = await boardModel();
  const ids = model.items.filter((i) => (opd === null || i.opd === opd) && (!only || only.has(i.id))).map((i) => i.id);
  if (ids.length === 0) return [];
  const innovations = (await Promise.all(ids.map(getInnovation))).filter((i): i is Innovation => i !== null);
  const firsts = await db()
    .selectFrom('badami_transition')
    .select(['innovation_id', 'to_stage', (eb) => eb.fn.min<number>('at').as('at')])
    .where('innovation_id', 'in', ids)
    .where('to_stage', 'in', ['uji_coba', 'penerapan'])
    .groupBy(['innovation_id', 'to_stage'])
    .execute();
  const first = (id: string, stage: Stage) => {
    const row = firsts.find((f) => f.innovation_id === id && f.to_stage === stage);
    return row ? wibDate(Number(row.at)) : null;
  };
  const evidence = await listEvidence(ids);
  const names = await kecamatanNames();
  return innovations
    .sort((a, b) => a.opd.localeCompare(b.opd) || a.title.localeCompare(b.title, 'id'))
    .map((innovation) => ({
      innovation,
      trialOn: first(innovation.id, 'uji_coba'),
      adoptedOn: first(innovation.id, 'penerapan'),
      evidence: evidence.filter((e) => e.innovation_id === innovation.id),
      areas: innovation.city_wide ? t('id', 'badami.city_wide') : innovation.kecamatan.map((k) => names.get(k) ?? k).join(', '),
    }));
}

export function iidColumns(locale: Locale): ExportColumn<IidRow>[] {
  const label = (key: string) => ({ id: t('id', key), en: t('en', key) });
  const i = (f: (r: Innovation) => string | number | null) => (r: IidRow) => f(r.innovation);
  return [
    { key: 'id', header: { id: 'ID', en: 'ID' }, value: i((x) => x.id) },
    { key: 'title', header: label('badami.field.title'), value: i((x) => x.title) },
    { key: 'stage', header: label('badami.col.stage'), value: i((x) => t(locale, `badami.stage.${x.stage}`)) },
    { key: 'initiator', header: label('badami.field.initiator'), value: i((x) => t(locale, `badami.initiator.${x.initiator}`)) },
    { key: 'innovation_type', header: label('badami.field.innovation_type'), value: i((x) => t(locale, `badami.innovation_type.${x.innovation_type}`)) },
    { key: 'form', header: label('badami.field.form'), value: i((x) => t(locale, `badami.form.${x.form}`)) },
    { key: 'affair', header: label('badami.field.affair'), value: i((x) => t(locale, `badami.affair.${x.affair}`)) },
    { key: 'start_date', header: label('badami.field.start_date'), value: i((x) => x.start_date) },
    { key: 'trial_on', header: label('badami.iid.trial_on'), value: (r) => r.trialOn },
    { key: 'adopted_on', header: label('badami.iid.adopted_on'), value: (r) => r.adoptedOn },
    { key: 'summary', header: label('badami.field.summary'), value: i((x) => x.summary) },
    { key: 'design', header: label('badami.field.design'), value: i((x) => x.design) },
    { key: 'goals', header: label('badami.field.goals'), value: i((x) => x.goals) },
    { key: 'benefits', header: label('badami.field.benefits'), value: i((x) => x.benefits) },
    { key: 'results', header: label('badami.field.results'), value: i((x) => x.results) },
    { key: 'budget', header: label('badami.field.budget'), value: i((x) => x.budget), type: 'number' },
    { key: 'opd', header: label('badami.field.opd'), value: i((x) => opdNames(x.opd).name) },
    { key: 'kecamatan', header: label('badami.field.kecamatan'), value: (r) => r.areas },
    { key: 'contact', header: label('badami.field.contact_name'), value: i((x) => x.contacts.map((c) => [c.name, c.role, c.email].filter(Boolean).join(', ')).join('; ')) },
    {
      key: 'evidence',
      header: label('badami.evidence'),
      value: (r) => r.evidence.map((e) => `${t(locale, `badami.indicator.${e.indicator}`)}: ${e.title}${e.url ? ` (${e.url})` : ''}`).join('\n'),
    },
  ];
}
