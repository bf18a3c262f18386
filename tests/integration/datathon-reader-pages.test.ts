import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { SESSION_COOKIE } from '../../src/lib/server/auth/settings.ts';
import { createEvent, getEvent, updateEvent } from '../../src/lib/server/datathon/events.ts';
import { eventInput, scheduleFor, seedSubmittedIdea } from '../helpers/datathon.ts';
import { serverWithReaders } from '../helpers/reader-server.ts';
import { sendRaw, type TestServer } from '../helpers/server.ts';
import { userByEmail, withStoreOf } from '../helpers/store.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * The datathon's pages kept for readers without an account (http/reader-pages.ts) on the real server: the second
 * reader gets the kept bytes (`X-Cache: HIT`, answered before Astro runs) with the same security headers, and every
 * write a reader could see — a vote, a comment, a moderator hiding it, a renamed author, an edited idea — shows on
 * the very next request; so does a phase that begins with no write at all. A page for a signed-in person is never
 * kept or given to anyone else; languages, `?lang=`, HEAD and forged Host headers each get their own answer.
 */
let root: string;
let server: TestServer;
const password = 'sandi pembaca yang panjang sekali';
const EVENT = 'baca-datathon';
const LATER = 'baca-nanti';
const clients: Record<string, Client> = {};
const ideas: Record<string, string> = {};
let votingOpensAt = 0;
let seededAt = 0;

async function seedIdea(eventId: string, leaderEmail: string, title: string): Promise<string> {
  return seedSubmittedIdea(await userByEmail('panitia@baca.test'), await userByEmail(leaderEmail), eventId, title);
}

beforeAll(async () => {
  root = makeTempDir('kota-reader-pages-');
  const dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'panitia@baca.test', name: 'Panitia Baca', password, role: 'admin' });
  seedUser(dataDir, { email: 'ketua@baca.test', name: 'Ketua Baca', password });
  seedUser(dataDir, { email: 'ketua2@baca.test', name: 'Ketua Dua', password });
  seedUser(dataDir, { email: 'warga@baca.test', name: 'Warga Pembaca', password });
  await withStoreOf(dataDir, async () => {
    const organiser = await userByEmail('panitia@baca.test');
    const now = Date.now();
    seededAt = now;
    expect(await createEvent(organiser, EVENT, eventInput('submission', now, { title: 'Datathon Pembaca', vote_limit: 5 }))).toMatchObject({ ok: true });
    expect(await createEvent(organiser, LATER, eventInput('submission', now, { title: 'Datathon Nanti' }))).toMatchObject({ ok: true });
    ideas.open = await seedIdea(EVENT, 'ketua@baca.test', 'Ide Terbuka Pembaca');
    ideas.later = await seedIdea(LATER, 'ketua2@baca.test', 'Ide Menunggu Suara');
    const event = (await getEvent(EVENT))!;
    expect(await updateEvent(organiser, EVENT, { ...event, ...scheduleFor('voting', now) })).toMatchObject({ ok: true });
    // voting on the second event opens a few seconds after the server starts: no write marks that moment
    votingOpensAt = now + 20_000;
    const later = (await getEvent(LATER))!;
    expect(await updateEvent(organiser, LATER, { ...later, voting_at: votingOpensAt })).toMatchObject({ ok: true });
  });
  let started: Record<string, Client>;
  ({ server, clients: started } = await serverWithReaders(root, dataDir, 'baca.test', password));
  Object.assign(clients, started);
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

const anonymous = (pathname: string, headers?: Record<string, string>) => clients.anonymous!.get(pathname, headers);
const ideaPage = () => `/datathon/submissions/${ideas.open}`;
const commentIds = (html: string) => [...html.matchAll(/<article id="comment-([a-z0-9]+)"/g)].map((m) => m[1]!);

/** A request with exactly these headers (Node's fetch would set Host itself): its head (lower-cased) and body. */
async function rawGet(pathname: string, headers: Record<string, string>, method = 'GET'): Promise<{ head: string; body: string }> {
  const data = await sendRaw(server.url, `${method} ${pathname} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Connection: close\r\n\r\n`);
  const split = data.indexOf('\r\n\r\n');
  return { head: data.slice(0, split).toLowerCase(), body: data.slice(split + 4) };
}

