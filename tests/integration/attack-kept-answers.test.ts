import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createApiToken } from '../../src/lib/server/auth/api-token.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/settings.ts';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { sendRaw, startTestServer, type TestServer } from '../helpers/server.ts';
import { userByEmail, withStoreOf } from '../helpers/store.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser } from './auth-helpers.ts';

/**
 * An outsider's attacks on the data API's rows and facets kept for callers without an account (api/reader-answers.ts,
 * kept by http/reader-pages.ts and served before Astro by src/server/entry.ts), on the real built server. Each test
 * names the attack and asserts what the attacker must not get. The page attacks (cookies read two ways, Host
 * variants, dot segments…) are in attack-kept-pages.test.ts and are not repeated here.
 */
let root: string;
let dataDir: string;
let server: TestServer;
const password = 'sandi penyerang api yang panjang';
let official: Client;
let anonymous: Client;
let token = '';
const KECAMATAN = ['Andir', 'Coblong', 'Regol', 'Cibiru', 'Sukajadi'];
const rows = Array.from({ length: 300 }, (_, i) => ({ kecamatan: KECAMATAN[i % KECAMATAN.length]!, jumlah_penduduk: 1000 + i }));
const SECRET = 424242;
let oldPinned = '';

beforeAll(async () => {
  root = makeTempDir('kota-attack-api-');
  dataDir = path.join(root, 'data');
  await publishTestVersion(dataDir, { id: 'publik-api', fields: PENDUDUK_FIELDS, rows, metadata: { title: 'Publik API' } });
  await publishTestVersion(dataDir, { id: 'rahasia-api', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: SECRET }], metadata: { classification: 'terbatas', title: 'Rahasia API' } });
  oldPinned = (await publishTestVersion(dataDir, { id: 'kelas-api', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: SECRET + 1 }], metadata: { title: 'Kelas API' } })).version;
  await publishTestVersion(dataDir, { id: 'hapus-api', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Regol', jumlah_penduduk: SECRET + 2 }], metadata: { title: 'Hapus API' } });
  await publishTestVersion(dataDir, { id: 'versi-api', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Regol', jumlah_penduduk: 1 }], metadata: { title: 'Versi API' } });
  seedUser(dataDir, { email: 'pejabat@serang-api.test', name: 'Pejabat Serang', password, role: 'official', scope: 'disdukcapil' });
  token = await withStoreOf(dataDir, async () => (await createApiToken((await userByEmail('pejabat@serang-api.test')).id, 'skrip serang', ['read'])).token);
  server = await startTestServer({ dataDir });
  official = new Client(server.url);
  anonymous = new Client(server.url);
  await official.logIn('pejabat@serang-api.test', password);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

let fresh = 0;
/** A rows path no answer was kept under yet. */
const unkept = (id = 'publik-api', extra = 'limit=3') => `/api/v1/datasets/${id}/rows?${extra}&jumlah_penduduk__gte=-${++fresh}`;
const host = () => new URL(server.url).host;
const raw = (request: string, encoding: BufferEncoding = 'utf8') => sendRaw(server.url, request, encoding);
const get = (pathname: string, headers: Record<string, string> = {}) => anonymous.get(pathname, headers);
/** Asks `pathname` twice as a caller without an account, so the third ask is answered from memory. */
async function keep(pathname: string): Promise<void> {
  await get(pathname);
  await get(pathname);
  expect((await get(pathname)).headers.get("x-cache"), `${pathname.slice(0, 120)} kept`).toBe('HIT');
}
const bodyOf = (answer: string) => answer.slice(answer.indexOf('\r\n\r\n') + 4);
const headerOf = (answer: string, name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(answer)?.[1]?.trim() ?? null;

describe('someone else’s answer: a restricted dataset, a signed-in caller, a token', () => {
  test('an official’s restricted rows asked many times (cookie and token) never reach a caller without an account', async () => {
    const pathname = '/api/v1/datasets/rahasia-api/rows?limit=5';
    for (let i = 0; i < 3; i++) {
      expect((await official.get(pathname)).text).toContain(String(SECRET));
      const byToken = await get(pathname, { authorization: `Bearer ${token}` });
      expect(byToken.status).toBe(200);
      expect(byToken.headers.get('x-cache')).toBeNull();
      expect(byToken.headers.get('cache-control')).toBe('private, no-store');
    }
    for (const headers of [{}, { authorization: '' }, { authorization: 'Basic eDp5' }, { cookie: `${SESSION_COOKIE}=` }, { cookie: 'lang=en' }] as Record<string, string>[]) {
      const answer = await get(pathname, headers);
      expect(answer.status, JSON.stringify(headers)).not.toBe(200);
      expect(answer.text).not.toContain(String(SECRET));
    }
    const facets = await get('/api/v1/datasets/rahasia-api/facets?_facet=jumlah_penduduk');
    expect(facets.status).toBe(404);
    expect(facets.text).not.toContain(String(SECRET));
  });

  test('an official’s answer for public data (Cache-Control private) is never kept for the next caller', async () => {
    const pathname = unkept();
    for (let i = 0; i < 3; i++) {
      const mine = await official.get(pathname);
      expect(mine.headers.get('cache-control')).toBe('private, no-store');
      await get(pathname, { authorization: `Bearer ${token}` });
    }
    const reader = await get(pathname);
    expect(reader.headers.get('x-cache')).toBeNull();
    expect(reader.headers.get('cache-control')).toBe('public, max-age=60');
    expect(reader.headers.get('set-cookie')).toBeNull();
  });

  test('a bad bearer token is refused with 401 even where a kept answer exists (never the kept 200)', async () => {
    const pathname = unkept();
    await keep(pathname);
    for (const authorization of ['Bearer salah', 'bearer salah', 'Bearer  salah']) {
      const answer = await get(pathname, { authorization });
      expect(answer.status, authorization).toBe(401);
      expect(answer.headers.get('x-cache')).toBeNull();
    }
    const dup = await raw(`GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer salah\r\nAuthorization: Bearer lain\r\nConnection: close\r\n\r\n`);
    expect(dup).toMatch(/^HTTP\/1\.1 401 /);
  });

  test('a signed-in caller with a session cookie is never given the kept anonymous answer (both entry points)', async () => {
    const pathname = unkept();
    await keep(pathname);
    const mine = await official.get(pathname);
    expect(mine.headers.get('x-cache')).toBeNull();
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    const cookie = `${SESSION_COOKIE}=${official.cookies.get(SESSION_COOKIE)}`;
    const viaRaw = await raw(`GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nCookie: lang=id\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`);
    expect(viaRaw).not.toMatch(/x-cache: HIT/i);
    expect(headerOf(viaRaw, 'cache-control')).toBe('private, no-store');
  });

  test('a stale session cookie (the answer clears it) is never kept, nor answered from memory', async () => {
    const pathname = unkept();
    for (let i = 0; i < 3; i++) {
      const answer = await get(pathname, { cookie: `${SESSION_COOKIE}=kadaluarsa-${i}` });
      expect(answer.headers.get('x-cache')).toBeNull();
    }
    // the clearing Set-Cookie was never kept for the next reader
    expect((await get(pathname)).headers.get('set-cookie')).toBeNull();
  });
});

describe('stale answers after a change', () => {
  test('a dataset reclassified terbatas: its kept rows, facets and pinned version are gone for callers without an account', async () => {
    const current = '/api/v1/datasets/kelas-api/rows?limit=5';
    const pinned = `/api/v1/datasets/kelas-api/rows?limit=5&version=${oldPinned}`;
    const facets = '/api/v1/datasets/kelas-api/facets?_facet=kecamatan';
    for (const pathname of [current, pinned, facets]) await keep(pathname);
    await publishTestVersion(dataDir, { id: 'kelas-api', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: SECRET + 3 }], metadata: { classification: 'terbatas', title: 'Kelas API' } });
    await vi.waitFor(async () => expect((await get(current)).status).toBe(404), { timeout: 15_000, interval: 250 });
    for (const pathname of [current, pinned, facets, `/api/v1/datasets/kelas-api/versions/${oldPinned}/rows`]) {
      // through the front handler (fetch) and through Astro (a raw request with a cookie the front handler reads too)
      const answer = await get(pathname);
      expect(answer.status, pathname).toBe(404);
      expect(answer.text).not.toContain(String(SECRET + 1));
      const viaRaw = await raw(`GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nCookie: lang=id\r\nConnection: close\r\n\r\n`);
      expect(viaRaw, pathname).toMatch(/^HTTP\/1\.1 404 /);
    }
    // its official still reads it, and that answer is not kept either
    expect((await official.get(current)).text).toContain(String(SECRET + 3));
    expect((await get(current)).status).toBe(404);
  });

  test('a dataset removed from the lake: its kept answers are gone once synced', async () => {
    const pathname = '/api/v1/datasets/hapus-api/rows?limit=5';
    await keep(pathname);
    await keep('/api/v1/datasets/hapus-api/facets?_facet=kecamatan');
    rmSync(path.join(dataDir, 'lake', 'hapus-api'), { recursive: true, force: true });
    await vi.waitFor(async () => expect((await get(pathname)).status).toBe(404), { timeout: 15_000, interval: 250 });
    expect((await get('/api/v1/datasets/hapus-api/facets?_facet=kecamatan')).status).toBe(404);
  });

  test('?version=current and an old ETag after a new version: the new rows, and a 200 (never a 304 for the old bytes)', async () => {
    const pathname = '/api/v1/datasets/versi-api/rows?version=current';
    const before = await get(pathname);
    await keep(pathname);
    await publishTestVersion(dataDir, { id: 'versi-api', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Regol', jumlah_penduduk: 2 }], metadata: { title: 'Versi API' } });
    await vi.waitFor(async () => expect((await get(pathname)).text).toContain('"jumlah_penduduk":2'), { timeout: 15_000, interval: 250 });
    const conditional = await get(pathname, { 'if-none-match': before.headers.get('etag')! });
    expect(conditional.status).toBe(200);
    expect(conditional.text).toContain('"jumlah_penduduk":2');
  });
});

describe('another origin, host, https or language', () => {
  test('forged Host, X-Forwarded-Host and -Proto from an untrusted peer never put another site into a kept answer', async () => {
    const pathname = unkept('publik-api', 'limit=2');
    const forged = [
      `Host: evil.example`,
      `Host: ${host()}\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\nX-Forwarded-For: 127.0.0.1`,
      `Host: ${host()}\r\nForwarded: host=evil.example;proto=https`,
      `Host: evil.example:${new URL(server.url).port}`,
    ];
    for (const headers of forged) {
      for (let i = 0; i < 3; i++) {
        const answer = await raw(`GET ${pathname} HTTP/1.1\r\n${headers}\r\nConnection: close\r\n\r\n`);
        expect(answer).not.toContain('evil.example');
        expect(headerOf(answer, 'strict-transport-security')).toBeNull();
      }
    }
    const reader = await get(pathname);
    const next = (JSON.parse(reader.text) as { next: string }).next;
    expect(next.startsWith(`${server.url}/api/v1/datasets/publik-api/rows?`)).toBe(true);
    expect(reader.headers.get('strict-transport-security')).toBeNull();
  });

  test('localhost and 127.0.0.1 each get next links on their own origin, kept apart', async () => {
    const pathname = unkept('publik-api', 'limit=2');
    const port = new URL(server.url).port;
    const ask = (name: string) => raw(`GET ${pathname} HTTP/1.1\r\nHost: ${name}:${port}\r\nConnection: close\r\n\r\n`);
    for (let i = 0; i < 3; i++) await ask('localhost');
    const other = await ask('127.0.0.1');
    expect(JSON.parse(bodyOf(other)).next).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/`));
    expect(JSON.parse(bodyOf(await ask('localhost'))).next).toMatch(new RegExp(`^http://localhost:${port}/`));
  });

  test('an Origin header never shapes the kept CORS headers', async () => {
    const pathname = unkept();
    for (let i = 0; i < 3; i++) await get(pathname, { origin: 'https://evil.example' });
    for (const headers of [{}, { origin: 'https://lain.example' }] as Record<string, string>[]) {
      const answer = await get(pathname, headers);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
      expect(JSON.stringify([...answer.headers])).not.toContain('evil.example');
    }
  });

  test('lang cookie variants: an error answer is in the caller’s language, never a kept one in the other', async () => {
    const pathname = unkept('publik-api', 'limit=abc');
    for (let i = 0; i < 3; i++) expect((await get(pathname, { cookie: 'lang=id' })).status).toBe(400);
    const en = JSON.parse((await get(pathname, { cookie: 'lang=en' })).text) as { error: { message: string } };
    const id = JSON.parse((await get(pathname, { cookie: 'lang=id' })).text) as { error: { message: string } };
    expect(en.error.message).not.toBe(id.error.message);
    // a kept 200 under lang=en is the same data for lang=id, and each language has its own entry
    const ok = unkept();
    await keep(ok);
    const english = await get(ok, { cookie: 'lang=en' });
    expect(english.headers.get('x-cache')).toBeNull();
    expect(english.text).toBe((await get(ok)).text);
  });
});

describe('conditional requests, HEAD, OPTIONS', () => {
  test('a kept answer with a matching If-None-Match (exact, weak, in a list, *) is a 304 with no body', async () => {
    const pathname = unkept();
    const first = await get(pathname);
    await keep(pathname);
    const etag = first.headers.get('etag')!;
    for (const inm of [etag, `W/${etag}`, `"x", ${etag}`, '*']) {
      const answer = await raw(`GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nIf-None-Match: ${inm}\r\nConnection: close\r\n\r\n`);
      expect(answer, inm).toMatch(/^HTTP\/1\.1 304 /);
      expect(bodyOf(answer), inm).toBe('');
    }
    // an empty If-None-Match is no condition: the whole answer
    const empty = await raw(`GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nIf-None-Match: \r\nConnection: close\r\n\r\n`);
    expect(empty).toMatch(/^HTTP\/1\.1 200 /);
    expect(JSON.parse(bodyOf(empty)).rows).toHaveLength(3);
  });

  test('a 304 on the keeping ask keeps nothing wrong: the next plain caller gets the whole answer', async () => {
    const pathname = unkept();
    const first = await get(pathname);
    const conditional = await get(pathname, { 'if-none-match': first.headers.get('etag')! });
    expect(conditional.status).toBe(304);
    for (let i = 0; i < 3; i++) {
      const plain = await get(pathname);
      expect(plain.status).toBe(200);
      expect(plain.text).toBe(first.text);
    }
  });

  test('concurrent callers sharing one keeping render, half conditional: each gets its own 304 or whole 200', async () => {
    const pathname = unkept();
    const first = await get(pathname);
    const etag = first.headers.get('etag')!;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => get(pathname, i % 2 === 0 ? { 'if-none-match': etag } : {})));
    answers.forEach((answer, i) => {
      if (i % 2 === 0) expect([answer.status, answer.text], `caller ${i}`).toEqual([304, '']);
      else expect([answer.status, answer.text], `caller ${i}`).toEqual([200, first.text]);
    });
  });

  test('HEAD on a kept answer: headers, no body, and the next request on the same socket is read right', async () => {
    const pathname = unkept();
    await keep(pathname);
    const answer = await raw(`HEAD ${pathname} HTTP/1.1\r\nHost: ${host()}\r\n\r\nGET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '200']);
    expect(answer.match(/"rows":/g)).toHaveLength(1);
    expect((await get(pathname)).headers.get('x-cache')).toBe('HIT');
  });

  test('an OPTIONS preflight on a kept path is the preflight, not the kept rows', async () => {
    const pathname = unkept();
    await keep(pathname);
    const answer = await anonymous.request(pathname, { method: 'OPTIONS', headers: { origin: 'https://lain.example', 'access-control-request-method': 'GET' } });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect(answer.headers.get('access-control-allow-methods')).toContain('GET');
  });
});

describe('paths and query strings', () => {
  test('percent-encoded, upper-case, double-slash and trailing-slash variants never give another dataset’s or a restricted answer', async () => {
    await keep('/api/v1/datasets/publik-api/rows?limit=1');
    const plain = JSON.parse((await get('/api/v1/datasets/publik-api/rows?limit=1')).text) as { rows: unknown[] };
    for (const variant of [
      '/api/v1/datasets/%72ahasia-api/rows?limit=1',
      '/api/v1/datasets/rahasia%2Dapi/rows?limit=1',
      '/api/v1/datasets/RAHASIA-API/rows?limit=1',
      '/api/v1/datasets/rahasia-api/rows/?limit=1',
      '/api/v1/datasets/rahasia-api//rows?limit=1',
      '//api/v1/datasets/rahasia-api/rows?limit=1',
      '/api/v1/datasets/rahasia-api/%72ows?limit=1',
      '/api/v1/datasets/publik-api/../rahasia-api/rows?limit=1',
    ]) {
      for (let i = 0; i < 3; i++) {
        const answer = await raw(`GET ${variant} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
        expect(answer, variant).not.toContain(String(SECRET));
        expect(answer, variant).not.toMatch(/x-cache: HIT/i);
      }
    }
    for (const variant of ['/api/v1/datasets/%70ublik-api/rows?limit=1', '/API/v1/datasets/publik-api/rows?limit=1', '/api/v1/datasets/publik-api/rows/?limit=1']) {
      const answer = await raw(`GET ${variant} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
      if (answer.startsWith('HTTP/1.1 200 ')) expect(JSON.parse(bodyOf(answer)).rows, variant).toEqual(plain.rows);
    }
  });

  test('duplicated parameters and encoded names: each key gets the answer its own query asks for', async () => {
    const n = ++fresh;
    const cases: [string, number][] = [
      [`limit=2&limit=5&jumlah_penduduk__gte=-${n}`, 2],
      [`limit=5&limit=2&jumlah_penduduk__gte=-${n}`, 5],
      [`lim%69t=4&jumlah_penduduk__gte=-${n}`, 4],
      [`limit=%34&jumlah_penduduk__gte=-${n}`, 4],
      [`limit=3&jumlah_penduduk__gte=-${n}#limit=7`, 3],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [query, expected] of cases) {
        const answer = await raw(`GET /api/v1/datasets/publik-api/rows?${query} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
        expect(JSON.parse(bodyOf(answer)).rows, `${query} round ${round}`).toHaveLength(expected);
      }
    }
    // characters the URL parser escapes (quote, <, >, space-less oddities): the kept answer is the one asked for
    const odd = ["kecamatan='Andir'", 'kecamatan=<Andir>', 'kecamatan="Andir"', 'kecamatan=Andir%00'];
    for (let round = 0; round < 3; round++) {
      for (const query of odd) {
        const answer = await raw(`GET /api/v1/datasets/publik-api/rows?${query}&jumlah_penduduk__gte=-${n} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
        const fresh = await raw(`GET /api/v1/datasets/publik-api/rows?${query}&jumlah_penduduk__gte=-${n}&jumlah_penduduk__lt=${100_000 + round} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
        const [kept, own] = [JSON.parse(bodyOf(answer)), JSON.parse(bodyOf(fresh))] as { rows: unknown[]; total: number }[];
        expect([kept!.total, kept!.rows], query).toEqual([own!.total, own!.rows]);
      }
    }
  });

  test('Accept-Encoding never changes what is kept: no encoded body for a caller that did not ask for one', async () => {
    const pathname = unkept();
    for (let i = 0; i < 3; i++) await get(pathname, { 'accept-encoding': 'gzip, br' });
    const answer = await raw(`GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`);
    expect(headerOf(answer, 'content-encoding')).toBeNull();
    expect(JSON.parse(bodyOf(answer)).rows).toHaveLength(3);
  });

  test('/versions/<v>/rows is not kept (its own route), and a pinned restricted version is a 404', async () => {
    const detail = JSON.parse((await official.get('/api/v1/datasets/rahasia-api')).text) as { version: string };
    for (let i = 0; i < 3; i++) {
      const answer = await get(`/api/v1/datasets/rahasia-api/versions/${detail.version}/rows`);
      expect(answer.status).toBe(404);
      expect(answer.text).not.toContain(String(SECRET));
      await official.get(`/api/v1/datasets/rahasia-api/versions/${detail.version}/rows`);
    }
    expect((await get(`/api/v1/datasets/rahasia-api/rows?version=${detail.version}`)).status).toBe(404);
  });
});

describe('memory and the raw socket', () => {
  test('long keys count against the 16 MB budget: a flood of ~8 KB query strings drops the oldest, not unbounded', async () => {
    const pad = 'x'.repeat(8000);
    const first = `/api/v1/datasets/publik-api/rows?limit=1&kecamatan__ne=${pad}&jumlah_penduduk__gte=-1`;
    await keep(first);
    // ~1,200 kept answers of ~16 KB of key each: past 16 MB
    const ask = (n: number) => fetch(`${server.url}/api/v1/datasets/publik-api/rows?limit=1&kecamatan__ne=${pad}&jumlah_penduduk__gte=-${n + 1}`).then((r) => r.arrayBuffer());
    for (let start = 1; start <= 1200; start += 50) {
      for (let twice = 0; twice < 2; twice++) await Promise.all(Array.from({ length: 50 }, (_, i) => ask(start + i)));
    }
    expect((await get(first)).headers.get('x-cache'), 'the oldest long-key answer was dropped').toBeNull();
  }, 120_000);

  test('a flood of 20,000 filters asked once: the asked set stays bounded (an older ask is forgotten, not kept for ever)', async () => {
    const pathname = unkept();
    await get(pathname);
    // unknown datasets answer 404 at once, yet each new key is remembered as asked (ASKED_MAX is 20,000)
    const ask = (n: number) => fetch(`${server.url}/api/v1/datasets/tidak-ada/rows?jumlah_penduduk__gte=-${n}`).then((r) => r.arrayBuffer());
    for (let start = 0; start < 20_000; start += 100) await Promise.all(Array.from({ length: 100 }, (_, i) => ask(start + i)));
    // the first ask was forgotten: this one counts as a first again, so the next is not yet from memory
    await get(pathname);
    expect((await get(pathname)).headers.get('x-cache')).toBeNull();
    expect((await get(pathname)).headers.get('x-cache')).toBe('HIT');
  }, 180_000);

  test('pipelined kept, restricted-by-cookie and kept requests: each its own answer, in order, nothing restricted kept', async () => {
    const pathname = unkept();
    await keep(pathname);
    const cookie = `${SESSION_COOKIE}=${official.cookies.get(SESSION_COOKIE)}`;
    const secret = '/api/v1/datasets/rahasia-api/rows?limit=1';
    const answer = await raw(
      `GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\n\r\n` +
        `GET ${secret} HTTP/1.1\r\nHost: ${host()}\r\nCookie: ${cookie}\r\n\r\n` +
        `GET ${secret} HTTP/1.1\r\nHost: ${host()}\r\nCookie: ${cookie}\r\n\r\n` +
        `GET ${secret} HTTP/1.1\r\nHost: ${host()}\r\n\r\n` +
        `GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`,
    );
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '200', '200', '404', '200']);
    expect((await get(secret)).status).toBe(404);
  });

  test('a body smuggled after a kept GET (Content-Length, chunked) is never answered as a second request', async () => {
    const pathname = unkept();
    await keep(pathname);
    const inner = `GET /api/v1/datasets/rahasia-api/rows?limit=1 HTTP/1.1\r\nHost: ${host()}\r\n\r\n`;
    const withLength = await raw(`GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: ${inner.length}\r\nConnection: close\r\n\r\n${inner}`);
    expect(withLength).not.toContain(String(SECRET));
    expect(withLength.match(/HTTP\/1\.1 \d{3} /g)?.length).toBe(1);
    const chunk = `${inner.length.toString(16)}\r\n${inner}\r\n0\r\n\r\n`;
    const chunked = await raw(`GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}`);
    expect(chunked).not.toContain(String(SECRET));
    expect(chunked.match(/HTTP\/1\.1 \d{3} /g)?.length).toBe(1);
    const both = await raw(`GET ${pathname} HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}`);
    expect(both).not.toContain(String(SECRET));
    expect(both).not.toMatch(/^HTTP\/1\.1 200 /);
  });
});
