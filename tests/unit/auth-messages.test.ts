import { expect, test } from 'vitest';
import { allDictionaries, t } from '../../src/lib/i18n/index.ts';
import { FAILURE_CODES } from '../../src/lib/server/auth/account.ts';
import { AUDIT_EVENTS } from '../../src/lib/server/audit/audit.ts';
import { TOKEN_SCOPES } from '../../src/lib/server/auth/authorization.ts';
import { GRANTED_ROLES } from '../../src/lib/server/auth/roles.ts';
import { displayName } from '../../src/lib/server/auth/user.ts';

test('the auth messages have the same keys in both languages', () => {
  const { id, en } = allDictionaries.auth!;
  expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
});

test('every key the pages build from a value exists', () => {
  const { id } = allDictionaries.auth!;
  const keys = [
    ...FAILURE_CODES.map((c) => `auth.error.${c}`),
    ...['participant', ...GRANTED_ROLES].map((r) => `auth.role.${r}`),
    ...TOKEN_SCOPES.map((s) => `auth.scope.${s}`),
    ...['name', 'email', 'password', 'current', 'token', 'scopes'].map((f) => `auth.invalid.${f}`),
  ];
  expect(keys.filter((k) => !(k in id))).toEqual([]);
  expect(AUDIT_EVENTS.length).toBeGreaterThan(0);
});

test('a deleted account is shown as "deleted user"', () => {
  expect(displayName({ name: '', deleted: true }, 'id')).toBe('pengguna terhapus');
  expect(displayName(null, 'en')).toBe('deleted user');
  expect(displayName({ name: 'Siti', deleted: false }, 'en')).toBe('Siti');
  expect(t('en', 'auth.error.rate_limited', { seconds: 3 })).toBe('Too many attempts. Try again in 3 seconds.');
});