describe('kept for readers without an account', () => {
  test.each(['/datathon', `/datathon/gallery?event=${EVENT}`, `/datathon/${EVENT}`, `/datathon/submissions/${'x'}`.replace('x', 'IDEA')])(
    '%s: the second reader gets the same bytes and headers from the kept page',
    async (template) => {
      const pathname = template.replace('IDEA', ideas.open!);
      const first = await anonymous(pathname);
      expect(first.status).toBe(200);
      const second = await anonymous(pathname);
      expect(second.status).toBe(200);
      expect(second.headers.get('x-cache')).toBe('HIT');
      expect(second.text).toBe(first.text);
      for (const name of ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy', 'content-type']) {
        expect(second.headers.get(name), name).toBe(first.headers.get(name));
      }
      expect(second.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(second.headers.get('set-cookie')).toBeNull();
    },
  );

  test('a vote shows to the next reader, in the idea page and the gallery’s order', async () => {
    await anonymous(ideaPage());
    expect(visibleText((await anonymous(ideaPage())).text)).toContain('0 suara');
    const voted = await clients.warga!.post(`${ideaPage()}?_action=datathon.vote`, { submission: ideas.open! });
    expect(voted.status).toBe(200);
    const after = await anonymous(ideaPage());
    expect(after.headers.get('x-cache')).toBeNull();
    expect(visibleText(after.text)).toContain('1 suara');
    expect((await anonymous(ideaPage())).headers.get('x-cache')).toBe('HIT');
    const withdrawn = await clients.warga!.post(`${ideaPage()}?_action=datathon.withdrawVote`, { submission: ideas.open! });
    expect(withdrawn.status).toBe(200);
    expect(visibleText((await anonymous(ideaPage())).text)).toContain('0 suara');
  });

  test('a comment, a moderator hiding it, and its author’s new name each show to the next reader', async () => {
    await anonymous(ideaPage());
    const posted = await clients.warga!.post(`${ideaPage()}?_action=community.postComment`, { subject: `submission:${ideas.open}`, body: 'Komentar-uji-pembaca yang segar' });
    expect(posted.status).toBe(200);
    const withComment = await anonymous(ideaPage());
    expect(visibleText(withComment.text)).toContain('Komentar-uji-pembaca yang segar');
    expect(visibleText(withComment.text)).toContain('Warga Pembaca');
    const [id] = commentIds(withComment.text);
    expect(id).toBeTruthy();

    const renamed = await clients.warga!.post('/account?_action=auth.updateProfile', { name: 'Warga Berganti Nama' });
    expect(renamed.status).toBeLessThan(400);
    const afterRename = visibleText((await anonymous(ideaPage())).text);
    expect(afterRename).toContain('Warga Berganti Nama');
    expect(afterRename).not.toContain('Warga Pembaca');

    const hidden = await clients.panitia!.post(`${ideaPage()}?_action=community.moderateComment`, { id: id!, decision: 'hide', reason: 'Alasan-moderasi-uji' });
    expect(hidden.status).toBe(200);
    const afterHide = visibleText((await anonymous(ideaPage())).text);
    expect(afterHide).toContain('Disembunyikan oleh moderator: Alasan-moderasi-uji');
    expect(afterHide).not.toContain('Komentar-uji-pembaca yang segar');
  });

  test('an organiser’s edit of the event shows on its page and in the gallery', async () => {
    await anonymous(`/datathon/${EVENT}`);
    await anonymous(`/datathon/gallery?event=${EVENT}`);
    const organiser = (await clients.panitia!.get(`/datathon/${EVENT}/manage`)).text;
    expect(organiser).toContain('Datathon Pembaca');
    const form: Record<string, string> = { event: EVENT, title: 'Datathon Pembaca Baru', description: 'Acara uji.', rules: 'Aturan.', prizes: 'Hadiah.', cover_url: '', team_size_max: '3', vote_limit: '5', ranking_method: 'weighted' };
    const schedule = scheduleFor('voting', seededAt);
    for (const phase of ['registration_at', 'submission_at', 'voting_at', 'judging_at', 'results_at'] as const) form[phase] = wib(schedule[phase]);
    const saved = await clients.panitia!.post(`/datathon/${EVENT}/manage?_action=datathon.updateEvent`, form);
    expect(saved.status).toBe(200);
    expect(visibleText((await anonymous(`/datathon/${EVENT}`)).text)).toContain('Datathon Pembaca Baru');
    expect((await anonymous(`/datathon/gallery?event=${EVENT}`)).text).toContain('Datathon Pembaca Baru');
  });

  test('a phase that begins with no write changes the kept page', async () => {
    const pathname = `/datathon/submissions/${ideas.later}`;
    const before = await anonymous(pathname);
    expect(visibleText(before.text)).not.toContain('Masuk untuk memberi suara.');
    expect((await anonymous(pathname)).headers.get('x-cache')).toBe('HIT');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, votingOpensAt - Date.now() + 200)));
    expect(visibleText((await anonymous(pathname)).text)).toContain('Masuk untuk memberi suara.');
  }, 60_000);
});

