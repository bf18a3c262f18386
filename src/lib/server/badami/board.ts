import { sql } from 'kysely';
import { createCache } from '../cache.ts';
import { now } from '../clock.ts';
import { deployment } from '../config/deployment.ts';
import { db } from '../db/store.ts';
import { attainment, progress, rolledUpProgress, type KpiTargets } from './attainment.ts';
import type { BoardFilters } from './board-filters.ts';
import { deriveHealth, wibDate, type HealthState } from './health.ts';
import { currentRevision } from './revision.ts';
import { ACTIVE_STAGES, HEALTH, STAGES, type Direction, type Health, type OriginKind, type Stage } from './vocabulary.ts';

/**
 * The board's read model: every innovation with what the board, the table, the map and the dashboards show — its
 * health (derived today, or overridden), its progress rolled up from its replications, its KPIs' attainment, its
 * overdue milestones. Built with a handful of grouped queries and kept while the Badami revision (revision.ts), the
 * day (health counts calendar days) and the health thresholds stay the same; any Badami write anywhere raises the
 * revision in the store, so the next request rebuilds it.
 */
export interface BoardItem {
  id: string;
  title: string;
  opd: string;
  stage: Stage;
  stageSince: number;
  origin: OriginKind;
  topics: string[];
  kecamatan: string[];
  cityWide: boolean;
  demo: boolean;
  parentId: string | null;
  createdAt: number;
  lastUpdateAt: number | null;
  updatedAt: number;
  health: HealthState;
  /** Mean clamped KPI attainment of its own KPIs, null without measurements. */
  ownProgress: number | null;
  /** Rolled up from its replications (attainment.ts). */
  progress: number | null;
  children: number;
}

export interface KpiStatus {
  id: number;
  innovationId: string;
  name: string;
  unit: string;
  direction: Direction;
  latest: number | null;
  latestOn: string | null;
  attainment: number | null;
}

export interface OverdueMilestone {
  id: number;
  innovationId: string;
  title: string;
  owner: string;
  dueOn: string;
}

export interface BoardModel {
  revision: number;
  today: string;
  items: BoardItem[];
  byId: Map<string, BoardItem>;
  kpis: KpiStatus[];
  overdue: OverdueMilestone[];
  topics: string[];
}

const models = createCache<BoardModel>({ max: 3 });

export async function boardModel(): Promise<BoardModel> {
  const revision = await currentRevision();
  const at = now();
  const today = wibDate(at);
  const limits = deployment().badami.health;
  return models.get(`${revision}|${today}|${JSON.stringify(limits)}`, () => buildModel(revision, at, today, limits));
}

/**
 * What the board's read model, and so every rendering of the board, depends on: the Badami revision, the day (health
 * counts calendar days) and the health thresholds. A key for caches of what is built from the model.
 */
export async function boardVersion(): Promise<string> {
  return `${await currentRevision()}|${wibDate(now())}|${JSON.stringify(deployment().badami.health)}`;
}

