import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { User } from '../../src/lib/server/auth/user.ts';
import { setClock } from '../../src/lib/server/clock.ts';
import { sendDigests } from '../../src/lib/server/community/digest.ts';
import { setFollow } from '../../src/lib/server/community/follows.ts';
import { notificationText } from '../../src/lib/server/community/messages.ts';
import { listNotifications } from '../../src/lib/server/community/notifications.ts';
import { closeStores, db, transaction } from '../../src/lib/server/db/store.ts';
import { deliverOutbox } from '../../src/lib/server/mail/outbox.ts';
import { createEvent, getEvent, updateEvent } from '../../src/lib/server/datathon/events.ts';
import { announcePhaseChanges } from '../../src/lib/server/datathon/phase-announcements.ts';
import { createTeam, getTeam, joinTeam } from '../../src/lib/server/datathon/teams.ts';
import { eventInput, makeUser, scheduleFor } from '../helpers/datathon.ts';
import { BACKENDS, useBackend } from '../helpers/store.ts';

/**
 * Phase-change notifications with the server's clock moved by setClock: a new phase tells every team member and
 * follower of the event exactly once, however often the job runs, runs at once, or the store is reopened (a
 * restart); in both languages, and in the daily digest.
 */
const T = Date.UTC(2026, 10, 5, 3, 0, 0);
const DAY = 86_400_000;

