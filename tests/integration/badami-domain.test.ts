import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { grantRole } from '../../src/lib/server/auth/roles.ts';
import { createUser, getUser, type User } from '../../src/lib/server/auth/user.ts';
import { boardModel, filterItems } from '../../src/lib/server/badami/board.ts';
import { parseBoardFilters } from '../../src/lib/server/badami/board-filters.ts';
import { setHealthOverride } from '../../src/lib/server/badami/health-override.ts';
import { createInnovation, getInnovation, updateInnovation } from '../../src/lib/server/badami/innovations.ts';
import { createInnovationFromOrigin } from '../../src/lib/server/badami/origin.ts';
import { addMeasurement, saveKpi } from '../../src/lib/server/badami/kpis.ts';
import { completeMilestone, saveMilestone } from '../../src/lib/server/badami/milestones.ts';
import type { ProfileInput } from '../../src/lib/server/badami/profile.ts';
import { currentRevision } from '../../src/lib/server/badami/revision.ts';
import { listTransitions, moveStage, stageDates } from '../../src/lib/server/badami/transitions.ts';
import { listUpdates, postUpdate } from '../../src/lib/server/badami/updates.ts';
import { setClock } from '../../src/lib/server/clock.ts';
import { db } from '../../src/lib/server/db/store.ts';
import { resetAll } from '../../src/lib/server/http/rate-limit.ts';
import { BACKENDS, useBackend } from '../helpers/store.ts';

/**
 * Badami's domain functions on a real store, SQLite always and PostgreSQL where TEST_DATABASE_URL is set: the
 * profile's validation, stage moves and their rules, who may write (an official of another OPD changes nothing),
 * health from milestones and updates with a controlled clock, KPIs and the roll-up of replications.
 */
const DAY = 86_400_000;
const T0 = Date.parse('2027-03-01T02:00:00Z'); // 09:00 WIB
let clock = T0;

export function profile(overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    title: 'Posyandu Digital',
    summary: 'Pencatatan tumbuh kembang balita di posyandu dengan aplikasi.',
    opd: 'dinkes',
    initiator: 'opd',
    innovation_type: 'digital',
    form: 'pelayanan_publik',
    affair: 'kesehatan',
    design: 'Rancang bangun **singkat**.',
    goals: 'Menurunkan stunting.',
    benefits: 'Data balita tepat waktu.',
    results: '',
    budget: 150_000_000,
    start_date: '2026-07-01',
    contacts: [{ name: 'Siti Rahma', role: 'Kepala Seksi', email: 'siti@example.go.id' }],
    city_wide: false,
    kecamatan: ['32.73.02', '32.73.10'],
    origin_kind: 'opd',
    origin_title: '',
    origin_url: '',
    topics: ['Kesehatan', 'stunting'],
    sdgs: [3, 2],
    datasets: [],
    parent_id: null,
    ...overrides,
  };
}

