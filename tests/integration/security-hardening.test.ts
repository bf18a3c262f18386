import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser } from './auth-helpers.ts';

/**
 * Issue 8's findings 2, 3, 13 and 15 against the real server, each as an outsider would try it. Two servers on one
 * lake: `open`, as the embedded demo runs (no portal_url, no proxy), and `proxied`, as a city runs it behind a
 * TLS-terminating proxy (portal_url set, 127.0.0.1 trusted to forward).
 */
let root: string;
let open: TestServer;
let proxied: TestServer;
const PORTAL = 'https://data.kota.example';
const USER = { email: 'warga@kota.test', name: 'Warga Kota', password: 'kuda lari di sawah' };

beforeAll(async () => {
  root = makeTempDir('kota-hardening-');
  // Each server has its own data folder (one DuckDB writer per folder) with the same dataset and account.
  const [openData, proxiedData] = [path.join(root, 'data'), path.join(root, 'data-proxied')];
  for (const dataDir of [openData, proxiedData]) {
    await publishTestVersion(dataDir, { id: 'penduduk-kecamatan', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }] });
    seedUser(dataDir, USER);
  }
  const config = path.join(root, 'kota.config.yaml');
  writeFileSync(config, readFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), 'utf8').replace('# portal_url: https://data.bandung.go.id', `portal_url: ${PORTAL}`));
  const pipelines = path.join(root, 'pipelines');
  [open, proxied] = await Promise.all([
    // Limits refill 20 times faster here (the redirect list logs in 40 times); the SQL limit still bites.
    startTestServer({ dataDir: openData, env: { PIPELINES_DIR: pipelines, AUTH_RATE_LIMIT_SCALE: '0.05' } }),
    startTestServer({ dataDir: proxiedData, env: { PIPELINES_DIR: pipelines, KOTA_CONFIG: config, KOTA_TRUSTED_PROXIES: '127.0.0.1, ::1' } }),
  ]);
});

afterAll(async () => {
  await Promise.all([open?.stop(), proxied?.stop()]);
  removeDir(root);
});

/** A request with headers fetch() will not let us set (Host), and the body as a stream we control. */
function raw(server: TestServer, pathname: string, options: { method?: string; headers?: Record<string, string>; bodyBytes?: number } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; sent: number }> {
  const url = new URL(pathname, server.url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), sent });
        req.destroy();
      });
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    if (!options.bodyBytes) return void req.end();
    // Streams `bodyBytes` of form data as fast as the server takes it, and stops as soon as it answers.
    const chunk = Buffer.alloc(1 << 20, 'a');
    const pump = () => {
      while (!answered && sent < options.bodyBytes!) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.write('email=x%40kota.test&password=');
    pump();
  });
}

/** Sends requests until one is refused for the rate (at most 300); returns the last status. */
async function untilLimited(send: (i: number) => Promise<{ status: number }>): Promise<number> {
  let status = 0;
  for (let i = 0; i < 300 && status !== 429; i++) status = (await send(i)).status;
  return status;
}

function residentMb(server: TestServer): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

const sameOrigin = (server: TestServer) => ({ 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: server.url });

