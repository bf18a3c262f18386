import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/lib/server/auth/settings.ts';
import { createEvent, getEvent, updateEvent } from '../../src/lib/server/datathon/events.ts';
import { eventInput, scheduleFor, seedSubmittedIdea } from '../helpers/datathon.ts';
import { serverWithReaders } from '../helpers/reader-server.ts';
import { sendRaw, type TestServer } from '../helpers/server.ts';
import { userByEmail, withStoreOf } from '../helpers/store.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * An outsider's attacks on the pages kept for readers without an account (http/reader-pages.ts, served before Astro
 * by src/server/entry.ts), on the real built server. Each test names the attack; those that found a hole were
 * written failing first, then fixed. The rest guard a defence the other reader-page tests do not cover.
 */
let root: string;
let server: TestServer;
const password = 'sandi penyerang yang panjang sekali';
const EVENT = 'serang-simpan';
const clients: Record<string, Client> = {};
let idea = '';
let draftable = '';
const OPEN = 'serang-kirim';

beforeAll(async () => {
  root = makeTempDir('kota-attack-kept-');
  const dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'panitia@serang.test', name: 'Panitia Serang', password, role: 'admin' });
  seedUser(dataDir, { email: 'ketua@serang.test', name: 'Ketua Serang', password });
  seedUser(dataDir, { email: 'warga@serang.test', name: 'Warga Rahasia Nama', password });
  await withStoreOf(dataDir, async () => {
    const organiser = await userByEmail('panitia@serang.test');
    const leader = await userByEmail('ketua@serang.test');
    const now = Date.now();
    expect(await createEvent(organiser, EVENT, eventInput('submission', now, { title: 'Datathon Serang', vote_limit: 5 }))).toMatchObject({ ok: true });
    idea = await seedSubmittedIdea(organiser, leader, EVENT, 'Ide Serangan Simpan', { team: 'Tim Serang', challenge: 'Tantangan Serang' });
    // a second event still taking ideas: its idea can be taken back to draft
    expect(await createEvent(organiser, OPEN, eventInput('submission', now, { title: 'Datathon Kirim' }))).toMatchObject({ ok: true });
    draftable = await seedSubmittedIdea(organiser, leader, OPEN, 'Ide Yang Ditarik', { team: 'Tim Kirim', challenge: 'Tantangan Kirim' });
    const event = (await getEvent(EVENT))!;
    expect(await updateEvent(organiser, EVENT, { ...event, ...scheduleFor('voting', now) })).toMatchObject({ ok: true });
  });
  let started: Record<string, Client>;
  ({ server, clients: started } = await serverWithReaders(root, dataDir, 'serang.test', password));
  Object.assign(clients, started);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

const anonymous = (pathname: string, headers?: Record<string, string>) => clients.anonymous!.get(pathname, headers);
const ideaPage = () => `/datathon/submissions/${idea}`;
const langOf = (html: string) => /<html[^>]*lang="([a-z]+)"/.exec(html)?.[1];
let fresh = 0;
/** A query string no page was kept under yet: its first answer is Astro's own rendering. */
const unkept = (pathname: string) => `${pathname}?serang=${++fresh}`;

const raw = (request: string, encoding: BufferEncoding = 'utf8') => sendRaw(server.url, request, encoding);
const host = () => new URL(server.url).host;

