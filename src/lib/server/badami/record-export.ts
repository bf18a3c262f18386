import type { ExportColumn } from '../community/exports.ts';
import { boardModel } from './board.ts';
import { listKpis, listMeasurements, type Kpi, type Measurement } from './kpis.ts';
import { listMilestones, type Milestone } from './milestones.ts';

/**
 * The milestones and KPI measurements of an OPD (or of the whole city) as files, beside the IID export: one row per
 * milestone or measurement, with the ids an import needs to find it again (import.ts reads exactly these columns
 * back). The innovation's name, the KPI's name and a measurement's source are there for people and are not imported.
 */
export type RecordKind = 'milestones' | 'measurements';
export const RECORD_KINDS: readonly RecordKind[] = ['milestones', 'measurements'];

export interface MilestoneExportRow extends Milestone {
  innovation: string;
}
export interface MeasurementExportRow extends Measurement {
  innovation_id: string;
  innovation: string;
  kpi: string;
}

const both = (id: string, en: string) => ({ id, en });

export const MILESTONE_COLUMNS: ExportColumn<MilestoneExportRow>[] = [
  { key: 'innovation_id', header: both('ID inovasi', 'Innovation ID') },
  { key: 'innovation', header: both('Nama inovasi', 'Name of the innovation') },
  { key: 'id', header: both('ID tonggak', 'Milestone ID'), type: 'number' },
  { key: 'title', header: both('Tonggak', 'Milestone') },
  { key: 'owner', header: both('Penanggung jawab', 'Owner') },
  { key: 'due_on', header: both('Tenggat (TTTT-BB-HH)', 'Due (YYYY-MM-DD)'), type: 'date' },
  { key: 'completed_on', header: both('Selesai (TTTT-BB-HH)', 'Done (YYYY-MM-DD)'), type: 'date' },
  { key: 'note', header: both('Catatan', 'Note') },
];

export const MEASUREMENT_COLUMNS: ExportColumn<MeasurementExportRow>[] = [
  { key: 'innovation_id', header: both('ID inovasi', 'Innovation ID') },
  { key: 'innovation', header: both('Nama inovasi', 'Name of the innovation') },
  { key: 'kpi_id', header: both('ID KPI', 'KPI ID'), type: 'number' },
  { key: 'kpi', header: both('KPI', 'KPI') },
  { key: 'id', header: both('ID pengukuran', 'Measurement ID'), type: 'number' },
  { key: 'measured_on', header: both('Tanggal ukur (TTTT-BB-HH)', 'Measured on (YYYY-MM-DD)'), type: 'date' },
  { key: 'value', header: both('Nilai', 'Value'), type: 'number' },
  { key: 'source', header: both('Sumber', 'Source') },
  { key: 'note', header: both('Catatan', 'Note') },
];

/** Informational columns: shown in the file, ignored on import. */
export const INFORMATIONAL: Record<RecordKind, readonly string[]> = { milestones: ['innovation'], measurements: ['innovation', 'kpi', 'source'] };

/** The innovations of `opd` (null: the city), by id, with their names. */
async function innovationsOf(opd: string | null): Promise<Map<string, string>> {
  const model = await boardModel();
  return new Map(model.items.filter((i) => opd === null || i.opd === opd).map((i) => [i.id, i.title]));
}

export async function milestoneExportRows(opd: string | null): Promise<MilestoneExportRow[]> {
  const innovations = await innovationsOf(opd);
  const rows = await listMilestones([...innovations.keys()]);
  return rows
    .map((m) => ({ ...m, innovation: innovations.get(m.innovation_id) ?? '' }))
    .sort((a, b) => a.innovation_id.localeCompare(b.innovation_id) || a.id - b.id);
}

export async function measurementExportRows(opd: string | null): Promise<MeasurementExportRow[]> {
  const innovations = await innovationsOf(opd);
  const kpis = new Map<number, Kpi>((await listKpis([...innovations.keys()])).map((k) => [k.id, k]));
  const rows = await listMeasurements([...kpis.keys()]);
  return rows
    .map((m) => {
      const kpi = kpis.get(m.kpi_id)!;
      return { ...m, innovation_id: kpi.innovation_id, innovation: innovations.get(kpi.innovation_id) ?? '', kpi: kpi.name };
    })
    .sort((a, b) => a.innovation_id.localeCompare(b.innovation_id) || a.kpi_id - b.kpi_id || a.id - b.id);
}