async function buildModel(revision: number, at: number, today: string, limits: ReturnType<typeof deployment>['badami']['health']): Promise<BoardModel> {
  const [rows, areas, topics, overdueRows, kpiRows, latestRows] = await Promise.all([
    db()
      .selectFrom('badami_innovation')
      .select(['id', 'title', 'opd', 'stage', 'stage_since', 'origin_kind', 'city_wide', 'demo', 'parent_id', 'created_at', 'last_update_at', 'updated_at', 'health_override', 'health_override_reason'])
      .execute(),
    db().selectFrom('badami_innovation_area').select(['innovation_id', 'code']).execute(),
    db().selectFrom('badami_innovation_topic').select(['innovation_id', 'topic']).execute(),
    db().selectFrom('badami_milestone').select(['id', 'innovation_id', 'title', 'owner', 'due_on']).where('completed_on', 'is', null).where('due_on', '<', today).orderBy('due_on').execute(),
    db().selectFrom('badami_kpi').select(['id', 'innovation_id', 'name', 'unit', 'baseline', 'target', 'direction']).execute(),
    // The latest measurement of each KPI (by date, then by id), in one pass over the measurements.
    sql<{ kpi_id: number; value: number; measured_on: string }>`
      SELECT kpi_id, value, measured_on FROM (
        SELECT kpi_id, value, measured_on, ROW_NUMBER() OVER (PARTITION BY kpi_id ORDER BY measured_on DESC, id DESC) AS recency
          FROM badami_measurement) latest
       WHERE recency = 1`.execute(db()),
  ]);
  const group = <T,>(list: readonly T[], key: (x: T) => string) => {
    const map = new Map<string, T[]>();
    for (const x of list) map.set(key(x), [...(map.get(key(x)) ?? []), x]);
    return map;
  };
  const areasOf = group(areas, (a) => a.innovation_id);
  const topicsOf = group(topics, (t) => t.innovation_id);
  const overdueOf = group(overdueRows, (m) => m.innovation_id);
  const latest = new Map(latestRows.rows.map((r) => [Number(r.kpi_id), r]));
  const kpis: (KpiStatus & { targets: KpiTargets })[] = kpiRows.map((k) => {
    const targets: KpiTargets = { baseline: Number(k.baseline), target: Number(k.target), direction: k.direction as Direction };
    const found = latest.get(Number(k.id));
    const value = found ? Number(found.value) : null;
    return {
      id: Number(k.id),
      innovationId: k.innovation_id,
      name: k.name,
      unit: k.unit,
      direction: targets.direction,
      latest: value,
      latestOn: found?.measured_on ?? null,
      attainment: value === null ? null : attainment(targets, value),
      targets,
    };
  });
  const kpisOf = group(kpis, (k) => k.innovationId);
  const items: BoardItem[] = rows.map((r) => {
    const stage = r.stage as Stage;
    const own = kpisOf.get(r.id) ?? [];
    return {
      id: r.id,
      title: r.title,
      opd: r.opd,
      stage,
      stageSince: Number(r.stage_since),
      origin: r.origin_kind as OriginKind,
      topics: (topicsOf.get(r.id) ?? []).map((t) => t.topic).sort(),
      kecamatan: (areasOf.get(r.id) ?? []).map((a) => a.code).sort(),
      cityWide: Boolean(r.city_wide),
      demo: Boolean(r.demo),
      parentId: r.parent_id,
      createdAt: Number(r.created_at),
      lastUpdateAt: r.last_update_at === null ? null : Number(r.last_update_at),
      updatedAt: Number(r.updated_at),
      health: deriveHealth(
        {
          stage,
          createdAt: Number(r.created_at),
          lastUpdateAt: r.last_update_at === null ? null : Number(r.last_update_at),
          overdueMilestones: overdueOf.get(r.id)?.length ?? 0,
          override: r.health_override ? { health: r.health_override as Health, reason: r.health_override_reason ?? '' } : null,
        },
        at,
        limits,
      ),
      ownProgress: progress(own.map((k) => ({ targets: k.targets, latest: k.latest }))),
      progress: null,
      children: 0,
    };
  });
  const byId = new Map(items.map((i) => [i.id, i]));
  const childrenOf = group(items.filter((i) => i.parentId !== null && byId.has(i.parentId)), (i) => i.parentId!);
  const rollUp = (item: BoardItem, depth: number): number | null => {
    const kids = childrenOf.get(item.id) ?? [];
    item.children = kids.length;
    return depth > 20 ? item.ownProgress : rolledUpProgress(item.ownProgress, kids.map((k) => rollUp(k, depth + 1)));
  };
  for (const item of items) item.progress = rollUp(item, 0);
  return {
    revision,
    today,
    items,
    byId,
    kpis: kpis.map(({ targets: _t, ...k }) => k),
    overdue: overdueRows.map((m) => ({ id: Number(m.id), innovationId: m.innovation_id, title: m.title, owner: m.owner, dueOn: m.due_on })),
    topics: [...new Set(topics.map((t) => t.topic))].sort(),
  };
}

/** The innovations that pass every filter. */
export function filterItems(items: readonly BoardItem[], f: BoardFilters): BoardItem[] {
  const q = f.q.toLocaleLowerCase('id');
  return items.filter(
    (i) =>
      (f.opd.length === 0 || f.opd.includes(i.opd)) &&
      (f.stage.length === 0 || f.stage.includes(i.stage)) &&
      (f.health.length === 0 || (i.health.health !== null && f.health.includes(i.health.health))) &&
      (f.topic.length === 0 || f.topic.some((t) => i.topics.includes(t))) &&
      (f.origin.length === 0 || f.origin.includes(i.origin)) &&
      (f.kecamatan.length === 0 || i.cityWide || f.kecamatan.some((k) => i.kecamatan.includes(k))) &&
      (q === '' || i.title.toLocaleLowerCase('id').includes(q)),
  );
}

