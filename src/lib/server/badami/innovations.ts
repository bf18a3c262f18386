import { can, type Actor } from '../auth/authorization.ts';
import { randomId } from '../auth/secret.ts';
import { publicDataset } from '../catalog/access.ts';
import { now } from '../clock.ts';
import { findOpd } from '../config/deployment.ts';
import { db, transaction } from '../db/store.ts';
import { kecamatanList } from './areas.ts';
import type { InnovationRow } from './migrations.ts';
import { profileSchema, type Profile, type ProfileInput } from './profile.ts';
import { failure, invalid, Refusal, settle, type Outcome, type Problem } from './results.ts';
import { bumpRevision } from './revision.ts';
import type { Health, OriginKind, Stage } from './vocabulary.ts';
import { problemsOf } from './validation.ts';

/**
 * Innovations: register, edit and read the profile. Every write checks `opd.innovation.write` for the owning OPD
 * (for both OPDs when the owner changes), validates every field at once, raises the Badami revision and records the
 * starting stage as the first transition.
 */
export interface Contact {
  name: string;
  role: string;
  email: string;
}

export interface Innovation extends Omit<InnovationRow, 'contacts' | 'sdgs' | 'datasets' | 'stage' | 'health_override' | 'origin_kind'> {
  stage: Stage;
  origin_kind: OriginKind;
  health_override: Health | null;
  contacts: Contact[];
  sdgs: number[];
  datasets: string[];
  kecamatan: string[];
  topics: string[];
}

export interface Origin {
  kind: OriginKind;
  ref?: string | null;
  title?: string | null;
  url?: string | null;
  at?: number | null;
}

export async function getInnovation(id: string): Promise<Innovation | null> {
  if (!/^[a-z0-9]{1,64}$/.test(id)) return null;
  const row = await db().selectFrom('badami_innovation').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [areas, topics] = await Promise.all([
    db().selectFrom('badami_innovation_area').select('code').where('innovation_id', '=', id).orderBy('code').execute(),
    db().selectFrom('badami_innovation_topic').select('topic').where('innovation_id', '=', id).orderBy('topic').execute(),
  ]);
  return toInnovation(row, areas.map((a) => a.code), topics.map((t) => t.topic));
}

/** Whether `actor` may change innovation `id` (its OPD's officials and admins): ok, not_found or forbidden. */
export async function writableInnovation(actor: Actor, id: string): Promise<Outcome> {
  const innovation = await getInnovation(id);
  if (!innovation) return failure('not_found');
  if (!can(actor, 'opd.innovation.write', { opd: innovation.opd })) return failure('forbidden');
  return { ok: true };
}

export function toInnovation(row: InnovationRow, kecamatan: string[], topics: string[]): Innovation {
  return {
    ...row,
    budget: row.budget === null ? null : Number(row.budget),
    stage_since: Number(row.stage_since),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    last_update_at: row.last_update_at === null ? null : Number(row.last_update_at),
    origin_at: row.origin_at === null ? null : Number(row.origin_at),
    health_override_at: row.health_override_at === null ? null : Number(row.health_override_at),
    city_wide: Boolean(row.city_wide),
    demo: Boolean(row.demo),
    stage: row.stage as Stage,
    origin_kind: row.origin_kind as OriginKind,
    health_override: row.health_override as Health | null,
    contacts: JSON.parse(row.contacts) as Contact[],
    sdgs: JSON.parse(row.sdgs) as number[],
    datasets: JSON.parse(row.datasets) as string[],
    kecamatan,
    topics,
  };
}

/** The profile as a form or an import gives it back: what `updateInnovation` takes. */
export function profileOf(innovation: Innovation): ProfileInput {
  return {
    title: innovation.title,
    summary: innovation.summary,
    opd: innovation.opd,
    initiator: innovation.initiator,
    innovation_type: innovation.innovation_type,
    form: innovation.form,
    affair: innovation.affair,
    design: innovation.design,
    goals: innovation.goals,
    benefits: innovation.benefits,
    results: innovation.results,
    budget: innovation.budget,
    start_date: innovation.start_date,
    contacts: innovation.contacts,
    city_wide: innovation.city_wide,
    kecamatan: innovation.kecamatan,
    origin_kind: innovation.origin_kind,
    origin_title: innovation.origin_title ?? '',
    origin_url: innovation.origin_url ?? '',
    topics: innovation.topics,
    sdgs: innovation.sdgs,
    datasets: innovation.datasets,
    parent_id: innovation.parent_id,
  };
}