describe('finding 2: request bodies are bounded everywhere, pages included', () => {
  test.each(['/login?_action=auth.login', '/signup?_action=auth.signup'])('a declared 200 MB form post to %s is a 413 before any of it is read', async (pathname) => {
    const before = residentMb(open);
    const reply = await raw(open, pathname, { method: 'POST', headers: { ...sameOrigin(open), 'content-length': String(200 * 1024 * 1024) }, bodyBytes: 200 * 1024 * 1024 });
    expect(reply.status).toBe(413);
    expect(reply.text).toMatch(/Kiriman terlalu besar: 200 MB, maksimal 1 MB/);
    expect(reply.sent).toBeLessThan(200 * 1024 * 1024);
    expect(residentMb(open) - before).toBeLessThan(100);
  });

  test('four parallel 200 MB chunked form posts (no Content-Length) cannot grow the server', async () => {
    const before = residentMb(open);
    const replies = await Promise.all(
      Array.from({ length: 4 }, (_, i) => raw(open, i % 2 ? '/signup?_action=auth.signup' : '/login?_action=auth.login', { method: 'POST', headers: { ...sameOrigin(open), 'transfer-encoding': 'chunked' }, bodyBytes: 200 * 1024 * 1024 })),
    );
    // A form post must declare its length (browsers always do), so none of these is read at all.
    for (const reply of replies) {
      expect(reply.status).toBe(411);
      expect(reply.text).toContain('Content-Length');
    }
    expect(residentMb(open) - before).toBeLessThan(150);
    // And it still serves.
    expect((await open.get('/login')).status).toBe(200);
  });

  test('the rest of a refused body is never read, and the sender still gets the answer: no reset while it sends (lingering close)', async () => {
    const total = 200 * 1024 * 1024;
    const outcome = await new Promise<{ status: number; written: number; allSent: boolean; error?: string }>((resolve) => {
      let status = 0;
      let written = 0;
      const req = httpRequest(new URL('/login?_action=auth.login', open.url), { method: 'POST', agent: false, headers: { ...sameOrigin(open), 'content-length': String(total) } });
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        res.resume();
      });
      // Every byte accepted means the server drained the body; an error or close before that means it did not.
      req.on('finish', () => resolve({ status, written, allSent: true }));
      // Destroying the socket as soon as the answer is written made this client fail with EPIPE mid-send, and on a
      // loaded machine lose the answer itself.
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ status, written, allSent: false, error: error.code ?? error.message }));
      req.on('close', () => resolve({ status, written, allSent: false }));
      const chunk = Buffer.alloc(1 << 20, 'a');
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(outcome.status, 'the answer reached the client before the connection closed').toBe(413);
    expect(outcome.error).toBeUndefined();
    expect(outcome.allSent).toBe(false);
    expect(outcome.written).toBeLessThan(total / 2);
  });

  test('a chunked post to a page (not an action, not the API) is refused unread with 411', async () => {
    const page = await raw(open, '/logout', { method: 'POST', headers: { ...sameOrigin(open), 'transfer-encoding': 'chunked' }, bodyBytes: 8 * 1024 * 1024 });
    expect(page.status).toBe(411);
    expect(page.text).toContain('Content-Length');
  });

  test('a failed log-in shows the form again with the e-mail filled in, from the action, not by re-reading the body', async () => {
    const reply = await new Client(open.url).post('/login?_action=auth.login', { email: USER.email, password: 'bukan sandinya ya' });
    expect(reply.status).toBe(401);
    expect(reply.text).toContain(`value="${USER.email}"`);
    expect(reply.text).not.toContain('bukan sandinya ya');
    const signup = await new Client(open.url).post('/signup?_action=auth.signup', { name: 'Budi', email: 'budi@kota.test', password: 'password1' });
    expect(signup.status).toBe(400);
    expect(signup.text).toContain('value="Budi"');
    expect(signup.text).toContain('value="budi@kota.test"');
  });
});

/** Where an outsider would like the log-in to send the user next. */
const REDIRECTS = [
  '/.//evil.example',
  '/..//evil.example',
  '/a/..//evil.example/x',
  '/./..//evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/ /evil.example',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '/%5C/evil.example',
  '/.%2F/evil.example',
  'https://evil.example/',
  'http:/evil.example',
  'javascript:alert(1)',
  ' //evil.example',
];

function safeLocation(location: string | null): void {
  expect(location).not.toBeNull();
  // The browser resolves Location against our own page: the result must stay on our origin.
  expect(new URL(location!, 'http://kota.test/login').origin).toBe('http://kota.test');
  expect(location).toMatch(/^\/(?![/\\])/);
}

describe('finding 3: no open redirect after log-in', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client(open.url);
    await client.logIn(USER.email, USER.password);
  });

  test.each(REDIRECTS)('next=%j, signed in: the redirect stays on this site', async (next) => {
    const reply = await client.get(`/login?next=${encodeURIComponent(next)}`);
    expect(reply.status).toBe(302);
    safeLocation(reply.location);
  });

  test.each(REDIRECTS)('next=%j, on the log-in post: the redirect stays on this site', async (next) => {
    const logIn = () => new Client(open.url).post(`/login?next=${encodeURIComponent(next)}&_action=auth.login`, { email: USER.email, password: USER.password });
    let reply = await logIn();
    // Twenty payloads log in as one person from one address: when the (scaled) log-in limit says wait, wait.
    if (reply.status === 429) {
      await new Promise((r) => setTimeout(r, Number(reply.headers.get('retry-after') ?? 1) * 1000 + 100));
      reply = await logIn();
    }
    expect(reply.status).toBe(303);
    safeLocation(reply.location);
  });

  test('a local path with a query and a fragment is kept', async () => {
    expect((await client.get(`/login?next=${encodeURIComponent('/datasets?q=x#hasil')}`)).location).toBe('/datasets?q=x#hasil');
  });
});

/** Everything that builds absolute URLs, which shared caches may keep. */
const ABSOLUTE_URL_PAGES = [
  '/api/v1/datasets',
  '/api/v1/datasets/penduduk-kecamatan',
  '/api/v1/datasets/penduduk-kecamatan/rows?limit=1',
  '/api/v1/organizations',
  '/api/v1/topics',
  '/api/v1/openapi.json',
  '/api/v1/queries',
  '/robots.txt',
  '/sitemap.xml',
  '/catalog.jsonld',
  '/datasets/penduduk-kecamatan.jsonld',
  '/datasets/penduduk-kecamatan/datapackage.json',
  '/api/3/action/package_show?id=penduduk-kecamatan',
  '/api/action/package_search?q=penduduk',
  '/api/3/action/datastore_search?resource_id=penduduk-kecamatan.csv',
  // Pages: canonical and Open Graph URLs in the head, code snippets, the printed source line.
  '/',
  '/datasets',
  '/datasets/penduduk-kecamatan',
  '/api-docs',
];