const STAGE_ORDER = new Map(STAGES.map((s, i) => [s, i]));
const HEALTH_ORDER = new Map<Health | null, number>([...HEALTH.map((h, i) => [h, i] as const), [null, HEALTH.length]]);
// One collator, made once: `localeCompare(x, 'id')` builds one per call, which cost ~10 µs a comparison — a sort of
// 2,000 cards with equal keys (all updated the same day) spent most of the board's time there.
const collator = new Intl.Collator('id', { sensitivity: 'base' });

/** Sorted for the table (ties by title, so pages are stable). */
export function sortItems(items: readonly BoardItem[], sort: BoardFilters['sort'], descending: boolean): BoardItem[] {
  const key: Record<Exclude<BoardFilters['sort'], 'title'>, (i: BoardItem) => number> = {
    opd: () => 0,
    stage: (i) => STAGE_ORDER.get(i.stage)!,
    health: (i) => HEALTH_ORDER.get(i.health.health)!,
    progress: (i) => i.progress ?? -1,
    updated: (i) => Math.max(i.updatedAt, i.lastUpdateAt ?? 0),
  };
  const sign = descending ? -1 : 1;
  // Keys computed once per item, not once per comparison.
  const keyed = items.map((item) => ({ item, n: sort === 'title' ? 0 : key[sort](item) }));
  return keyed
    .sort((a, b) => {
      if (sort === 'title') return sign * (collator.compare(a.item.title, b.item.title) || compareId(a.item, b.item));
      if (sort === 'opd' && a.item.opd !== b.item.opd) return (a.item.opd < b.item.opd ? -1 : 1) * sign;
      if (a.n !== b.n) return (a.n < b.n ? -1 : 1) * sign;
      return collator.compare(a.item.title, b.item.title) || compareId(a.item, b.item);
    })
    .map((k) => k.item);
}

const compareId = (a: BoardItem, b: BoardItem) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// The model's innovations in each table order asked for, sorted once per read model (kept per board version).
const tableOrders = new WeakMap<readonly BoardItem[], Map<string, BoardItem[]>>();

/** The filtered innovations in table order: the model sorted once per order, then filtered (filtering keeps order). */
export function tableItems(model: Pick<BoardModel, 'items'>, f: BoardFilters): BoardItem[] {
  let orders = tableOrders.get(model.items);
  if (!orders) tableOrders.set(model.items, (orders = new Map()));
  const key = `${f.sort}|${f.descending}`;
  let sorted = orders.get(key);
  if (!sorted) orders.set(key, (sorted = sortItems(model.items, f.sort, f.descending)));
  return filterItems(sorted, f);
}

// Every innovation, most recently active first, sorted once per read model (the model is kept per board version).
const byRecency = new WeakMap<readonly BoardItem[], Map<string, number>>();

/** The kanban: per stage, its cards (most recently active first) and how many there are in all. */
export function columns(items: readonly BoardItem[], perColumn: number, model?: Pick<BoardModel, 'items'>): { stage: Stage; total: number; cards: BoardItem[] }[] {
  let sorted: readonly BoardItem[];
  if (model) {
    // Filtering keeps the model's order, so placing the filtered items by their rank in the model's order is a sort.
    let rank = byRecency.get(model.items);
    if (!rank) byRecency.set(model.items, (rank = new Map(sortItems(model.items, 'updated', true).map((i, n) => [i.id, n]))));
    const ranks = rank;
    sorted = [...items].sort((a, b) => ranks.get(a.id)! - ranks.get(b.id)!);
  } else sorted = sortItems(items, 'updated', true);
  return [...ACTIVE_STAGES, 'dihentikan' as const].map((stage) => {
    const all = sorted.filter((i) => i.stage === stage);
    return { stage, total: all.length, cards: all.slice(0, perColumn) };
  });
}