describe.each(BACKENDS)('badami on $name', ({ name, skip }) => {
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  const people: Record<string, User> = {};

  async function person(key: string, role?: { role: 'official' | 'admin'; scope: string }) {
    const user = await createUser({ email: `${key}@badami.test`, name: key, passwordHash: 'x', emailVerified: true });
    if (role) await grantRole(user.id, role, null);
    people[key] = (await getUser(user.id))!;
  }

  beforeAll(async () => {
    if (skip) return;
    backend = await useBackend(name);
    setClock(() => clock);
    await person('dinkes', { role: 'official', scope: 'dinkes' });
    await person('dishub', { role: 'official', scope: 'dishub' });
    await person('admin', { role: 'admin', scope: '' });
    await person('warga');
  });
  afterAll(async () => {
    setClock(undefined);
    await backend?.cleanup();
  });

  test.skipIf(skip)('a profile is validated field by field, every problem at once', async () => {
    const refused = await createInnovation(people.dinkes!, profile({ title: ' ', summary: 'pendek', affair: 'sihir', start_date: '2026-02-30', budget: -5, contacts: [{ name: 'A', role: '', email: 'bukan-email' }], kecamatan: [] }));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.code).toBe('invalid');
    expect(refused.problems).toEqual(
      expect.arrayContaining([
        { field: 'title', code: 'required', params: { min: 1 } },
        { field: 'summary', code: 'too_short', params: { min: 10 } },
        { field: 'affair', code: 'choose_one' },
        { field: 'start_date', code: 'date' },
        { field: 'budget', code: 'not_negative', params: { min: 0 } },
        { field: 'contacts.0.name', code: 'too_short', params: { min: 2 } },
        { field: 'contacts.0.email', code: 'email' },
      ]),
    );
    const noArea = await createInnovation(people.dinkes!, profile({ kecamatan: [] }));
    expect(noArea).toMatchObject({ ok: false, problems: [{ field: 'kecamatan', code: 'areas_required' }] });
    expect(await db().selectFrom('badami_innovation').select('id').execute()).toEqual([]);
  });

  test.skipIf(skip)('officials write their own OPD only; everyone else changes nothing', async () => {
    expect(await createInnovation(people.dishub!, profile())).toEqual({ ok: false, code: 'forbidden' });
    expect(await createInnovation(people.warga!, profile())).toEqual({ ok: false, code: 'forbidden' });
    const made = await createInnovation(people.dinkes!, profile());
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    const before = await currentRevision();
    expect(await moveStage(people.dishub!, made.id, { to: 'inisiatif', note: 'bukan OPD saya' })).toEqual({ ok: false, code: 'forbidden' });
    expect(await updateInnovation(people.dishub!, made.id, profile({ title: 'Diambil alih' }))).toEqual({ ok: false, code: 'forbidden' });
    // moving an innovation to another OPD needs the right to write both
    expect(await updateInnovation(people.dinkes!, made.id, profile({ opd: 'dishub' }))).toEqual({ ok: false, code: 'forbidden' });
    expect(await postUpdate(people.warga!, made.id, { title: 'x', body: 'y' })).toEqual({ ok: false, code: 'forbidden' });
    const stored = (await getInnovation(made.id))!;
    expect(stored).toMatchObject({ title: 'Posyandu Digital', opd: 'dinkes', stage: 'ide', topics: ['kesehatan', 'stunting'], sdgs: [2, 3], kecamatan: ['32.73.02', '32.73.10'] });
    expect(await currentRevision()).toBe(before);
    // an admin may move it anywhere
    expect(await updateInnovation(people.admin!, made.id, profile({ opd: 'dishub' }))).toEqual({ ok: true, id: made.id });
    expect((await getInnovation(made.id))!.opd).toBe('dishub');
    expect(await currentRevision()).toBe(before + 1);
  });

  test.skipIf(skip)('a datathon submission becomes one innovation that keeps its origin; promoting it twice is a conflict', async () => {
    const origin = { kind: 'datathon' as const, submissionId: 'sub123', title: 'Peta Jentik Warga', summary: 'Aplikasi pelaporan jentik oleh warga, pemenang datathon.', url: 'https://example.go.id/datathon/sub123', submittedAt: T0 - 30 * DAY };
    expect(await createInnovationFromOrigin(people.warga!, origin, { opd: 'dinkes', affair: 'kesehatan' })).toEqual({ ok: false, code: 'forbidden' });
    const made = await createInnovationFromOrigin(people.dinkes!, origin, { opd: 'dinkes', affair: 'kesehatan' });
    if (!made.ok) throw new Error(JSON.stringify(made));
    expect(await getInnovation(made.id)).toMatchObject({ title: 'Peta Jentik Warga', origin_kind: 'datathon', origin_ref: 'sub123', origin_at: T0 - 30 * DAY, origin_url: origin.url, stage: 'ide' });
    expect(await createInnovationFromOrigin(people.dinkes!, origin, { opd: 'dinkes', affair: 'kesehatan' })).toEqual({ ok: false, code: 'conflict', params: { id: made.id } });
  });

  test.skipIf(skip)('stage moves: forward with a note; back, skip and stop need a reason; stale moves conflict', async () => {
    const made = await createInnovation(people.dinkes!, profile({ title: 'Ambulans Gawat Darurat' }));
    if (!made.ok) throw new Error('not made');
    clock = T0 + DAY;
    expect(await moveStage(people.dinkes!, made.id, { to: 'inisiatif', note: '' })).toMatchObject({ ok: false, problems: [{ field: 'note', code: 'required' }] });
    expect(await moveStage(people.dinkes!, made.id, { to: 'inisiatif', note: 'Disetujui kepala dinas' })).toMatchObject({ ok: true, stage: 'inisiatif' });
    clock = T0 + 2 * DAY;
    expect(await moveStage(people.dinkes!, made.id, { to: 'penerapan', note: 'Langsung diterapkan' })).toMatchObject({ ok: false, problems: [{ field: 'reason', code: 'reason_required' }] });
    expect(await moveStage(people.dinkes!, made.id, { to: 'penerapan', note: 'Langsung diterapkan', reason: 'Uji coba dilakukan provinsi' })).toMatchObject({ ok: true });
    expect(await moveStage(people.dinkes!, made.id, { to: 'penerapan', note: 'lagi' })).toEqual({ ok: false, code: 'same_stage' });
    // someone who still sees it at Inisiatif gets a conflict, not a second move
    expect(await moveStage(people.dinkes!, made.id, { from: 'inisiatif', to: 'uji_coba', note: 'x', reason: 'y' })).toEqual({ ok: false, code: 'conflict', params: { stage: 'penerapan' } });
    clock = T0 + 3 * DAY;
    expect(await moveStage(people.dinkes!, made.id, { to: 'dihentikan', note: 'Dihentikan', reason: '' })).toMatchObject({ ok: false, problems: [{ field: 'reason', code: 'reason_required' }] });
    expect(await moveStage(people.dinkes!, made.id, { to: 'dihentikan', note: 'Dihentikan', reason: 'Anggaran dialihkan' })).toMatchObject({ ok: true });
    const stored = (await getInnovation(made.id))!;
    expect(stored).toMatchObject({ stage: 'dihentikan', stopped_reason: 'Anggaran dialihkan', stage_since: T0 + 3 * DAY });
    const transitions = await listTransitions(made.id);
    expect(transitions.map((tr) => [tr.from_stage, tr.to_stage, tr.kind, tr.reason])).toEqual([
      [null, 'ide', 'start', null],
      ['ide', 'inisiatif', 'forward', null],
      ['inisiatif', 'penerapan', 'skip', 'Uji coba dilakukan provinsi'],
      ['penerapan', 'dihentikan', 'stop', 'Anggaran dialihkan'],
    ]);
    expect(transitions.every((tr) => tr.actor_id === people.dinkes!.id)).toBe(true);
    expect(stageDates(transitions)).toEqual({ ide: T0, inisiatif: T0 + DAY, penerapan: T0 + 2 * DAY, dihentikan: T0 + 3 * DAY });
    clock = T0;
  });

  test.skipIf(skip)('health follows milestones and updates as the clock moves; the owner may override it with a reason', async () => {
    await resetAll();
    const made = await createInnovation(people.dinkes!, profile({ title: 'Sehat Bersama' }));
    if (!made.ok) throw new Error('not made');
    const health = async () => (await boardModel()).byId.get(made.id)!.health;
    expect((await health()).health).toBe('on_track');
    const milestone = await saveMilestone(people.dinkes!, made.id, { title: 'Pelatihan kader', owner: 'Seksi Gizi', due_on: '2027-03-10', completed_on: null, note: '' });
    if (!milestone.ok) throw new Error('no milestone');
    clock = T0 + 10 * DAY; // 11 March: the milestone due on the 10th is overdue
    expect(await health()).toMatchObject({ health: 'at_risk', overdueMilestones: 1, daysWithoutUpdate: 10 });
    await completeMilestone(people.dinkes!, made.id, milestone.id, '2027-03-11');
    expect((await health()).health).toBe('on_track');
    clock = T0 + 40 * DAY;
    expect(await health()).toMatchObject({ health: 'at_risk', daysWithoutUpdate: 40 });
    expect((await postUpdate(people.dinkes!, made.id, { title: 'Kader terlatih', body: '120 kader **selesai** pelatihan.' })).ok).toBe(true);
    expect(await health()).toMatchObject({ health: 'on_track', daysWithoutUpdate: 0 });
    clock = T0 + 140 * DAY;
    expect((await health()).health).toBe('stalled');
    expect(await setHealthOverride(people.dinkes!, made.id, { health: 'on_track', reason: '' })).toMatchObject({ ok: false, problems: [{ field: 'reason', code: 'required' }] });
    expect(await setHealthOverride(people.dishub!, made.id, { health: 'on_track', reason: 'x' })).toEqual({ ok: false, code: 'forbidden' });
    expect(await setHealthOverride(people.dinkes!, made.id, { health: 'on_track', reason: 'Menunggu musim tanam' })).toEqual({ ok: true });
    expect(await health()).toMatchObject({ health: 'on_track', derived: 'stalled', overridden: true, overrideReason: 'Menunggu musim tanam' });
    const [latest] = await listUpdates([made.id]);
    expect(latest).toMatchObject({ title: 'Kader terlatih', body_html: '<p>120 kader <strong>selesai</strong> pelatihan.</p>\n' });
    const filtered = filterItems((await boardModel()).items, parseBoardFilters(new URLSearchParams('health=on_track&opd=dinkes')).filters);
    expect(filtered.map((i) => i.id)).toContain(made.id);
    clock = T0;
  });

  test.skipIf(skip)('KPIs: targets must lie in their direction; attainment on the board; a parent rolls up its replications', async () => {
    const parent = await createInnovation(people.dinkes!, profile({ title: 'Induk', city_wide: true, kecamatan: [] }));
    if (!parent.ok) throw new Error('no parent');
    const child = await createInnovation(people.dinkes!, profile({ title: 'Replikasi', parent_id: parent.id }));
    if (!child.ok) throw new Error('no child');
    expect(await updateInnovation(people.dinkes!, parent.id, profile({ title: 'Induk', city_wide: true, kecamatan: [], parent_id: child.id }))).toMatchObject({
      ok: false,
      problems: [{ field: 'parent_id', code: 'parent_cycle' }],
    });
    expect(await saveKpi(people.dinkes!, parent.id, { name: 'Aduan', unit: 'aduan', baseline: 100, target: 150, target_on: '2027-12-31', direction: 'lower' })).toMatchObject({
      ok: false,
      problems: [{ field: 'target', code: 'target_above_baseline' }],
    });
    const lower = await saveKpi(people.dinkes!, parent.id, { name: 'Aduan', unit: 'aduan', baseline: 100, target: 40, target_on: '2027-12-31', direction: 'lower' });
    const higher = await saveKpi(people.dinkes!, child.id, { name: 'Cakupan', unit: '%', baseline: 20, target: 80, target_on: '2027-12-31', direction: 'higher' });
    if (!lower.ok || !higher.ok) throw new Error('no KPI');
    await addMeasurement(people.dinkes!, parent.id, lower.id, { measured_on: '2027-01-31', value: 90, note: '' });
    await addMeasurement(people.dinkes!, parent.id, lower.id, { measured_on: '2027-02-28', value: 70, note: 'Februari' });
    await addMeasurement(people.dinkes!, child.id, higher.id, { measured_on: '2027-02-28', value: 68, note: '' });
    expect(await addMeasurement(people.dishub!, child.id, higher.id, { measured_on: '2027-02-28', value: 99, note: '' })).toEqual({ ok: false, code: 'forbidden' });
    const model = await boardModel();
    expect(model.kpis.find((k) => k.id === lower.id)).toMatchObject({ latest: 70, latestOn: '2027-02-28', attainment: 0.5 });
    expect(model.kpis.find((k) => k.id === higher.id)).toMatchObject({ latest: 68, attainment: 0.8 });
    expect(model.byId.get(child.id)!.progress).toBeCloseTo(0.8);
    expect(model.byId.get(parent.id)).toMatchObject({ ownProgress: 0.5, children: 1 });
    expect(model.byId.get(parent.id)!.progress).toBeCloseTo(0.65);
  });
});