describe('the front handler and Astro agree on who is asking', () => {
  // Astro reads cookies with the `cookie` package; the front handler with its own parser. Where they disagree on
  // the language, the kept page of one language would answer a request Astro renders in the other.
  test.each([
    ['a quoted lang cookie', 'lang="en"'],
    ['two lang cookies', 'lang=en; lang=id'],
    ['two lang cookies, other order', 'lang=id; lang=en'],
    ['a lang cookie with spaces', '  lang = en '],
    ['an encoded lang cookie', 'lang=%65n'],
    ['an unknown language', 'lang=fr'],
    ['an upper-case cookie name', 'LANG=en'],
  ])('%s: the kept page is in the language Astro renders', async (_name, cookie) => {
    const pathname = unkept(ideaPage());
    const rendered = await anonymous(pathname, { cookie });
    expect(rendered.headers.get('x-cache')).toBeNull();
    // both languages kept under this path by ordinary readers
    await anonymous(pathname, { cookie: 'lang=en' });
    await anonymous(pathname, { cookie: 'lang=id' });
    const again = await anonymous(pathname, { cookie });
    expect(langOf(again.text)).toBe(langOf(rendered.text));
  });

  test('a lang cookie ending in a no-break space (a byte Node reads as Latin-1): the kept page is in Astro’s language', async () => {
    const pathname = unkept(ideaPage());
    const request = `GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nCookie: lang=en\u00a0\r\nConnection: close\r\n\r\n`;
    const rendered = await raw(request, 'latin1');
    expect(rendered).not.toMatch(/x-cache: HIT/i);
    await anonymous(pathname, { cookie: 'lang=en' });
    await anonymous(pathname, { cookie: 'lang=id' });
    expect(langOf(await raw(request, 'latin1'))).toBe(langOf(rendered));
  });

  test.each([
    ['an upper-case name', (token: string) => ({ cookie: `${SESSION_COOKIE.toUpperCase()}=${token}` })],
    ['spaces around it', (token: string) => ({ cookie: `  ${SESSION_COOKIE} = ${token} ; lang=id` })],
    ['after another cookie', (token: string) => ({ cookie: `a=b; ${SESSION_COOKIE}=${token}` })],
    ['quoted', (token: string) => ({ cookie: `${SESSION_COOKIE}="${token}"` })],
  ])('a session cookie with %s: a signed-in voter never gets the kept anonymous page', async (_name, headers) => {
    const token = clients.warga!.cookies.get(SESSION_COOKIE)!;
    expect(token).toBeTruthy();
    await anonymous(ideaPage());
    expect((await anonymous(ideaPage())).headers.get('x-cache')).toBe('HIT');
    const answer = await anonymous(ideaPage(), headers(token));
    const signedIn = answer.text.includes('Warga Rahasia Nama');
    // the kept page is for nobody in particular: when Astro knows the reader, the front handler must not answer
    if (signedIn) expect(answer.headers.get('x-cache')).toBeNull();
    // and the page for this reader is never kept for the next anonymous one
    expect((await anonymous(ideaPage())).text).not.toContain('Warga Rahasia Nama');
  });

  test('a session cookie in a second Cookie header: the front handler does not answer for a signed-in reader', async () => {
    const token = clients.warga!.cookies.get(SESSION_COOKIE)!;
    await anonymous(ideaPage());
    const answer = await raw(`GET ${ideaPage()} HTTP/1.1\r\nHost: ${host()}\r\nCookie: lang=id\r\nCookie: ${SESSION_COOKIE}=${token}\r\nConnection: close\r\n\r\n`);
    expect(answer).not.toMatch(/x-cache: HIT/i);
    expect(answer).toContain('Warga Rahasia Nama');
    expect((await anonymous(ideaPage())).text).not.toContain('Warga Rahasia Nama');
  });
});

