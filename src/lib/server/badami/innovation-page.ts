import { db } from '../db/store.ts';
import { boardModel, type BoardItem } from './board.ts';
import { listEvidence, type Evidence } from './evidence.ts';
import { getInnovation, type Innovation } from './innovations.ts';
import { latestByKpi, listKpis, listMeasurements, type Kpi, type Measurement } from './kpis.ts';
import { listMilestones, type Milestone } from './milestones.ts';
import { listTransitions, type Transition } from './transitions.ts';
import { listUpdates, type ProgressUpdate } from './updates.ts';

/** Everything the innovation page shows, read in one go; names of the people who acted, for the timeline. */
export interface InnovationPage {
  innovation: Innovation;
  item: BoardItem | null;
  transitions: Transition[];
  milestones: Milestone[];
  kpis: { kpi: Kpi; latest: Measurement | null; measurements: Measurement[] }[];
  updates: ProgressUpdate[];
  evidence: Evidence[];
  names: Map<string, { name: string; deleted: boolean }>;
}

export async function innovationPage(id: string): Promise<InnovationPage | null> {
  const innovation = await getInnovation(id);
  if (!innovation) return null;
  const [model, transitions, milestones, kpis, updates, evidence] = await Promise.all([
    boardModel(),
    listTransitions(id),
    listMilestones([id]),
    listKpis([id]),
    listUpdates([id]),
    listEvidence([id]),
  ]);
  const measurements = await listMeasurements(kpis.map((k) => k.id));
  const latest = latestByKpi(measurements);
  const people = [...new Set([...transitions.map((t) => t.actor_id), ...updates.map((u) => u.author_id)])];
  const rows = people.length ? await db().selectFrom('auth_user').select(['id', 'name', 'deleted_at']).where('id', 'in', people).execute() : [];
  return {
    innovation,
    item: model.byId.get(id) ?? null,
    transitions,
    milestones,
    kpis: kpis.map((kpi) => ({ kpi, latest: latest.get(kpi.id) ?? null, measurements: measurements.filter((m) => m.kpi_id === kpi.id) })),
    updates,
    evidence,
    names: new Map(rows.map((r) => [r.id, { name: r.name ?? '', deleted: r.deleted_at !== null }])),
  };
}
