import { describe, expect, test } from 'vitest';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../src/lib/server/auth/password.ts';

describe('passwordProblem', () => {
  test.each([
    ['short', 'too_short'],
    ['1234567', 'too_short'],
    ['x'.repeat(256), 'too_long'],
    ['password', 'too_common'],
    ['PassWord1', 'too_common'],
    ['bismillah', 'too_common'],
    ['qwertyuiop', 'too_common'],
  ] as const)('%j → %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  test.each(['kuda lari di sawah', 'x'.repeat(255), 'abcd1234efgh', 'éèêëéèêë'])('accepts %j (no composition rules)', (password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  test('counts characters, not bytes', () => {
    expect(passwordProblem('🐉'.repeat(8))).toBeNull();
    expect(passwordProblem('🐉'.repeat(7))).toBe('too_short');
  });
});

describe('argon2id hashing', () => {
  test('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('kuda lari di sawah');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'kuda lari di sawah')).toBe(true);
    expect(await verifyPassword(hash, 'kuda lari di sawaH')).toBe(false);
    expect(await verifyPassword('not a hash', 'kuda lari di sawah')).toBe(false);
  });

  test('generated passwords are long and pass the rules', () => {
    const a = generatePassword();
    expect(a).toHaveLength(20);
    expect(passwordProblem(a)).toBeNull();
    expect(generatePassword()).not.toBe(a);
  });
});
