import path from 'node:path';
import type { ProfileInput } from '../../src/lib/server/badami/profile.ts';
import { runPipeline } from '../../src/lib/server/pipelines/runner.ts';
import { REPO_ROOT } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { seedUser } from './auth-helpers.ts';

/**
 * A small Badami board for the views tests, seeded through the domain functions, on the real kecamatan boundaries
 * (the repository's batas-kecamatan pipeline). What each view and dashboard must show follows from this list:
 *
 * | title (id in lower case) | OPD    | stage      | kecamatan             | topic        | origin   | health / KPI                            |
 * |-----|--------|------------|-----------------------|--------------|----------|-----------------------------------------|
 * | vA  | dinkes | uji_coba   | Coblong               | kesehatan    | opd      | 1 overdue milestone → at risk; KPI 100% |
 * | vB  | dinkes | ide        | Coblong, Andir        | stunting     | citizen  | on track; KPI (lower) 50%               |
 * | vC  | dishub | penerapan  | city-wide             | transportasi | citizen  | on track; KPI not measured              |
 * | vD  | dlh    | dihentikan | Andir                 | sampah       | opd      | stopped                                 |
 * | vE  | dishub | ide → inisiatif (moved) | Sukasari | transportasi | opd      | on track                                |
 */
export const COBLONG = '32.73.02';
export const ANDIR = '32.73.05';
export const SUKASARI = '32.73.01';
/** An official of dishub who can log in (to move vC and see the views change). */
export const OFFICIAL = { email: 'dishub@views.test', name: 'Pejabat Dishub', password: 'sandi pejabat dishub panjang', role: 'official', scope: 'dishub' };

/** A valid profile; `overrides` set what a test cares about. */
export function profile(overrides: Partial<ProfileInput>): ProfileInput {
  return {
    title: 'Inovasi',
    summary: 'Inovasi untuk menguji tampilan papan Badami.',
    opd: 'dinkes',
    initiator: 'opd',
    innovation_type: 'digital',
    form: 'pelayanan_publik',
    affair: 'kesehatan',
    design: '',
    goals: '',
    benefits: '',
    results: '',
    budget: null,
    start_date: null,
    contacts: [],
    city_wide: false,
    kecamatan: [],
    origin_kind: 'opd',
    origin_title: '',
    origin_url: '',
    topics: [],
    sdgs: [],
    datasets: [],
    parent_id: null,
    ...overrides,
  };
}

export async function startViewsServer(root: string): Promise<TestServer> {
  const dataDir = path.join(root, 'data');
  Object.assign(process.env, { KOTA_ROOT: REPO_ROOT, DATA_DIR: dataDir, PIPELINES_DIR: 'pipelines', KOTA_CONFIG: 'kota.config.yaml' });
  const { openStore, closeStores } = await import('../../src/lib/server/db/store.ts');
  const { createUser } = await import('../../src/lib/server/auth/user.ts');
  const { createInnovation } = await import('../../src/lib/server/badami/innovations.ts');
  const { saveMilestone } = await import('../../src/lib/server/badami/milestones.ts');
  const { saveKpi, addMeasurement } = await import('../../src/lib/server/badami/kpis.ts');
  const { moveStage } = await import('../../src/lib/server/badami/transitions.ts');
  const { postUpdate } = await import('../../src/lib/server/badami/updates.ts');
  await openStore();
  const user = await createUser({ email: 'admin@views.test', name: 'Admin Papan', passwordHash: '!', emailVerified: true });
  const admin = { id: user.id, roles: [{ role: 'admin' as const, scope: '' }] };
  const ok = <T extends { ok: boolean }>(what: string, outcome: T): T & { ok: true } => {
    if (!outcome.ok) throw new Error(`${what}: ${JSON.stringify(outcome)}`);
    return outcome as T & { ok: true };
  };
  const make = async (id: string, stage: 'ide' | 'uji_coba' | 'penerapan' | 'dihentikan', p: Partial<ProfileInput>) =>
    ok(id, await createInnovation(admin, profile({ title: `Inovasi ${id}`, ...p }), { stage, id: id.toLowerCase() }));
  await make('vA', 'uji_coba', { opd: 'dinkes', kecamatan: [COBLONG], topics: ['kesehatan'] });
  await make('vB', 'ide', { opd: 'dinkes', kecamatan: [COBLONG, ANDIR], topics: ['stunting'], origin_kind: 'citizen' });
  await make('vC', 'penerapan', { opd: 'dishub', city_wide: true, topics: ['transportasi'], origin_kind: 'citizen', affair: 'perhubungan' });
  await make('vD', 'dihentikan', { opd: 'dlh', kecamatan: [ANDIR], topics: ['sampah'], affair: 'lingkungan_hidup' });
  await make('vE', 'ide', { opd: 'dishub', kecamatan: [SUKASARI], topics: ['transportasi'], affair: 'perhubungan' });
  ok('move vE', await moveStage(admin, 've', { to: 'inisiatif', note: 'Surat keputusan terbit.' }));
  ok('milestone vA', await saveMilestone(admin, 'va', { title: 'Pelatihan kader', owner: 'Seksi Gizi', due_on: '2020-01-31', completed_on: null, note: '' }));
  ok('milestone vB', await saveMilestone(admin, 'vb', { title: 'Peluncuran', owner: 'Seksi Gizi', due_on: '2099-01-31', completed_on: null, note: '' }));
  const kpiA = ok('kpi vA', await saveKpi(admin, 'va', { name: 'Balita tercatat', unit: '%', baseline: 0, target: 100, target_on: '2030-12-31', direction: 'higher' }));
  ok('measure vA (old)', await addMeasurement(admin, 'va', kpiA.id, { measured_on: '2026-01-01', value: 20, note: '' }));
  ok('measure vA', await addMeasurement(admin, 'va', kpiA.id, { measured_on: '2026-06-01', value: 100, note: '' }));
  const kpiB = ok('kpi vB', await saveKpi(admin, 'vb', { name: 'Waktu tunggu', unit: 'menit', baseline: 100, target: 50, target_on: '2030-12-31', direction: 'lower' }));
  ok('measure vB', await addMeasurement(admin, 'vb', kpiB.id, { measured_on: '2026-06-01', value: 75, note: '' }));
  ok('kpi vC', await saveKpi(admin, 'vc', { name: 'Penumpang', unit: 'orang', baseline: 10, target: 20, target_on: '2030-12-31', direction: 'higher' }));
  ok('update vA', await postUpdate(admin, 'va', { title: 'Kader dilatih', body: 'Sepuluh kader **terlatih**.' }));
  ok('update vE', await postUpdate(admin, 've', { title: 'Rute baru', body: 'Rute uji coba dibuka.' }));
  await closeStores();
  seedUser(dataDir, OFFICIAL);
  // Published after seeding: with no boundaries yet, the profile checks kecamatan codes by their shape only.
  const run = await runPipeline('batas-kecamatan');
  if (run.exitCode !== 0) throw new Error('batas-kecamatan pipeline failed');
  return startTestServer({ dataDir, env: { KOTA_ROOT: REPO_ROOT, PIPELINES_DIR: path.join(REPO_ROOT, 'pipelines') } });
}
