import { createUser, getUser, type User } from '../../src/lib/server/auth/user.ts';
import { grantRole } from '../../src/lib/server/auth/roles.ts';
import { db, transaction } from '../../src/lib/server/db/store.ts';
import type { EventInput } from '../../src/lib/server/datathon/events.ts';
import { saveChallenge } from '../../src/lib/server/datathon/challenges.ts';
import { PHASES, type Phase } from '../../src/lib/server/datathon/phases.ts';
import { saveSubmission, setSubmitted } from '../../src/lib/server/datathon/submissions.ts';
import { createTeam } from '../../src/lib/server/datathon/teams.ts';
import { publishTestVersion } from './lake.ts';

/** Datathon fixtures for domain tests: accounts, open datasets in a lake, and an event schedule around a time. */

const DAY = 86_400_000;

/** Phase starts one day apart, placed so `phase` is current at `at`. */
export function scheduleFor(phase: Phase | 'upcoming', at: number): Pick<EventInput, 'registration_at' | 'submission_at' | 'voting_at' | 'judging_at' | 'results_at'> {
  const index = phase === 'upcoming' ? -1 : PHASES.indexOf(phase);
  const start = at - (index + 0.5) * DAY;
  return {
    registration_at: start,
    submission_at: start + DAY,
    voting_at: start + 2 * DAY,
    judging_at: start + 3 * DAY,
    results_at: start + 4 * DAY,
  };
}

export function eventInput(phase: Phase | 'upcoming', at: number, overrides: Partial<EventInput> = {}): EventInput {
  return {
    title: 'Datathon Uji',
    description: 'Acara uji.',
    rules: 'Aturan.',
    prizes: 'Hadiah.',
    cover_url: null,
    team_size_max: 3,
    vote_limit: 3,
    ranking_method: 'weighted',
    ...scheduleFor(phase, at),
    ...overrides,
  };
}

let counter = 0;
export async function makeUser(name = 'Warga', grant?: { role: 'admin' | 'official' | 'judge'; scope?: string }): Promise<User> {
  counter += 1;
  const user = await createUser({ email: `${name.toLowerCase().replace(/\W/g, '')}-${counter}-${Date.now()}@uji.test`, name, passwordHash: 'not-a-hash' });
  if (grant) await grantRole(user.id, { role: grant.role, scope: grant.scope ?? '' }, null);
  return (await getUser(user.id))!;
}

/** Accounts in bulk (one transaction): for the concurrency tests. */
export async function makeUsers(n: number, prefix: string): Promise<User[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}-${Date.now().toString(36)}`);
  await transaction((trx) =>
    trx
      .insertInto('auth_user')
      .values(ids.map((id) => ({ id, email: `${id}@uji.test`, name: id, password_hash: 'x', email_verified: true, created_at: Date.now() })))
      .execute(),
  );
  return ids.map((id) => ({ id, email: `${id}@uji.test`, name: id, emailVerified: true, createdAt: 0, deleted: false, roles: [] }));
}

/** Two small open datasets and one restricted one, published into DATA_DIR's lake. */
export async function publishDatasets(dataDir: string): Promise<void> {
  const fields = [
    { name: 'kecamatan', type: 'string' as const, title: 'Kecamatan', description: 'Nama kecamatan' },
    { name: 'jumlah', type: 'integer' as const, title: 'Jumlah', unit: 'orang' },
  ];
  const rows = [
    { kecamatan: 'Coblong', jumlah: 10 },
    { kecamatan: 'Sukajadi', jumlah: 7 },
  ];
  await publishTestVersion(dataDir, { id: 'penduduk-uji', fields, rows });
  await publishTestVersion(dataDir, { id: 'sekolah-uji', fields, rows, metadata: { title: 'Sekolah Uji' } });
  await publishTestVersion(dataDir, { id: 'rahasia-uji', fields, rows, metadata: { classification: 'terbatas' } });
}

export async function voteCount(submissionId: string): Promise<number> {
  const rows = await db().selectFrom('datathon_vote').select('user_id').where('submission_id', '=', submissionId).execute();
  return rows.length;
}

/** A team of `leader` with one idea submitted to a new challenge of `eventId` (in its submission phase); its id. */
export async function seedSubmittedIdea(organiser: User, leader: User, eventId: string, title: string, names: { team?: string; challenge?: string } = {}): Promise<string> {
  const challenge = await saveChallenge(organiser, eventId, { title: names.challenge ?? `Tantangan ${title}`, problem: 'Masalah.', opd: 'diskominfo', datasets: [] });
  if (!challenge.ok) throw new Error(challenge.code);
  const team = await createTeam(leader, eventId, names.team ?? `Tim ${title}`);
  if (!team.ok) throw new Error(team.code);
  const saved = await saveSubmission(leader, eventId, { challenge_id: challenge.id, title, summary: `Ringkasan ${title}.`, problem: 'Masalah.', solution: 'Solusi.', repo_url: '', demo_url: '', video_url: '', datasets: [] });
  if (!saved.ok) throw new Error(saved.code);
  await setSubmitted(leader, saved.id, true);
  return saved.id;
}