describe('never kept for, or given to, the wrong reader', () => {
  test('a signed-in voter’s page is never kept nor shown to anyone else, in either order', async () => {
    expect((await clients.warga!.post(`${ideaPage()}?_action=datathon.vote`, { submission: ideas.open! })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const mine = await clients.warga!.get(ideaPage());
      expect(mine.headers.get('x-cache')).toBeNull();
      expect(visibleText(mine.text)).toContain('Tarik suara');
      const reader = await anonymous(ideaPage());
      expect(visibleText(reader.text)).not.toContain('Tarik suara');
      expect(visibleText(reader.text)).toContain('Masuk untuk memberi suara.');
    }
    // a session cookie that is not valid is no reason to serve the kept page: Astro answers it as usual
    const forged = await anonymous(ideaPage(), { cookie: `${SESSION_COOKIE}=palsu` });
    expect(forged.status).toBe(200);
    expect(forged.headers.get('x-cache')).toBeNull();
    expect(visibleText(forged.text)).not.toContain('Tarik suara');
  });

  test('each language gets its own page; ?lang= is never served from the kept page and sets its cookie', async () => {
    await anonymous(ideaPage());
    expect((await anonymous(ideaPage())).text).toMatch(/<html[^>]*lang="id"/);
    const english = await anonymous(ideaPage(), { cookie: 'lang=en' });
    expect(english.text).toMatch(/<html[^>]*lang="en"/);
    expect((await anonymous(ideaPage(), { cookie: 'lang=en' })).headers.get('x-cache')).toBe('HIT');
    const switched = await fetch(`${server.url}${ideaPage()}?lang=en`, { redirect: 'manual' });
    expect(switched.headers.get('x-cache')).toBeNull();
    expect(switched.headers.get('set-cookie')).toContain('lang=en');
    expect(await switched.text()).toMatch(/<html[^>]*lang="en"/);
    expect((await anonymous(ideaPage())).text).toMatch(/<html[^>]*lang="id"/);
  });

  test('HEAD and a bearer token go to Astro; a forged Host or X-Forwarded-Host never reaches the kept page', async () => {
    const url = new URL(server.url);
    await anonymous(`/datathon/gallery?event=${EVENT}`);
    const head = await rawGet(`/datathon/gallery?event=${EVENT}`, { host: url.host }, 'HEAD');
    expect(head.head).not.toContain('x-cache');
    const bearer = await anonymous(`/datathon/gallery?event=${EVENT}`, { authorization: 'Bearer bukan-token' });
    expect(bearer.headers.get('x-cache')).toBeNull();
    const forgeries: Record<string, string>[] = [{ host: 'evil.example' }, { host: url.host, 'x-forwarded-host': 'evil.example' }, { host: 'evil.example', 'x-forwarded-host': 'evil.example' }];
    for (const headers of forgeries) {
      const forged = await rawGet(`/datathon/gallery?event=${EVENT}`, headers);
      expect(forged.head).toContain('200 ok');
      expect(forged.body).not.toContain('evil.example');
    }
    expect((await anonymous(`/datathon/gallery?event=${EVENT}`)).text).not.toContain('evil.example');
  });

  test('pages that are not public (team, organiser, judging) are never kept', async () => {
    for (const pathname of [`/datathon/${EVENT}/team`, `/datathon/${EVENT}/manage`, `/datathon/${EVENT}/judge`, `/datathon/new`]) {
      await anonymous(pathname);
      const again = await anonymous(pathname);
      expect(again.headers.get('x-cache'), pathname).toBeNull();
    }
  });
});

/** The organiser form's date fields: WIB (UTC+7), to the minute. */
const wib = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);