/** Validates a profile completely: the fields, then what they refer to (OPD, kecamatan, datasets, parent). */
export async function checkProfile(input: ProfileInput, self: string | null): Promise<{ ok: true; profile: Profile } | { ok: false; problems: Problem[] }> {
  const parsed = profileSchema.safeParse(input);
  const problems = parsed.success ? [] : problemsOf(parsed.error.issues);
  const has = (field: string) => problems.some((p) => p.field === field || p.field.startsWith(`${field}.`));
  if (!has('opd') && !findOpd(String(input.opd))) problems.push({ field: 'opd', code: 'unknown_opd', params: { found: String(input.opd) } });
  if (!parsed.success) return { ok: false, problems };
  const profile = parsed.data;
  if (profile.city_wide && profile.kecamatan.length > 0) problems.push({ field: 'kecamatan', code: 'city_wide_and_areas' });
  if (!profile.city_wide && profile.kecamatan.length === 0) problems.push({ field: 'kecamatan', code: 'areas_required' });
  const areas = await kecamatanList();
  if (areas.length > 0) {
    const known = new Set(areas.map((a) => a.code));
    const unknown = profile.kecamatan.filter((code) => !known.has(code));
    if (unknown.length > 0) problems.push({ field: 'kecamatan', code: 'unknown_area', params: { found: unknown.join(', ') } });
  }
  const missing: string[] = [];
  for (const id of profile.datasets) if (!(await publicDataset(id))) missing.push(id);
  if (missing.length > 0) problems.push({ field: 'datasets', code: 'unknown_dataset', params: { found: missing.join(', ') } });
  if (profile.parent_id !== null) {
    const cycle = self !== null && (profile.parent_id === self || (await ancestors(profile.parent_id)).includes(self));
    const exists = await db().selectFrom('badami_innovation').select('id').where('id', '=', profile.parent_id).executeTakeFirst();
    if (!exists) problems.push({ field: 'parent_id', code: 'not_found' });
    else if (cycle) problems.push({ field: 'parent_id', code: 'parent_cycle' });
  }
  profile.topics = [...new Set(profile.topics)].sort();
  profile.sdgs = [...new Set(profile.sdgs)].sort((a, b) => a - b);
  profile.kecamatan = [...new Set(profile.kecamatan)].sort();
  profile.datasets = [...new Set(profile.datasets)];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, profile };
}

async function ancestors(id: string): Promise<string[]> {
  const found: string[] = [];
  let current: string | null = id;
  while (current && found.length < 50) {
    const row: { parent_id: string | null } | undefined = await db().selectFrom('badami_innovation').select('parent_id').where('id', '=', current).executeTakeFirst();
    current = row?.parent_id ?? null;
    if (current) found.push(current);
  }
  return found;
}

/**
 * Registers an innovation at `stage` (default Ide), recording who started it there and why. `authorisedBy` names a
 * rule the calling domain function has already checked for this very creation (promoting a datathon winner:
 * `datathon.promote`, promote.ts); only then is the OPD's own `opd.innovation.write` not asked.
 */
