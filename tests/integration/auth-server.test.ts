import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { BACKENDS, storeEnvironment } from '../helpers/store.ts';
import { waitFor } from '../helpers/temp.ts';
import { adminCli, Client, printedLink, seedUser, visibleText } from './auth-helpers.ts';

/**
 * Accounts on the real built server over a real app-state store, on SQLite always and on PostgreSQL where
 * TEST_DATABASE_URL is set (skipped otherwise; tests/helpers/store.ts says why): cookies, CSRF, forged and ended
 * sessions, password change, rate limits, mailed links, API tokens, both languages, and the admin CLI beside the
 * server.
 * Every request comes from 127.0.0.1, so this server's limits are scaled out of the way
 * (AUTH_RATE_LIMIT_SCALE); the rate-limit test starts a second server with its own, shorter scale.
 */
describe.each(BACKENDS)('accounts on the real server over $name', ({ name: backend, skip }) => {
  let environment: Awaited<ReturnType<typeof storeEnvironment>>;
  let server: TestServer;
  const password = 'sandi admin yang panjang';

  beforeAll(async () => {
    if (skip) return;
    environment = await storeEnvironment(backend);
    seedUser(environment.dataDir, { email: 'admin@kota.test', name: 'Admin Kota', password, role: 'admin' }, environment.env);
    server = await startTestServer({ dataDir: environment.dataDir, env: { ...environment.env, AUTH_RATE_LIMIT_SCALE: '0.000001' } });
  });

  afterAll(async () => {
    await server?.stop();
    await environment?.cleanup();
  });

  /** The last link to `pathname` mailed to `email` (printed in the server log: no SMTP here). */
  const linkFor = (email: string, pathname: string, after = 0) =>
    waitFor(
      () => printedLink(server.output().slice(after), email, pathname),
      { what: `a ${pathname} mail to ${email}` },
    );

  /** Posts the sign-up form: the answer is the same page for a new and a registered address. */
  async function postSignUp(client: Client, email: string, name: string, pass: string) {
    const reply = await client.post('/signup?_action=auth.signup', { name, email, password: pass });
    expect(reply.status, reply.text.slice(0, 500)).toBe(200);
    expect(visibleText(reply.text)).toContain(`Kami mengirim email ke ${email.toLowerCase()}`);
    return reply;
  }

  /** Signs up as a person does: the form, then the mailed link, which activates the account and signs in. */
  async function signUp(email: string, name = 'Warga Bandung', pass = 'kuda lari di sawah'): Promise<Client> {
    const client = new Client(server.url);
    const after = server.output().length;
    await postSignUp(client, email, name, pass);
    expect(client.cookies.has('kt_session')).toBe(false);
    const link = new URL(await linkFor(email, '/verify-email', after));
    const done = await client.post(`/verify-email${link.search}&_action=auth.verifyEmail`, { token: link.searchParams.get('token')! });
    expect(visibleText(done.text)).toContain('Pendaftaran selesai');
    expect(client.cookies.has('kt_session')).toBe(true);
    return client;
  }

  describe.skipIf(skip)('sign-up, session cookie and headers', () => {
    test('the mailed link finishes sign-up and logs in with a HttpOnly, SameSite=Lax session cookie; the account page shows the person', async () => {
      const client = new Client(server.url);
      await postSignUp(client, 'siti@kota.test', 'Siti Nurhaliza', 'kuda lari di sawah');
      // Until the link is opened the address cannot log in.
      expect((await new Client(server.url).post('/login?_action=auth.login', { email: 'siti@kota.test', password: 'kuda lari di sawah' })).status).toBe(401);
      const link = new URL(await linkFor('siti@kota.test', '/verify-email'));
      const landing = visibleText((await client.get(link.pathname + link.search)).text);
      expect(landing, landing.slice(0, 2000)).toContain('Konfirmasi alamat email saya');
      const reply = await client.post(`/verify-email${link.search}&_action=auth.verifyEmail`, { token: link.searchParams.get('token')! });
      const cookie = reply.headers.getSetCookie().find((c) => c.startsWith('kt_session='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/); // plain http here; Secure over https
      expect(cookie).toMatch(/^kt_session=[a-z2-7]+\.[a-z2-7]+;/);
      const account = visibleText((await client.get('/account')).text);
      expect(account).toContain('Akun saya');
      expect(account).toContain('siti@kota.test');
      expect(account).toContain('Siti Nurhaliza');
      expect(account).toContain('Email sudah diverifikasi.');
      expect(account).toContain('Keluar'); // the header's log-out button
    });

    test('a weak password is refused with a message; a registered address gets the very answer a new one gets (no enumeration)', async () => {
      const client = new Client(server.url);
      const weak = await client.post('/signup?_action=auth.signup', { name: 'A', email: 'lemah@kota.test', password: 'password1' });
      expect(weak.status).toBe(400);
      expect(visibleText(weak.text)).toContain('terlalu umum');
      expect(client.cookies.has('kt_session')).toBe(false);

      const after = server.output().length;
      const taken = await new Client(server.url).post('/signup?_action=auth.signup', { name: 'B', email: 'admin@kota.test', password: 'kuda lari di sawah' });
      const fresh = await new Client(server.url).post('/signup?_action=auth.signup', { name: 'B', email: 'orang-baru@kota.test', password: 'kuda lari di sawah' });
      expect(taken.status).toBe(fresh.status);
      expect(visibleText(taken.text).replace('admin@kota.test', 'X')).toBe(visibleText(fresh.text).replace('orang-baru@kota.test', 'X'));
      expect(taken.headers.getSetCookie().some((c) => c.startsWith('kt_session='))).toBe(false);
      expect(visibleText(taken.text)).not.toContain('sudah terdaftar');
      // The owner of the registered address is told by mail; the password of the account did not change.
      await waitFor(() => server.output().slice(after).includes('Subject: Alamat email Anda sudah punya akun'), { what: 'the note to the owner' });
      await new Client(server.url).logIn('admin@kota.test', password);
    });

    test('security headers are on pages and API responses', async () => {
      for (const path of ['/', '/login', '/api/v1/account/me', '/tidak-ada']) {
        const { headers } = await new Client(server.url).get(path);
        expect(headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
        expect(headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
        expect(headers.get('x-frame-options'), path).toBe('DENY');
      }
    });

    test('pages are in English with ?lang=en', async () => {
      const page = visibleText((await new Client(server.url).get('/login?lang=en')).text);
      expect(page).toContain('Log in');
      expect(page).toContain('Forgot your password?');
    });
  });

  describe.skipIf(skip)('CSRF', () => {
    test('a cross-site form post is refused and changes nothing', async () => {
      const client = await signUp('csrf@kota.test', 'Nama Asli');
      const attempts: Record<string, string>[] = [
        { origin: 'https://jahat.example', 'sec-fetch-site': 'cross-site' },
        { origin: 'https://jahat.example' }, // an older browser without Sec-Fetch-Site
        { 'sec-fetch-site': 'same-site', origin: server.url },
      ];
      for (const headers of attempts) {
        const reply = await client.post('/account?_action=auth.updateProfile', { name: 'Diganti Penyerang' }, headers);
        expect(reply.status, JSON.stringify(headers)).toBe(403);
      }
      const json = await fetch(`${server.url}/_actions/auth.updateProfile`, {
        method: 'POST',
        headers: { cookie: client.cookieHeader(), 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
        body: JSON.stringify({ name: 'Diganti Penyerang' }),
      });
      expect(json.status).toBe(403);
      expect(visibleText((await client.get('/account')).text)).toContain('Nama Asli');
      expect(visibleText((await client.get('/account')).text)).not.toContain('Diganti Penyerang');
    });
  });

  describe.skipIf(skip)('sessions', () => {
    test('a forged cookie is refused and cleared: right id, wrong secret of the same length', async () => {
      const client = await signUp('palsu@kota.test');
      const [id, secret] = client.cookies.get('kt_session')!.split('.') as [string, string];
      const forged = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
      const attacker = new Client(server.url);
      attacker.cookies.set('kt_session', forged);
      const reply = await attacker.get('/account');
      expect(reply.status).toBe(302);
      expect(reply.location).toBe('/login?next=%2Faccount');
      expect(attacker.cookies.has('kt_session')).toBe(false);
      attacker.cookies.set('kt_session', 'bukan-token');
      expect((await attacker.get('/api/v1/account/me')).status).toBe(401);
      // the real session is untouched
      expect((await client.get('/account')).status).toBe(200);
    });

    test('logging out ends the session on the server, not only in the browser', async () => {
      const client = await signUp('keluar@kota.test');
      const token = client.cookies.get('kt_session')!;
      const reply = await client.post('/logout');
      expect(reply.status).toBe(303);
      expect(client.cookies.has('kt_session')).toBe(false);
      const replay = new Client(server.url);
      replay.cookies.set('kt_session', token);
      expect((await replay.get('/account')).status).toBe(302);
    });

    test('changing the password ends the other sessions and keeps this one', async () => {
      const phone = await signUp('ganti@kota.test');
      const laptop = new Client(server.url);
      await laptop.logIn('ganti@kota.test', 'kuda lari di sawah');
      const reply = await laptop.post('/account?_action=auth.changePassword', { current: 'kuda lari di sawah', password: 'gajah terbang tinggi' });
      expect(reply.status).toBe(200);
      expect(visibleText(reply.text)).toContain('Kata sandi diganti. 1 sesi lain telah diakhiri.');
      expect((await laptop.get('/account')).status).toBe(200);
      expect((await phone.get('/account')).status).toBe(302);
      await new Client(server.url).logIn('ganti@kota.test', 'gajah terbang tinggi');
    });

    test('log out everywhere ends every session', async () => {
      const one = await signUp('semua@kota.test');
      const two = new Client(server.url);
      await two.logIn('semua@kota.test', 'kuda lari di sawah');
      const reply = await one.post('/account?_action=auth.logoutEverywhere');
      expect(reply.status).toBe(303);
      expect((await one.get('/account')).status).toBe(302);
      expect((await two.get('/account')).status).toBe(302);
    });
  });

  describe.skipIf(skip)('log-in errors and rate limits', () => {
    test('an unknown address and a wrong password read the same', async () => {
      await signUp('ada@kota.test');
      const unknown = await new Client(server.url).post('/login?_action=auth.login', { email: 'tidak-ada@kota.test', password: 'kuda lari di sawah' });
      const wrong = await new Client(server.url).post('/login?_action=auth.login', { email: 'ada@kota.test', password: 'bukan sandinya ya' });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      const message = (html: string) => visibleText(html).match(/Email atau kata sandi salah\./)?.[0];
      expect(message(unknown.text)).toBe('Email atau kata sandi salah.');
      expect(message(wrong.text)).toBe(message(unknown.text));
    });

    test('failed log-ins engage the limit with Retry-After and a clear message; it releases', async () => {
      // login.account: 5 failures, then one more every 12 s: long enough that five slow failures (argon2 on a shared
      // machine) cannot earn a token back before the sixth attempt, short enough to wait for the release.
      const SCALE = 0.2;
      const limited = await storeEnvironment(backend);
      seedUser(limited.dataDir, { email: 'kunci@kota.test', name: 'Kunci', password: 'kuda lari di sawah' }, limited.env);
      const limitedServer = await startTestServer({ dataDir: limited.dataDir, env: { ...limited.env, AUTH_RATE_LIMIT_SCALE: String(SCALE) } });
      try {
        const client = new Client(limitedServer.url);
        for (let i = 0; i < 5; i++) {
          expect((await client.post('/login?_action=auth.login', { email: 'kunci@kota.test', password: 'salah salah salah' })).status).toBe(401);
        }
        const limited = await client.post('/login?_action=auth.login', { email: 'kunci@kota.test', password: 'kuda lari di sawah' });
        expect(limited.status).toBe(429);
        const retryAfter = Number(limited.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60 * SCALE);
        expect(visibleText(limited.text)).toMatch(/Terlalu banyak percobaan\. Coba lagi dalam \d+ detik\./);
        expect(client.cookies.has('kt_session')).toBe(false);

        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
        const released = await client.post('/login?_action=auth.login', { email: 'kunci@kota.test', password: 'kuda lari di sawah' });
        expect(released.status).toBe(303);
      } finally {
        await limitedServer.stop();
        await limited.cleanup();
      }
    });
    test('every state-changing request counts per account and per address', async () => {
      const slow = await storeEnvironment(backend);
      seedUser(slow.dataDir, { email: 'penulis@kota.test', name: 'Penulis', password: 'kuda lari di sawah' }, slow.env);
      // write.account: 60, write.ip: 120, refilling only every 100 s here
      const slowServer = await startTestServer({ dataDir: slow.dataDir, env: { ...slow.env, AUTH_RATE_LIMIT_SCALE: '100' } });
      try {
        const writer = new Client(slowServer.url);
        await writer.logIn('penulis@kota.test', 'kuda lari di sawah'); // 1 write for the address
        const statuses: number[] = [];
        for (let i = 0; i < 60; i++) statuses.push((await writer.post('/api/v1/account/me')).status);
        expect(statuses.indexOf(429)).toBe(-1);
        const refused = await writer.post('/api/v1/account/me');
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        // An /api/ path answers in the API's error shape, in the reader's language.
        expect(JSON.parse(refused.text).error).toMatchObject({ status: 429, code: 'rate_limited', message: expect.stringMatching(/^terlalu banyak permintaan/) });
        // another visitor from the same address still gets through, until the address's own limit
        const other = new Client(slowServer.url);
        expect((await other.post('/logout')).status).toBe(303);
        let last = 0;
        for (let i = 0; i < 80 && last !== 429; i++) last = (await other.post('/logout')).status;
        expect(last).toBe(429);
        // reads are never limited
        expect((await other.get('/login')).status).toBe(200);
      } finally {
        await slowServer.stop();
        await slow.cleanup();
      }
    });
  });

  describe.skipIf(skip)('mailed links (printed to the server log without SMTP)', () => {
    test('resetting a forgotten password', async () => {
      const old = await signUp('lupa@kota.test');
      const anon = new Client(server.url);
      const asked = await anon.post('/reset-password?_action=auth.requestReset', { email: 'lupa@kota.test' });
      expect(visibleText(asked.text)).toContain('Jika email itu terdaftar');
      const unknown = await anon.post('/reset-password?_action=auth.requestReset', { email: 'tak-dikenal@kota.test' });
      expect(unknown.status).toBe(asked.status);
      expect(visibleText(unknown.text)).toBe(visibleText(asked.text));
      const link = new URL(await linkFor('lupa@kota.test', '/reset-password'));
      const done = await anon.post(`/reset-password${link.search}&_action=auth.resetPassword`, { token: link.searchParams.get('token')!, password: 'sandi baru yang panjang' });
      expect(visibleText(done.text)).toContain('Kata sandi baru tersimpan');
      expect((await old.get('/account')).status).toBe(302);
      await new Client(server.url).logIn('lupa@kota.test', 'sandi baru yang panjang');
    });
  });

  describe.skipIf(skip)('API tokens', () => {
    test('created once, used as Bearer, revoked', async () => {
      const client = await signUp('skrip@kota.test', 'Pemilik Skrip');
      const created = await client.post('/account?_action=auth.createToken', { name: 'unggah harian', scopes: ['read', 'write:data'] });
      expect(created.status).toBe(200);
      const token = created.text.match(/kt_[a-z2-7]+\.[a-z2-7]+/)![0];
      const page = visibleText((await client.get('/account')).text);
      expect(page).toContain('unggah harian');
      expect(page).not.toContain(token); // shown once
      const me = await fetch(`${server.url}/api/v1/account/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ name: 'Pemilik Skrip', tokenScopes: ['read', 'write:data'] });
      const id = created.text.match(/data-token-id="([a-z2-7]+)"/)![1]!;
      expect((await client.post('/account?_action=auth.revokeToken', { id })).status).toBe(200);
      const after = await fetch(`${server.url}/api/v1/account/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(after.status).toBe(401);
      expect(after.headers.get('www-authenticate')).toContain('invalid_token');
    });
  });

  describe.skipIf(skip)('admin', () => {
    test('an admin made with the CLI grants the official role for an OPD; the audit log shows it', async () => {
      const official = await signUp('pejabat@kota.test', 'Ibu Pejabat');
      const admin = new Client(server.url);
      await admin.logIn('admin@kota.test', password);
      const list = await admin.get('/admin?q=pejabat');
      expect(visibleText(list.text)).toContain('Ibu Pejabat');
      const userPath = list.text.match(/href="(\/admin\/users\/[a-z2-7]+)"/)![1]!;
      const userId = userPath.split('/').at(-1)!;
      const granted = await admin.post(`${userPath}?_action=admin.grantRole`, { userId, role: 'official', scope: 'dinkes' });
      expect(visibleText(granted.text)).toContain('Peran diberikan.');
      expect(visibleText(granted.text)).toContain('Pejabat OPD — Dinas Kesehatan');
      expect((await official.get('/account/opd/dinkes')).status).toBe(200);
      expect((await official.get('/account/opd/dishub')).status).toBe(403);
      const audit = visibleText((await admin.get('/admin/audit?event=role.grant')).text);
      expect(audit).toContain('Admin Kota');
      expect(audit).toContain('Ibu Pejabat');
      expect(audit).toContain('official dinkes');
    });

    test('the admin CLI works while the server runs: a user it creates logs in at once, a role it grants applies at once', async () => {
      const created = adminCli(environment.dataDir, ['create-user', '--email', 'langsung@kota.test', '--name', 'Langsung'], 'sandi yang dibuat cli\n', environment.env);
      expect(created.status, created.stderr).toBe(0);
      const client = new Client(server.url);
      await client.logIn('langsung@kota.test', 'sandi yang dibuat cli');
      expect((await client.get('/account/opd/dinkes')).status).toBe(403);
      expect(adminCli(environment.dataDir, ['grant-role', '--email', 'langsung@kota.test', '--role', 'official', '--scope', 'dinkes'], '', environment.env).status).toBe(0);
      expect((await client.get('/account/opd/dinkes')).status).toBe(200);
      expect(adminCli(environment.dataDir, ['list-users', '--search', 'langsung'], '', environment.env).stdout).toContain('langsung@kota.test\tLangsung\tofficial:dinkes');
    });
  });
});
