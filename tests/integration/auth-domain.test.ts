import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { BACKENDS, POSTGRES_SKIP_REASON, useBackend } from '../helpers/store.ts';

// A real app-state store (SQLite) in a temporary data folder; the domain functions run against it unchanged.
const dataDir = mkdtempSync(path.join(tmpdir(), 'kota-auth-'));
process.env.DATA_DIR = dataDir;

const { setClock } = await import('../../src/lib/server/clock.ts');
const { createUser, getUser, deleteUser, listUsers } = await import('../../src/lib/server/auth/user.ts');
const { hashPassword } = await import('../../src/lib/server/auth/password.ts');
const { createSession, validateSessionToken, invalidateSession, listUserSessions, sessionExpiresAt } = await import('../../src/lib/server/auth/session.ts');
const { changePassword, logIn, logOutEverywhere, requestPasswordReset, resetPassword, signUp, verifyEmail, deleteOwnAccount } = await import('../../src/lib/server/auth/account.ts');
const { createApiToken, validateApiToken, revokeApiToken, listApiTokens } = await import('../../src/lib/server/auth/api-token.ts');
const { grantRole, revokeRole, RoleError, membersOf } = await import('../../src/lib/server/auth/roles.ts');
const { listAudit } = await import('../../src/lib/server/audit/audit.ts');
const { pendingMail } = await import('../../src/lib/server/mail/outbox.ts');
const { resetAll } = await import('../../src/lib/server/http/rate-limit.ts');

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let clock = Date.UTC(2026, 10, 1, 8, 0, 0);
setClock(() => clock);

// A request to this machine: without city.portal_url, only those may build e-mailed links (see linkOrigin).
const req = { ip: '192.0.2.1', userAgent: 'vitest', origin: 'http://localhost:4321', locale: 'en' as const };
let mailLog: string[] = [];

