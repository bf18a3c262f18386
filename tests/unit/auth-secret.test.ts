import { describe, expect, test } from 'vitest';
import { hashSecret, randomId, secretMatches, splitToken } from '../../src/lib/server/auth/secret.ts';
import { crossSiteRejection, needsCrossSiteCheck } from '../../src/lib/server/http/csrf.ts';
import { mergeCsp } from '../../src/lib/server/http/headers.ts';

describe('secretMatches (constant-time comparison of a secret with its stored hash)', () => {
  const secret = randomId(20);
  const stored = hashSecret(secret);

  test('accepts the right secret', () => {
    expect(secretMatches(secret, stored)).toBe(true);
  });

  test('rejects a wrong secret of the same length', () => {
    const wrong = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
    expect(wrong).toHaveLength(secret.length);
    expect(secretMatches(wrong, stored)).toBe(false);
  });

  test('rejects other lengths, an empty secret and a malformed stored hash', () => {
    expect(secretMatches(secret + 'a', stored)).toBe(false);
    expect(secretMatches('', stored)).toBe(false);
    expect(secretMatches(secret, stored.slice(2))).toBe(false);
    expect(secretMatches(secret, 'zz' + stored.slice(2))).toBe(false);
  });

  test('never stores the secret itself', () => {
    expect(stored).not.toContain(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('splitToken', () => {
  test.each([
    ['abcdefgh.abcdefghijklmnop', '', { id: 'abcdefgh', secret: 'abcdefghijklmnop' }],
    ['kt_abcdefgh.abcdefghijklmnop', 'kt_', { id: 'abcdefgh', secret: 'abcdefghijklmnop' }],
  ])('%s', (token, prefix, expected) => {
    expect(splitToken(token, prefix)).toEqual(expected);
  });

  test.each(['', 'abcdefgh', 'abcdefgh.', '.abcdefghijklmnop', 'a.b.c', 'ABCDEFGH.abcdefghijklmnop', 'abcdefgh.abcdefghijklmnop.x', "abcdefgh.abcdefghijklmnop'--"])(
    'rejects %j',
    (token) => {
      expect(splitToken(token)).toBeNull();
    },
  );

  test('a token without the API prefix is not an API token', () => {
    expect(splitToken('abcdefgh.abcdefghijklmnop', 'kt_')).toBeNull();
  });
});

describe('crossSiteRejection', () => {
  const site = 'http://localhost:4321';
  const req = (method: string, headers: Record<string, string>) => new Request(`${site}/account`, { method, headers });

  test('lets reads through whatever their origin', () => {
    expect(crossSiteRejection(req('GET', { 'sec-fetch-site': 'cross-site' }), [site])).toBeNull();
  });

  test.each(['cross-site', 'same-site'])('refuses a POST with Sec-Fetch-Site: %s', (value) => {
    expect(crossSiteRejection(req('POST', { 'sec-fetch-site': value }), [site])).toContain(value);
  });

  test.each(['same-origin', 'none'])('accepts a POST with Sec-Fetch-Site: %s', (value) => {
    expect(crossSiteRejection(req('POST', { 'sec-fetch-site': value }), [site])).toBeNull();
  });

  test('falls back on Origin when Sec-Fetch-Site is absent', () => {
    expect(crossSiteRejection(req('POST', { origin: 'https://evil.example' }), [site])).toContain('evil.example');
    expect(crossSiteRejection(req('DELETE', { origin: site }), [site])).toBeNull();
    expect(crossSiteRejection(req('POST', {}), [site])).toBeNull();
  });
});

describe('mergeCsp', () => {
  test('adds missing directives to Astro’s policy and keeps its own', () => {
    const astro = "script-src 'self' 'sha256-abc'; style-src 'self' 'sha256-def';";
    expect(mergeCsp(astro, "frame-ancestors 'none'; object-src 'none'")).toBe(
      "script-src 'self' 'sha256-abc'; style-src 'self' 'sha256-def'; frame-ancestors 'none'; object-src 'none'",
    );
    expect(mergeCsp("frame-ancestors 'self'", "frame-ancestors 'none'")).toBe("frame-ancestors 'self'");
  });
});

describe('needsCrossSiteCheck', () => {
  const check = (method: string, path: string, headers: Record<string, string> = {}, cookie = false) =>
    needsCrossSiteCheck(new Request(`http://x${path}`, { method, headers }), new URL(`http://x${path}`), cookie);

  test('pages and actions are always checked, signed in or not (log-in CSRF)', () => {
    expect(check('POST', '/login')).toBe(true);
    expect(check('POST', '/_actions/auth.login')).toBe(true);
    expect(check('POST', '/account', {}, true)).toBe(true);
  });

  test('the public API is checked only when it carries the session cookie', () => {
    expect(check('POST', '/api/v1/sql')).toBe(false);
    expect(check('POST', '/api/v1/sql', {}, true)).toBe(true);
  });

  test('Bearer requests and reads are not checked', () => {
    expect(check('POST', '/account', { authorization: 'Bearer kt_x.y' }, true)).toBe(false);
    expect(check('GET', '/account', {}, true)).toBe(false);
  });
});