export async function createInnovation(
  actor: Actor,
  input: ProfileInput,
  options: { stage?: Stage; note?: string; origin?: Origin; demo?: boolean; id?: string; authorisedBy?: 'datathon.promote' } = {},
): Promise<Outcome<{ id: string }>> {
  const mayWrite = (opd: string) => options.authorisedBy !== undefined || can(actor, 'opd.innovation.write', { opd });
  if (!mayWrite(String(input.opd)) && findOpd(String(input.opd))) return failure('forbidden');
  const checked = await checkProfile(input, null);
  if (!checked.ok) return invalid(checked.problems);
  const { profile } = checked;
  if (!mayWrite(profile.opd)) return failure('forbidden');
  const origin: Origin = options.origin ?? { kind: profile.origin_kind as OriginKind, title: profile.origin_title || null, url: profile.origin_url || null };
  return settle(() =>
    transaction(async (trx) => {
      if (origin.ref) {
        const taken = await trx.selectFrom('badami_innovation').select('id').where('origin_kind', '=', origin.kind).where('origin_ref', '=', origin.ref).executeTakeFirst();
        if (taken) throw new Refusal(failure('conflict', { params: { id: taken.id } }));
      }
      const at = now();
      const id = options.id ?? randomId(6);
      const stage = options.stage ?? 'ide';
      await trx
        .insertInto('badami_innovation')
        .values({
          ...columnsOf(profile),
          id,
          origin_kind: origin.kind,
          origin_ref: origin.ref ?? null,
          origin_title: origin.title ?? null,
          origin_url: origin.url ?? null,
          origin_at: origin.at ?? null,
          stage,
          stage_since: at,
          stopped_reason: null,
          health_override: null,
          health_override_reason: null,
          health_override_by: null,
          health_override_at: null,
          last_update_at: null,
          demo: options.demo ?? false,
          created_by: actor.id,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await writeLists(trx, id, profile);
      await trx
        .insertInto('badami_transition')
        .values({ innovation_id: id, from_stage: null, to_stage: stage, kind: 'start', note: options.note ?? '', reason: null, actor_id: actor.id, at })
        .execute();
      await bumpRevision(trx);
      return { ok: true as const, id };
    }),
  );
}

/** Saves an edited profile (its stage, health and history are kept). */
export async function updateInnovation(actor: Actor, id: string, input: ProfileInput): Promise<Outcome<{ id: string }>> {
  const existing = await getInnovation(id);
  if (!existing) return failure('not_found');
  if (!can(actor, 'opd.innovation.write', { opd: existing.opd })) return failure('forbidden');
  const checked = await checkProfile(input, id);
  if (!checked.ok) return invalid(checked.problems);
  const { profile } = checked;
  if (!can(actor, 'opd.innovation.write', { opd: profile.opd })) return failure('forbidden');
  await transaction(async (trx) => {
    await trx
      .updateTable('badami_innovation')
      .set({
        ...columnsOf(profile),
        // A datathon origin is kept as it was made; an OPD or citizen origin is part of the profile.
        ...(existing.origin_kind === 'datathon' ? {} : { origin_kind: profile.origin_kind, origin_title: profile.origin_title || null, origin_url: profile.origin_url || null }),
        updated_at: now(),
      })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('badami_innovation_area').where('innovation_id', '=', id).execute();
    await trx.deleteFrom('badami_innovation_topic').where('innovation_id', '=', id).execute();
    await writeLists(trx, id, profile);
    await bumpRevision(trx);
  });
  return { ok: true, id };
}

function columnsOf(profile: Profile) {
  return {
    title: profile.title,
    summary: profile.summary,
    opd: profile.opd,
    initiator: profile.initiator,
    innovation_type: profile.innovation_type,
    form: profile.form,
    affair: profile.affair,
    design: profile.design,
    goals: profile.goals,
    benefits: profile.benefits,
    results: profile.results,
    budget: profile.budget,
    start_date: profile.start_date,
    contacts: JSON.stringify(profile.contacts),
    city_wide: profile.city_wide,
    sdgs: JSON.stringify(profile.sdgs),
    datasets: JSON.stringify(profile.datasets),
    parent_id: profile.parent_id,
  };
}

async function writeLists(trx: Parameters<Parameters<typeof transaction>[0]>[0], id: string, profile: Profile): Promise<void> {
  if (profile.kecamatan.length > 0) await trx.insertInto('badami_innovation_area').values(profile.kecamatan.map((code) => ({ innovation_id: id, code }))).execute();
  if (profile.topics.length > 0) await trx.insertInto('badami_innovation_topic').values(profile.topics.map((topic) => ({ innovation_id: id, topic }))).execute();
}

/** The innovations replicating `id` (its children), for the roll-up. */
export async function childrenOf(id: string): Promise<{ id: string; title: string; opd: string; stage: Stage }[]> {
  const rows = await db().selectFrom('badami_innovation').select(['id', 'title', 'opd', 'stage']).where('parent_id', '=', id).orderBy('title').execute();
  return rows.map((r) => ({ ...r, stage: r.stage as Stage }));
}