beforeAll(() => {
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void mailLog.push(args.join(' ')));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function newUser(email: string, password = 'kuda lari di sawah') {
  return createUser({ email, name: email.split('@')[0]!, passwordHash: await hashPassword(password) });
}

/** The last message printed for `email` (no SMTP here). */
async function mailedMessage(email: string): Promise<string> {
  await vi.waitFor(() => expect(mailLog.some((m) => m.includes(`To: ${email}`))).toBe(true));
  return mailLog.filter((m) => m.includes(`To: ${email}`)).at(-1)!;
}

/** The mailed link for `email`, read from what the outbox printed (no SMTP here). */
async function mailedLink(email: string, pathPrefix: string): Promise<string> {
  await vi.waitFor(() => expect(mailLog.some((m) => m.includes(`To: ${email}`) && m.includes(pathPrefix))).toBe(true));
  const mail = mailLog.filter((m) => m.includes(`To: ${email}`) && m.includes(pathPrefix)).at(-1)!;
  return decodeURIComponent(mail.match(/token=(\S+)/)![1]!);
}

describe.each(BACKENDS)('the auth domain on $name', ({ name, skip }) => {
  if (skip) {
    test.skip(POSTGRES_SKIP_REASON, () => undefined);
    return;
  }
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  beforeAll(async () => {
    // The mails of the backend before would otherwise answer mailedLink() before this backend's own arrive.
    mailLog = [];
    backend = await useBackend(name);
  });
  afterAll(() => backend?.cleanup());

  describe('sessions', () => {
    test('a new session validates; a forged secret of the right length does not', async () => {
      const user = await newUser('sesi@example.com');
      const { token } = await createSession(user.id);
      const [id, secret] = token.split('.') as [string, string];
      expect((await validateSessionToken(token))?.user.id).toBe(user.id);

      const forged = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
      expect(forged).toHaveLength(token.length);
      expect(await validateSessionToken(forged)).toBeNull();
      expect(await validateSessionToken(`${'a'.repeat(id.length)}.${secret}`)).toBeNull();
      expect(await validateSessionToken('garbage')).toBeNull();
      // the forged attempt did not end the real session
      expect(await validateSessionToken(token)).not.toBeNull();
    });

    test('activity is recorded at most hourly and renews the idle expiry', async () => {
      const user = await newUser('aktif@example.com');
      const { token, session } = await createSession(user.id);
      const start = clock;

      clock = start + 30 * 60_000;
      const early = await validateSessionToken(token);
      expect(early?.session.fresh).toBe(false);
      expect(early?.session.lastActiveAt).toBe(start);

      clock = start + HOUR;
      const renewed = await validateSessionToken(token);
      expect(renewed?.session.fresh).toBe(true);
      expect(renewed?.session.lastActiveAt).toBe(clock);
      expect(sessionExpiresAt(renewed!.session)).toBeGreaterThan(sessionExpiresAt(session));
      clock = start;
    });

    test('a session ends after the idle period without activity', async () => {
      const user = await newUser('diam@example.com');
      const { token } = await createSession(user.id);
      const start = clock;
      clock = start + 14 * DAY - 1;
      expect(await validateSessionToken(token)).not.toBeNull(); // this use renews it
      clock += 14 * DAY;
      expect(await validateSessionToken(token)).toBeNull();
      clock = start;
      expect(await validateSessionToken(token)).toBeNull(); // deleted server-side, not only refused
    });

    test('a session ends after the absolute maximum however active', async () => {
      const user = await newUser('rajin@example.com');
      const { token } = await createSession(user.id);
      const start = clock;
      for (let day = 10; day < 90; day += 10) {
        clock = start + day * DAY;
        expect(await validateSessionToken(token)).not.toBeNull();
      }
      clock = start + 90 * DAY;
      expect(await validateSessionToken(token)).toBeNull();
      clock = start;
    });

    test('logout ends the session server-side', async () => {
      const user = await newUser('keluar@example.com');
      const { token, session } = await createSession(user.id);
      await invalidateSession(session.id);
      expect(await validateSessionToken(token)).toBeNull();
    });

    test('password change ends every other session and keeps the current one', async () => {
      await newUser('ganti@example.com');
      const a = await logIn({ email: 'ganti@example.com', password: 'kuda lari di sawah' }, req);
      const b = await logIn({ email: 'GANTI@example.com ', password: 'kuda lari di sawah' }, req);
      if (!a.ok || !b.ok) throw new Error('log-in failed');
      const current = (await validateSessionToken(a.token))!;
      const result = await changePassword(current.user, current.session.id, { current: 'kuda lari di sawah', next: 'gajah terbang tinggi' }, req.ip);
      expect(result).toEqual({ ok: true, endedSessions: 1 });
      expect(await validateSessionToken(a.token)).not.toBeNull();
      expect(await validateSessionToken(b.token)).toBeNull();
      expect((await logIn({ email: 'ganti@example.com', password: 'kuda lari di sawah' }, req)).ok).toBe(false);
      expect((await logIn({ email: 'ganti@example.com', password: 'gajah terbang tinggi' }, req)).ok).toBe(true);
    });

    test('a wrong current password, or a weak new one, changes nothing', async () => {
      const user = await newUser('tetap@example.com');
      expect(await changePassword(user, null, { current: 'salah sekali ya', next: 'gajah terbang tinggi' }, req.ip)).toMatchObject({ ok: false, code: 'wrong_password' });
      expect(await changePassword(user, null, { current: 'kuda lari di sawah', next: 'password1' }, req.ip)).toMatchObject({ ok: false, code: 'too_common' });
      expect((await logIn({ email: 'tetap@example.com', password: 'kuda lari di sawah' }, req)).ok).toBe(true);
    });

    test('log out everywhere ends all sessions', async () => {
      const user = await newUser('semua@example.com');
      const one = await createSession(user.id);
      const two = await createSession(user.id);
      expect(await listUserSessions(user.id)).toHaveLength(2);
      await logOutEverywhere(user, req.ip);
      expect(await validateSessionToken(one.token)).toBeNull();
      expect(await validateSessionToken(two.token)).toBeNull();
    });
  });

  describe('sign-up and log-in', () => {
    test('sign-up refuses weak passwords; the mailed link activates the account with its password and signs in, once', async () => {
      expect(await signUp({ name: 'A', email: 'baru@example.com', password: 'password' }, req)).toMatchObject({ ok: false, code: 'too_common' });
      expect(await signUp({ name: 'Baru', email: 'Baru@Example.com', password: 'kuda lari di sawah' }, req)).toEqual({ ok: true, email: 'baru@example.com' });
      // Nobody is signed in and the address cannot log in until its owner opens the link.
      expect(await logIn({ email: 'baru@example.com', password: 'kuda lari di sawah' }, req)).toMatchObject({ ok: false, code: 'invalid_credentials' });

      const token = await mailedLink('baru@example.com', '/verify-email');
      const verified = await verifyEmail(token, req);
      if (!verified.ok || !verified.token) throw new Error(`not activated: ${JSON.stringify(verified)}`);
      const session = await validateSessionToken(verified.token);
      expect(session?.user).toMatchObject({ email: 'baru@example.com', name: 'Baru', emailVerified: true });
      expect(await verifyEmail(token, req)).toMatchObject({ ok: false, code: 'invalid_link' }); // one use
      expect((await logIn({ email: 'baru@example.com', password: 'kuda lari di sawah' }, req)).ok).toBe(true);
    });

    test('sign-up answers a registered address exactly as a new one, with the same writes; the owner gets a note, not a link', async () => {
      const owner = await newUser('terdaftar@example.com');
      const auditBefore = (await listAudit({ event: 'signup', limit: 1000 })).length;
      const registered = await signUp({ name: 'Penyusup', email: 'TERDAFTAR@example.com', password: 'sandi penyusup saja' }, req);
      const fresh = await signUp({ name: 'Orang Baru', email: 'belum@example.com', password: 'sandi orang baru' }, req);
      expect(registered).toEqual({ ok: true, email: 'terdaftar@example.com' });
      expect(fresh).toEqual({ ok: true, email: 'belum@example.com' });
      // Same work in both: one audit entry and one queued message each; the message is composed at delivery.
      expect((await listAudit({ event: 'signup', limit: 1000 })).length).toBe(auditBefore + 2);
      const note = await mailedMessage('terdaftar@example.com');
      expect(note).toContain('Subject: Your email address already has an account');
      expect(note).toContain('http://localhost:4321/reset-password');
      expect(note).not.toContain('token=');
      expect(await mailedMessage('belum@example.com')).toContain('Subject: Finish creating your account');
      // The registered account is untouched: its password still works, the intruder's does not.
      expect((await logIn({ email: 'terdaftar@example.com', password: 'kuda lari di sawah' }, req)).ok).toBe(true);
      expect((await logIn({ email: 'terdaftar@example.com', password: 'sandi penyusup saja' }, req)).ok).toBe(false);
      expect((await getUser(owner.id))?.name).toBe('terdaftar');
    });

    test('an unknown e-mail and a wrong password get the same answer', async () => {
      await newUser('ada@example.com');
      const unknown = await logIn({ email: 'tidak-ada@example.com', password: 'kuda lari di sawah' }, req);
      const wrong = await logIn({ email: 'ada@example.com', password: 'bukan ini sandinya' }, req);
      expect(unknown).toEqual(wrong);
      expect(wrong).toEqual({ ok: false, code: 'invalid_credentials' });
    });

    test('failed log-ins for one account engage the limit, which releases with time', async () => {
      await resetAll();
      await newUser('dikunci@example.com');
      for (let i = 0; i < 5; i++) await logIn({ email: 'dikunci@example.com', password: 'salah salah salah' }, req);
      const locked = await logIn({ email: 'dikunci@example.com', password: 'kuda lari di sawah' }, req);
      expect(locked).toMatchObject({ ok: false, code: 'rate_limited' });
      clock += 60_000;
      expect((await logIn({ email: 'dikunci@example.com', password: 'kuda lari di sawah' }, req)).ok).toBe(true);
      await resetAll();
    });
  });

  describe('password reset', () => {
    test('a mailed link sets a new password once and ends every session', async () => {
      const user = await newUser('lupa@example.com');
      const old = await createSession(user.id);
      // The same answer, at once, for a registered and an unknown address: both only queue a message.
      expect(await requestPasswordReset('lupa@example.com', req)).toEqual({ ok: true });
      expect(await requestPasswordReset('tidak-terdaftar@example.com', req)).toEqual({ ok: true });
      const token = await mailedLink('lupa@example.com', '/reset-password');
      expect(await resetPassword(token, '123', req.ip)).toMatchObject({ ok: false, code: 'too_short' });
      expect(await resetPassword(token, 'sandi baru yang panjang', req.ip)).toMatchObject({ ok: true });
      expect(await resetPassword(token, 'sandi baru lainnya lagi', req.ip)).toMatchObject({ ok: false, code: 'invalid_link' });
      expect(await validateSessionToken(old.token)).toBeNull();
      expect((await logIn({ email: 'lupa@example.com', password: 'sandi baru yang panjang' }, req)).ok).toBe(true);
      expect(mailLog.some((m) => m.includes('tidak-terdaftar@example.com'))).toBe(false);
      // …and the request for the unknown address is forgotten once delivery found no account.
      await vi.waitFor(async () => expect((await pendingMail()).filter((m) => m.to === 'tidak-terdaftar@example.com')).toEqual([]));
    });

    test('a link expires after two hours', async () => {
      await newUser('telat@example.com');
      await requestPasswordReset('telat@example.com', req);
      const token = await mailedLink('telat@example.com', '/reset-password');
      clock += 2 * HOUR;
      expect(await resetPassword(token, 'sandi baru yang panjang', req.ip)).toMatchObject({ ok: false, code: 'invalid_link' });
    });
  });

  describe('API tokens', () => {
    test('created, used, listed and revoked; stored hashed', async () => {
      const user = await newUser('mesin@example.com');
      const { token, info } = await createApiToken(user.id, 'skrip unggah', ['read', 'write:data']);
      expect(token).toMatch(/^kt_[a-z2-7]+\.[a-z2-7]+$/);
      const found = await validateApiToken(token);
      expect(found?.user.id).toBe(user.id);
      expect(found?.user.tokenScopes).toEqual(['read', 'write:data']);
      const wrongSecret = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
      expect(await validateApiToken(wrongSecret)).toBeNull();
      expect((await listApiTokens(user.id))[0]).toMatchObject({ id: info.id, name: 'skrip unggah', revokedAt: null });
      expect(await revokeApiToken('someone-else', info.id)).toBe(false);
      expect(await revokeApiToken(user.id, info.id)).toBe(true);
      expect(await validateApiToken(token)).toBeNull();
      await expect(createApiToken(user.id, 'x', ['write:everything'])).rejects.toThrow(/unknown scope/);
    });
  });

  describe('roles and account deletion', () => {
    test('roles are checked against the config, granted once and revoked', async () => {
      const user = await newUser('pejabat@example.com');
      await expect(grantRole(user.id, { role: 'official', scope: 'bukan-opd' }, null)).rejects.toThrow(RoleError);
      expect(await grantRole(user.id, { role: 'official', scope: 'dinkes' }, null)).toBe(true);
      expect(await grantRole(user.id, { role: 'official', scope: 'dinkes' }, null)).toBe(false);
      expect((await getUser(user.id))?.roles).toEqual([{ role: 'official', scope: 'dinkes' }]);
      expect((await membersOf('official', 'dinkes')).map((m) => m.id)).toContain(user.id);
      expect(await revokeRole(user.id, { role: 'official', scope: 'dinkes' })).toBe(true);
      expect((await getUser(user.id))?.roles).toEqual([]);
    });

    test('deleting an account removes personal data and keeps the row', async () => {
      const user = await newUser('hapus@example.com');
      const { token } = await createSession(user.id);
      const api = await createApiToken(user.id, 't', ['read']);
      expect(await deleteOwnAccount(user, 'salah salah salah', req.ip)).toMatchObject({ ok: false, code: 'wrong_password' });
      expect(await deleteOwnAccount(user, 'kuda lari di sawah', req.ip)).toEqual({ ok: true });
      const gone = await getUser(user.id);
      expect(gone).toMatchObject({ id: user.id, email: '', name: '', deleted: true, roles: [] });
      expect(await validateSessionToken(token)).toBeNull();
      expect(await validateApiToken(api.token)).toBeNull();
      expect((await listUsers({ search: 'hapus' })).total).toBe(0);
      // the address can be used again
      expect((await newUser('hapus@example.com')).id).not.toBe(user.id);
      await deleteUser(user.id); // idempotent
    });

    test('security events are in the audit log', async () => {
      const events = new Set((await listAudit({ limit: 1000 })).map((e) => e.event));
      for (const event of ['signup', 'login.success', 'login.failure', 'password.change', 'password.reset', 'email.verified', 'logout.everywhere', 'account.delete', 'rate_limit']) {
        expect(events).toContain(event);
      }
    });
  });
});
