import { expect, test } from 'vitest';
import { formStatus, loginUrl, safeNext } from '../../src/lib/auth/pages.ts';

test.each([
  ['/admin', '/admin'],
  ['/account?tab=tokens', '/account?tab=tokens'],
  [null, '/account'],
  ['', '/account'],
  ['https://evil.example/', '/account'],
  ['//evil.example/', '/account'],
  ['/\\evil.example', '/account'],
  ['javascript:alert(1)', '/account'],
])('safeNext(%j) → %s', (value, expected) => {
  expect(safeNext(value)).toBe(expected);
});

test('loginUrl keeps the page to come back to', () => {
  expect(loginUrl(new URL('http://x/admin/audit?event=role.grant'))).toBe('/login?next=%2Fadmin%2Faudit%3Fevent%3Drole.grant');
});

test('formStatus answers with the first error’s status', () => {
  expect(formStatus(undefined, { error: undefined })).toBe(200);
  expect(formStatus(undefined, { error: { status: 429 } }, { error: { status: 400 } })).toBe(429);
});