describe('request targets and Host headers', () => {
  test.each([
    ['absolute-form target', () => `GET http://evil.example${ideaPage()} HTTP/1.1\r\nHost: evil.example\r\n`],
    ['absolute-form target naming this host', () => `GET ${server.url}${ideaPage()} HTTP/1.1\r\nHost: evil.example\r\n`],
    ['double slash', () => `GET /${ideaPage()} HTTP/1.1\r\nHost: ${host()}\r\n`],
    ['encoded slash', () => `GET ${ideaPage().replace('/submissions/', '%2Fsubmissions/')} HTTP/1.1\r\nHost: ${host()}\r\n`],
    ['dot segments', () => `GET /datathon/gallery/../submissions/${idea} HTTP/1.1\r\nHost: ${host()}\r\n`],
    ['a Host with a trailing dot and capitals', () => `GET ${ideaPage()} HTTP/1.1\r\nHost: LOCALHOST.:${new URL(server.url).port}\r\n`],
    ['a Host naming a path', () => `GET ${ideaPage()} HTTP/1.1\r\nHost: ${host()}/datathon/gallery?x=\r\n`],
    ['a Host with a fragment', () => `GET ${ideaPage()} HTTP/1.1\r\nHost: ${host()}/badami#\r\n`],
    ['two Host headers', () => `GET ${ideaPage()} HTTP/1.1\r\nHost: ${host()}\r\nHost: evil.example\r\n`],
    ['forwarded headers from an untrusted peer', () => `GET ${ideaPage()} HTTP/1.1\r\nHost: ${host()}\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\nX-Forwarded-For: 127.0.0.1\r\n`],
  ])('%s: nothing foreign is kept, and the next reader still gets the idea page as it is', async (_name, request) => {
    await raw(`${request()}Connection: close\r\n\r\n`);
    await raw(`${request()}Connection: close\r\n\r\n`);
    const reader = await anonymous(ideaPage());
    expect(reader.status).toBe(200);
    expect(reader.text).toContain('Ide Serangan Simpan');
    expect(reader.text).not.toContain('evil.example');
    expect(reader.text).toContain(`<link rel="canonical" href="${server.url}${ideaPage()}">`);
    expect(reader.headers.get('strict-transport-security')).toBeNull();
  });

  test('a Host that carries a path is left to Astro: the sender never gets another path\'s kept page', async () => {
    await anonymous(ideaPage());
    for (const forged of [`${host()}/badami#`, `${host()}/datathon/gallery?x=`]) {
      // Astro reads such a request as the Host's path (its URL is built from Host + target): the board or the
      // gallery, rendered or kept; never the idea page the target names, which only the front handler would give.
      const answer = await raw(`GET ${ideaPage()} HTTP/1.1\r\nHost: ${forged}\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer).not.toContain('<h1>Ide Serangan Simpan</h1>');
    }
  });

  test('pipelined requests, a kept one first: each gets its own answer, in order', async () => {
    await anonymous(ideaPage());
    const answer = await raw(`GET ${ideaPage()} HTTP/1.1\r\nHost: ${host()}\r\n\r\nGET /datathon/${EVENT}/team HTTP/1.1\r\nHost: ${host()}\r\n\r\nGET ${ideaPage()} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    expect(statuses).toHaveLength(3);
    expect(statuses).toEqual(['200', '302', '200']);
  });
});

describe('nothing kept that should not be', () => {
  test('a missing idea or event is a 404 each time, never kept', async () => {
    for (const pathname of ['/datathon/submissions/tidak-ada', '/datathon/tidak-ada', `/datathon/${EVENT}/challenges/tidak-ada`]) {
      for (let i = 0; i < 2; i++) {
        const answer = await anonymous(pathname);
        expect(answer.status, pathname).toBe(404);
        expect(answer.headers.get('x-cache'), pathname).toBeNull();
      }
    }
  });

  test('a conditional request gets the whole kept page (no 304 for a page with no validator)', async () => {
    await anonymous(ideaPage());
    const answer = await anonymous(ideaPage(), { 'if-none-match': '*', 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Ide Serangan Simpan');
  });
});

describe('stale pages: writes a reader must see at once', () => {
  test('a comment deleted by its author is gone for the next reader', async () => {
    const posted = await clients.warga!.post(`${ideaPage()}?_action=community.postComment`, { subject: `submission:${idea}`, body: 'Komentar-yang-akan-dihapus' });
    expect(posted.status).toBe(200);
    const before = await anonymous(ideaPage());
    expect(before.text).toContain('Komentar-yang-akan-dihapus');
    const id = /<article id="comment-([a-z0-9]+)"/.exec(before.text)?.[1];
    expect((await clients.warga!.post(`${ideaPage()}?_action=community.deleteComment`, { id: id! })).status).toBe(200);
    expect((await anonymous(ideaPage())).text).not.toContain('Komentar-yang-akan-dihapus');
  });

  test('an idea taken back to draft disappears from its page and the gallery', async () => {
    const page = `/datathon/submissions/${draftable}`;
    const gallery = `/datathon/gallery?event=${OPEN}`;
    await anonymous(page);
    await anonymous(gallery);
    expect((await anonymous(page)).headers.get('x-cache')).toBe('HIT');
    expect((await anonymous(gallery)).text).toContain('Ide Yang Ditarik');
    const withdrawn = await clients.ketua!.post(`${page}?_action=datathon.setSubmitted`, { submission: draftable, submitted: 'false' });
    expect(withdrawn.status).toBeLessThan(400);
    expect((await anonymous(page)).status).toBe(404);
    expect(visibleText((await anonymous(gallery)).text)).not.toContain('Ide Yang Ditarik');
  });

  test('a deleted account’s name is gone from the kept idea page', async () => {
    const posted = await clients.warga!.post(`${ideaPage()}?_action=community.postComment`, { subject: `submission:${idea}`, body: 'Komentar sebelum hapus akun' });
    expect(posted.status).toBe(200);
    expect((await anonymous(ideaPage())).text).toContain('Warga Rahasia Nama');
    expect((await anonymous(ideaPage())).headers.get('x-cache')).toBe('HIT');
    const deleted = await clients.warga!.post('/account?_action=auth.deleteAccount', { password });
    expect(deleted.status).toBeLessThan(400);
    expect((await anonymous(ideaPage())).text).not.toContain('Warga Rahasia Nama');
  });
});