describe('finding 13: the Host header is never reflected', () => {
  test.each(ABSOLUTE_URL_PAGES)('%s with a forged Host and X-Forwarded-Host names no other site', async (pathname) => {
    for (const server of [open, proxied]) {
      const reply = await raw(server, pathname, { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
      expect(reply.status, `${server === open ? 'open' : 'proxied'} ${pathname}`).toBeLessThan(400);
      expect(reply.text).not.toContain('evil.example');
    }
  });

  test('with city.portal_url, absolute URLs use it', async () => {
    const reply = await raw(proxied, '/api/v1/openapi.json', { headers: { host: 'evil.example' } });
    expect(JSON.parse(reply.text).servers).toEqual([{ url: PORTAL }]);
    expect((await raw(proxied, '/robots.txt')).text).toContain(`Sitemap: ${PORTAL}/sitemap.xml`);
  });

  test('without it, a request to this machine keeps its own address; any other Host gets the local one', async () => {
    expect(JSON.parse((await open.get('/api/v1/openapi.json')).text).servers).toEqual([{ url: open.url }]);
    const port = new URL(open.url).port;
    expect((await raw(open, '/robots.txt', { headers: { host: 'evil.example' } })).text).toContain(`Sitemap: http://localhost:${port}/sitemap.xml`);
  });

  test('X-Forwarded-For counts only from a trusted proxy: per-address SQL limits hold behind it and cannot be dodged without it', async () => {
    const sql = (server: TestServer, forwardedFor: string) => raw(server, `/api/v1/sql?sql=${encodeURIComponent('SELECT 1')}`, { headers: { 'x-forwarded-for': forwardedFor } });
    // Directly connected, a client that rotates X-Forwarded-For is still one address.
    expect(await untilLimited((i) => sql(open, `203.0.113.${i % 250}`))).toBe(429);
    // Behind the trusted proxy, the address the proxy saw is the client: one is limited, another is not.
    expect(await untilLimited(() => sql(proxied, '198.51.100.7, 127.0.0.1'))).toBe(429);
    // A client cannot pick its address by prepending one: the right-most untrusted hop counts. Asked right after the
    // limit was reached, before the bucket can refill on a slow machine.
    expect((await sql(proxied, '10.9.9.9, 198.51.100.7')).status).toBe(429);
    expect((await sql(proxied, '198.51.100.8')).status).toBe(200);
  });

  test('behind a TLS proxy the session cookie is Secure, HSTS is sent, and forms from the public origin pass the CSRF check', async () => {
    const reply = await fetch(`${proxied.url}/login?_action=auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: PORTAL, 'x-forwarded-proto': 'https' },
      body: new URLSearchParams({ email: USER.email, password: USER.password }),
      redirect: 'manual',
    });
    expect(reply.status).toBe(303);
    expect(reply.headers.getSetCookie().find((c) => c.startsWith('kt_session='))).toMatch(/; Secure/i);
    expect(reply.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const plain = await new Client(open.url).post('/login?_action=auth.login', { email: USER.email, password: USER.password });
    expect(plain.headers.getSetCookie().find((c) => c.startsWith('kt_session='))).not.toMatch(/; Secure/i);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('finding 15: the SQL endpoints refuse in their own error shapes; pages have default-src', () => {
  test('429 from /api/v1/sql is the API error shape and from datastore_search_sql CKAN\'s, with Retry-After', async () => {
    let api: Awaited<ReturnType<typeof raw>> | undefined;
    await untilLimited(async () => (api = await raw(open, `/api/v1/sql?sql=${encodeURIComponent('SELECT 1')}&lang=en`)));
    expect(api!.status).toBe(429);
    expect(api!.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(api!.text).error).toMatchObject({ status: 429, code: 'rate_limited', message: expect.stringMatching(/^too many requests; try again in \d+ s$/) });
    expect(Number(api!.headers['retry-after'])).toBeGreaterThan(0);
    let ckan: Awaited<ReturnType<typeof raw>> | undefined;
    await untilLimited(async () => (ckan = await raw(open, `/api/action/datastore_search_sql?sql=${encodeURIComponent('SELECT 1')}`)));
    expect(ckan!.status).toBe(429);
    expect(JSON.parse(ckan!.text)).toMatchObject({ success: false, error: { __type: 'Rate Limit Error', message: expect.stringMatching(/too many requests/) } });
    expect(Number(ckan!.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('every page has a default-src in its CSP', async () => {
    for (const pathname of ['/', '/datasets', '/login', '/sql']) {
      const csp = (await open.get(pathname)).headers.get('content-security-policy') ?? '';
      expect(csp, pathname).toMatch(/(^|; )default-src 'self'/);
      expect(csp, pathname).toMatch(/script-src /);
    }
  });
});
