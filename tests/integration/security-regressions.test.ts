import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { safeNext } from '../../src/lib/auth/pages.ts';
import { startApiFixture, type ApiFixture } from './api-v1-fixture.ts';

/** Findings of the security review, each kept fixed by a test. */
let f: ApiFixture;

beforeAll(async () => {
  f = await startApiFixture();
});

afterAll(async () => {
  await f?.server.stop();
});

const crossSite = { origin: 'https://jahat.example', 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' };

describe('security regressions', () => {
  test.each(['/api/v1/sql?_action=auth.login', '/api/3/action/package_list?_action=auth.login', '/api/v1/tidak-ada?_action=auth.signup'])(
    'a cross-site form action through an API path (%s) is refused: no login CSRF',
    async (path) => {
      const response = await fetch(`${f.server.url}${path}`, {
        method: 'POST',
        headers: crossSite,
        body: new URLSearchParams({ email: 'penyerang@jahat.example', password: 'kata-sandi-penyerang-123', name: 'x' }),
        redirect: 'manual',
      });
      expect(response.status).toBe(403);
      expect(response.headers.getSetCookie().join(';')).not.toContain('kt_session');
    },
  );

  test('a cookie-less script may still POST to the API from anywhere (no Origin check for it)', async () => {
    const response = await fetch(`${f.server.url}/api/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ sql: 'SELECT 1 AS satu' }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).rows).toEqual([{ satu: 1 }]);
  });

  test('a request body over 1 MB is refused without being read (413, the API error shape)', async () => {
    const response = await fetch(`${f.server.url}/api/v1/sql?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: `SELECT '${'x'.repeat(2 * 1024 * 1024)}'` }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toEqual({ status: 413, code: 'body_too_large', message: 'the request body is larger than 1048576 bytes' });
  });

  test.each([
    ['/\t/evil.example', '/account'],
    ['/\r/evil.example', '/account'],
    ['//evil.example', '/account'],
    ['/\\evil.example', '/account'],
    ['https://evil.example/', '/account'],
    // Issue 8 finding 3: these normalise to //evil.example.
    ['/.//evil.example', '/account'],
    ['/..//evil.example', '/account'],
    ['/a/..//evil.example/x', '/account'],
    ['/%2F/evil.example', '/account'],
    ['/%5C/evil.example', '/account'],
    ['/datasets?q=x#hasil', '/datasets?q=x#hasil'],
    ['/a/../datasets', '/datasets'],
  ])('after log-in, next=%j goes to %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  test('non-HTML responses load nothing and run nothing when opened directly', async () => {
    for (const path of ['/api/v1/datasets', '/api/v1/openapi.json', '/sitemap.xml', '/theme.css']) {
      const response = await fetch(`${f.server.url}${path}`);
      expect(response.headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const page = await fetch(`${f.server.url}/datasets`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });

  test('user SQL is rate-limited per address, GET included, with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${f.server.url}/api/v1/sql?sql=${encodeURIComponent('SELECT 1')}`);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(25);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
