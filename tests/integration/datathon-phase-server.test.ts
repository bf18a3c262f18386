import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { transaction } from '../../src/lib/server/db/store.ts';
import { createEvent } from '../../src/lib/server/datathon/events.ts';
import { createTeam } from '../../src/lib/server/datathon/teams.ts';
import { eventInput, scheduleFor } from '../helpers/datathon.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { userByEmail, withStoreOf } from '../helpers/store.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * Phase-change notifications on the real server: a phase that began while no server ran is announced when one
 * starts (no request needed), an organiser saving new dates on the organiser page announces the new phase at once,
 * a person follows the event from its page, and each sees the line on their notifications page in either language.
 */
let root: string;
let server: TestServer;
const password = 'sandi tahap yang panjang sekali';
const EVENT = 'fase-server';
const clients: Record<string, Client> = {};
const DAY = 86_400_000;
/** The organiser form's date fields: WIB (UTC+7), to the minute. */
const wib = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  root = makeTempDir('kota-datathon-phase-');
  const dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'panitia@fase.test', name: 'Panitia Fase', password, role: 'official', scope: 'diskominfo' });
  seedUser(dataDir, { email: 'anggota@fase.test', name: 'Anggota Fase', password });
  seedUser(dataDir, { email: 'pengikut@fase.test', name: 'Pengikut Fase', password });
  // The event, seeded with no server running: created in its submission phase, then its dates moved on to voting
  // behind the job's back, as if the voting phase had begun overnight while the server was down.
  await withStoreOf(dataDir, async () => {
    const organiser = await userByEmail('panitia@fase.test');
    const member = await userByEmail('anggota@fase.test');
    expect(await createEvent(organiser, EVENT, eventInput('submission', Date.now(), { title: 'Datathon Fase' }))).toMatchObject({ ok: true });
    expect(await createTeam(member, EVENT, 'Tim Fase')).toMatchObject({ ok: true });
    await transaction((trx) => trx.updateTable('datathon_event').set(scheduleFor('voting', Date.now())).where('id', '=', EVENT).execute());
  });
  server = await startTestServer({ dataDir });
  for (const who of ['panitia', 'anggota', 'pengikut']) {
    clients[who] = new Client(server.url);
    await clients[who]!.logIn(`${who}@fase.test`, password);
  }
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

const notifications = async (who: string, lang = 'id') => visibleText((await clients[who]!.get(`/notifications?lang=${lang}`)).text);

test('a phase that began while the server was down is announced once it starts, and shows on the member’s notifications page', async () => {
  await vi.waitFor(async () => expect(await notifications('anggota')).toContain('Datathon Fase: pengumpulan ide ditutup, pemungutan suara publik dibuka'), { timeout: 30_000, interval: 250 });
  expect(await notifications('anggota', 'en')).toContain('Datathon Fase: submissions are closed and public voting is open');
  const page = await clients.anggota!.get('/notifications');
  expect(page.text).toContain(`href="/datathon/${EVENT}"`);
  // the organiser is no member and no follower
  expect(await notifications('panitia')).not.toContain('Datathon Fase:');
});

test('a person follows the event from its page; the organiser saves new dates; both are told of the new phase at once, once', async () => {
  const followed = await clients.pengikut!.post(`/datathon/${EVENT}?_action=community.follow`, { subject: `datathon-event:${EVENT}`, follow: 'true' });
  expect(followed.status).toBe(200);
  expect(visibleText(followed.text)).toContain('Pengikut dan anggota tim diberi tahu setiap kali acara memasuki tahap baru');
  expect(followed.text).toContain('aria-pressed="true"');

  const at = scheduleFor('judging', Date.now());
  const form = {
    event: EVENT,
    title: 'Datathon Fase',
    description: 'Acara uji.',
    rules: 'Aturan.',
    prizes: 'Hadiah.',
    cover_url: '',
    team_size_max: '3',
    vote_limit: '3',
    ranking_method: 'weighted',
    registration_at: wib(at.registration_at),
    submission_at: wib(at.submission_at),
    voting_at: wib(at.voting_at),
    judging_at: wib(at.judging_at),
    results_at: wib(at.results_at),
  };
  const saved = await clients.panitia!.post(`/datathon/${EVENT}/manage?_action=datathon.updateEvent`, form);
  expect(saved.status).toBe(200);
  const judging = 'Datathon Fase: pemungutan suara ditutup, penjurian dimulai';
  for (const who of ['anggota', 'pengikut']) {
    const text = await notifications(who);
    expect(text).toContain(judging);
    expect(text.split(judging)).toHaveLength(2); // once
  }
  expect(await notifications('pengikut', 'en')).toContain('Datathon Fase: voting is closed and judging has begun');
  // the follower joined after voting had been announced: told of judging only
  expect(await notifications('pengikut')).not.toContain('pemungutan suara publik dibuka');
  // saving the same dates again tells nobody anything new
  expect((await clients.panitia!.post(`/datathon/${EVENT}/manage?_action=datathon.updateEvent`, form)).status).toBe(200);
  expect((await notifications('anggota')).split(judging)).toHaveLength(2);
});
