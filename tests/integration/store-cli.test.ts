import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nodeBinary } from '../../src/cli/node-binary.ts';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { POSTGRES_URL, storeEnvironment } from '../helpers/store.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { adminCli, Client } from './auth-helpers.ts';

/** `npm run db -- migrate|status|backup|restore` on a real store, with the server running beside it. */
function dbCli(env: Record<string, string>, args: string[]) {
  const result = spawnSync(nodeBinary(REPO_ROOT), [path.join(REPO_ROOT, 'src/cli/db.ts'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('on SQLite', () => {
  let dataDir: string;
  let backups: string;
  let server: TestServer;
  const env = () => ({ DATA_DIR: dataDir });

  beforeAll(async () => {
    dataDir = makeTempDir('kota-db-cli-');
    backups = makeTempDir('kota-db-backups-');
    expect(adminCli(dataDir, ['create-user', '--email', 'sebelum@kota.test', '--name', 'Sebelum'], 'sandi sebelum cadangan\n').status).toBe(0);
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server?.stop();
    removeDir(dataDir);
    removeDir(backups);
  });

  test('status lists every migration as applied; migrate has nothing to do', () => {
    const status = dbCli(env(), ['status']);
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^applied \S+ {2}20261201\.01-auth-users-roles-sessions$/m);
    expect(status.stdout).toContain('up to date');
    expect(dbCli(env(), ['migrate']).stdout).toContain('up to date');
  });

  test('backup while the server runs; restore with it stopped: the store is as it was at the backup', async () => {
    const file = path.join(backups, 'app-backup.sqlite');
    const made = dbCli(env(), ['backup', file]);
    expect(made.status, made.stderr).toBe(0);
    expect(dbCli(env(), ['backup', file]).stderr).toContain('already exists');

    expect(adminCli(dataDir, ['create-user', '--email', 'sesudah@kota.test', '--name', 'Sesudah'], 'sandi sesudah cadangan\n').status).toBe(0);
    await new Client(server.url).logIn('sesudah@kota.test', 'sandi sesudah cadangan');

    await server.stop();
    const restored = dbCli(env(), ['restore', file]);
    expect(restored.status, restored.stderr).toBe(0);
    server = await startTestServer({ dataDir });
    await new Client(server.url).logIn('sebelum@kota.test', 'sandi sebelum cadangan');
    const after = await new Client(server.url).post('/login?_action=auth.login', { email: 'sesudah@kota.test', password: 'sandi sesudah cadangan' });
    expect(after.status).toBe(401);
    expect(adminCli(dataDir, ['list-users']).stdout).not.toContain('sesudah@kota.test');
  });

  test('restore refuses a file that is not a backup, and changes nothing', async () => {
    const junk = path.join(backups, 'bukan.sqlite');
    writeFileSync(junk, 'bukan basis data');
    const refused = dbCli(env(), ['restore', junk]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is not a backup of the app-state store');
    await new Client(server.url).logIn('sebelum@kota.test', 'sandi sebelum cadangan').catch((error: Error) => {
      throw new Error(`${error.message}\n--- server output ---\n${server.output().slice(-4000)}`);
    });
  });

  test('an unknown command prints the usage', () => {
    const result = dbCli(env(), ['hapus-semua']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unknown command "hapus-semua"');
  });
});

describe.skipIf(!POSTGRES_URL)('on PostgreSQL', () => {
  test('status and migrate work; backup points to pg_dump', async () => {
    const environment = await storeEnvironment('postgres');
    try {
      expect(dbCli(environment.env, ['migrate']).stdout).toMatch(/applied .*20261201\.02-auth-tokens-links/);
      expect(dbCli(environment.env, ['status']).stdout).toContain('up to date');
      const backup = dbCli(environment.env, ['backup', path.join(environment.dataDir, 'x.sqlite')]);
      expect(backup.status).toBe(1);
      expect(backup.stderr).toContain('pg_dump');
    } finally {
      await environment.cleanup();
    }
  });
});
