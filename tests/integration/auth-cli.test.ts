import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { adminCli, Client } from './auth-helpers.ts';

/** `npm run admin -- …` on a real DuckDB file: what it prints, what it refuses, and that its accounts log in. */
let dataDir: string;
let server: TestServer | undefined;

beforeAll(() => {
  dataDir = makeTempDir('kota-auth-cli-');
});

afterAll(async () => {
  await server?.stop();
  removeDir(dataDir);
});

test('create-user, grant-role, revoke-role and list-users; then the generated password logs in', async () => {
  const created = adminCli(dataDir, ['create-user', '--email', 'Admin@Kota.test', '--name', 'Admin Pertama', '--role', 'admin']);
  expect(created.status, created.stderr).toBe(0);
  expect(created.stdout).toMatch(/^created admin@kota\.test \([a-z2-7]+\) with role admin$/m);
  const password = created.stdout.match(/^password \(shown once, store it now\): (\S+)$/m)?.[1];
  expect(password).toHaveLength(20);

  const chosen = adminCli(dataDir, ['create-user', '--email', 'siti@kota.test', '--name', 'Siti'], 'sandi pilihan sendiri\n');
  expect(chosen.status, chosen.stderr).toBe(0);
  expect(chosen.stdout).not.toContain('password');

  expect(adminCli(dataDir, ['grant-role', '--email', 'siti@kota.test', '--role', 'official', '--scope', 'dinkes']).stdout).toContain('granted official dinkes for siti@kota.test');
  expect(adminCli(dataDir, ['grant-role', '--email', 'siti@kota.test', '--role', 'official', '--scope', 'dishub']).status).toBe(0);
  expect(adminCli(dataDir, ['revoke-role', '--email', 'siti@kota.test', '--role', 'official', '--scope', 'dishub']).stdout).toContain('revoked official dishub');
  const list = adminCli(dataDir, ['list-users']).stdout;
  expect(list).toContain('siti@kota.test\tSiti\tofficial:dinkes');
  expect(list).toContain('admin@kota.test\tAdmin Pertama\tadmin');

  server = await startTestServer({ dataDir });
  const admin = new Client(server.url);
  await admin.logIn('admin@kota.test', password!);
  expect((await admin.get('/admin')).status).toBe(200);
  const siti = new Client(server.url);
  await siti.logIn('siti@kota.test', 'sandi pilihan sendiri');
  expect((await siti.get('/account/opd/dinkes')).status).toBe(200);
  expect((await siti.get('/account/opd/dishub')).status).toBe(403);
});

test.each([
  [['create-user', '--email', 'x@kota.test'], '', /--name is required/],
  [['create-user', '--email', 'bukan-email', '--name', 'X'], '', /not an e-mail address/],
  [['create-user', '--email', 'x@kota.test', '--name', 'X'], 'password\n', /too common/],
  [['create-user', '--email', 'x@kota.test', '--name', 'X'], 'pendek\n', /too short/],
  [['create-user', '--email', 'x@kota.test', '--name', 'X', '--role', 'official', '--scope', 'bukan-opd'], '', /not an OPD code/],
  [['grant-role', '--email', 'tidak-ada@kota.test', '--role', 'admin'], '', /no account with tidak-ada@kota\.test|is the server running/],
  [['frobnicate'], '', /unknown command "frobnicate"/],
])('refuses %j with a message', (args, input, message) => {
  const result = adminCli(dataDir, args, input);
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(message);
});