describe.each(BACKENDS)('phase announcements on $name', ({ name, skip }) => {
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  let clock = T;
  let organiser: User;
  let leader: User;
  let member: User;
  let follower: User;
  let stranger: User;
  const EVENT = `fase-${name}`;
  const phaseNotes = async (user: User) =>
    (await listNotifications(user.id, { limit: 200 })).filter((n) => n.kind === 'datathon.phase_change' && n.url === `/datathon/${EVENT}`);

  beforeAll(async () => {
    if (skip) return;
    backend = await useBackend(name);
    setClock(() => clock);
    organiser = await makeUser('Panitia', { role: 'official', scope: 'diskominfo' });
    [leader, member, follower, stranger] = [await makeUser('Ketua'), await makeUser('Anggota'), await makeUser('Pengikut'), await makeUser('Orang lain')];
    expect(await createEvent(organiser, EVENT, eventInput('registration', T))).toMatchObject({ ok: true });
    const team = await createTeam(leader, EVENT, 'Tim Fase');
    expect(await joinTeam(member, (await getTeam(team.ok ? team.id : ''))!.invite_code)).toMatchObject({ ok: true });
    expect(await setFollow(follower, `datathon-event:${EVENT}`, true)).toMatchObject({ ok: true });
    // a member who also follows is told once
    expect(await setFollow(member, `datathon-event:${EVENT}`, true)).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    setClock(undefined);
    await backend?.cleanup();
  });

  test.skipIf(skip)('the phase an event is created in is not announced; nothing changes, nothing is told', async () => {
    expect(await announcePhaseChanges()).toEqual({ announced: 0, notified: 0 });
    for (const who of [leader, member, follower, stranger, organiser]) expect(await phaseNotes(who)).toEqual([]);
  });

  test.skipIf(skip)('submissions open by the clock: each member and follower is told exactly once, nobody else', async () => {
    clock = T + DAY; // registration → submission, with no request at all
    expect((await getEvent(EVENT))!.phase).toBe('submission');
    expect(await announcePhaseChanges()).toEqual({ announced: 1, notified: 3 });
    for (const who of [leader, member, follower]) {
      const notes = await phaseNotes(who);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.params).toEqual({ variant: 'submission' });
    }
    for (const who of [stranger, organiser]) expect(await phaseNotes(who)).toEqual([]);
  });

  test.skipIf(skip)('running the job again, three runs at once, or after a restart tells nobody anything new', async () => {
    expect(await announcePhaseChanges()).toEqual({ announced: 0, notified: 0 });
    clock = T + 2 * DAY; // submission → voting
    const runs = await Promise.all([announcePhaseChanges(), announcePhaseChanges(), announcePhaseChanges()]);
    expect(runs.map((r) => r.announced).sort()).toEqual([0, 0, 1]);
    expect(runs.reduce((n, r) => n + r.notified, 0)).toBe(3);
    // a restart: the process's store closed and opened again; what was announced is in the store, not in memory
    await closeStores();
    expect(await announcePhaseChanges()).toEqual({ announced: 0, notified: 0 });
    for (const who of [leader, member, follower]) expect((await phaseNotes(who)).map((n) => n.params.variant)).toEqual(['voting', 'submission']);
  });

  test.skipIf(skip)('the text names the new phase in Bahasa Indonesia and in English', async () => {
    const [voting, submission] = await phaseNotes(member);
    expect(notificationText('id', submission!)).toBe('Datathon Uji: pengumpulan ide dibuka');
    expect(notificationText('en', submission!)).toBe('Datathon Uji: idea submission is open');
    expect(notificationText('id', voting!)).toBe('Datathon Uji: pengumpulan ide ditutup, pemungutan suara publik dibuka');
    expect(notificationText('en', voting!)).toBe('Datathon Uji: submissions are closed and public voting is open');
  });

  test.skipIf(skip)('an organiser moving the dates: the next run announces the phase the event lands in, once', async () => {
    const event = (await getEvent(EVENT))!;
    expect(await updateEvent(organiser, EVENT, { ...event, ...scheduleFor('results', clock) })).toEqual({ ok: true });
    expect(await announcePhaseChanges({ eventId: EVENT })).toEqual({ announced: 1, notified: 3 });
    expect(await announcePhaseChanges()).toEqual({ announced: 0, notified: 0 });
    const [results] = await phaseNotes(follower);
    expect(notificationText('id', results!)).toBe('Datathon Uji: tahap pengumuman dimulai, panitia segera mengumumkan hasil');
    expect(notificationText('en', results!)).toBe('Datathon Uji: the results phase has begun; the organisers will announce the winners soon');
    // dates moved back before registration: recorded, nobody told of an "upcoming" phase
    expect(await updateEvent(organiser, EVENT, { ...event, ...scheduleFor('upcoming', clock) })).toEqual({ ok: true });
    expect(await announcePhaseChanges()).toEqual({ announced: 0, notified: 0 });
    expect((await db().selectFrom('datathon_event').select('announced_phase').where('id', '=', EVENT).executeTakeFirstOrThrow()).announced_phase).toBe('upcoming');
    // and forward again into registration: told
    expect(await updateEvent(organiser, EVENT, { ...event, ...scheduleFor('registration', clock) })).toEqual({ ok: true });
    expect(await announcePhaseChanges()).toEqual({ announced: 1, notified: 3 });
    expect((await phaseNotes(leader)).map((n) => n.params.variant)).toEqual(['registration', 'results', 'voting', 'submission']);
  });

  test.skipIf(skip)('an event the job has never seen (from before the column) is recorded, not announced', async () => {
    await transaction((trx) => trx.updateTable('datathon_event').set({ announced_phase: null }).where('id', '=', EVENT).execute());
    const event = (await getEvent(EVENT))!;
    expect(await updateEvent(organiser, EVENT, { ...event, ...scheduleFor('judging', clock) })).toEqual({ ok: true });
    expect(await announcePhaseChanges()).toEqual({ announced: 0, notified: 0 });
    expect((await db().selectFrom('datathon_event').select('announced_phase').where('id', '=', EVENT).executeTakeFirstOrThrow()).announced_phase).toBe('judging');
  });

  test.skipIf(skip)('phase changes wait for the daily digest by default: one e-mail listing each, in the reader’s language', async () => {
    await transaction((trx) => trx.updateTable('auth_user').set({ email_verified: true }).where('id', '=', follower.id).execute());
    clock += DAY;
    const mail: string[] = [];
    // without SMTP_HOST the outbox prints each message to the log (and then clears its body)
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void mail.push(args.join(' ')));
    try {
      const sent = await sendDigests();
      expect(sent.mailed).toBeGreaterThanOrEqual(1);
      await deliverOutbox();
      await vi.waitFor(() => expect(mail.filter((m) => m.includes(`To: ${follower.email}`))).toHaveLength(1), { timeout: 10_000 });
    } finally {
      log.mockRestore();
    }
    const digest = mail.find((m) => m.includes(`To: ${follower.email}`))!;
    expect(digest).toContain('- Datathon Uji: pengumpulan ide dibuka');
    expect(digest).toContain('- Datathon Uji: pengumpulan ide ditutup, pemungutan suara publik dibuka');
    expect(digest).toContain(`/datathon/${EVENT}`);
    // nobody else's address is verified here: their rows are marked done, no mail
    expect(mail.filter((m) => m.includes(`To: ${leader.email}`))).toEqual([]);
  });
});
