import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { makeTempDir, removeDir } from './temp.ts';

/**
 * The two backends of the app-state store, for tests that run on both. SQLite always; PostgreSQL when
 * TEST_DATABASE_URL points at a server where we may create databases (.ci/run starts a throwaway cluster). Without
 * it those tests are skipped and say why, so `npm test` stays green on a machine without PostgreSQL.
 */
export type BackendName = 'sqlite' | 'postgres';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL || undefined;
export const POSTGRES_SKIP_REASON = 'PostgreSQL tests skipped: TEST_DATABASE_URL is not set (.ci/run starts a throwaway cluster and sets it)';

// Said once per test file that needs PostgreSQL, so a skipped run is never silent about why.
if (!POSTGRES_URL) console.warn(POSTGRES_SKIP_REASON);

/** Both names, with whether each can run here: for `describe.skipIf`. */
export const BACKENDS: { name: BackendName; skip: boolean }[] = [
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: !POSTGRES_URL },
];

/** A fresh, empty PostgreSQL database on the test server; `drop()` removes it (close your pools first). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!POSTGRES_URL) throw new Error(POSTGRES_SKIP_REASON);
  const name = `kota_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Environment for a store on `backend`: a temporary DATA_DIR always (the lake, the SQLite file) and, for PostgreSQL,
 * a fresh database as DATABASE_URL. `cleanup()` drops and removes both.
 */
export async function storeEnvironment(backend: BackendName): Promise<{ env: Record<string, string>; dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = makeTempDir(`kota-store-${backend}-`);
  if (backend === 'sqlite') return { env: { DATA_DIR: dataDir }, dataDir, cleanup: async () => removeDir(dataDir) };
  const database = await createPostgresDatabase();
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: database.url },
    dataDir,
    cleanup: async () => {
      await database.drop();
      removeDir(dataDir);
    },
  };
}

/** Points this process's store at `backend` (DATA_DIR and DATABASE_URL), as a server process would be configured. */
export async function useBackend(backend: BackendName): Promise<{ dataDir: string; cleanup(): Promise<void> }> {
  const environment = await storeEnvironment(backend);
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
  process.env.DATA_DIR = environment.env.DATA_DIR;
  if (environment.env.DATABASE_URL) process.env.DATABASE_URL = environment.env.DATABASE_URL;
  else delete process.env.DATABASE_URL;
  return {
    dataDir: environment.dataDir,
    async cleanup() {
      const { closeStores } = await import('../../src/lib/server/db/store.ts');
      await closeStores();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await environment.cleanup();
    },
  };
}

/**
 * Runs `work` on the store of `dataDir` in this process (DATA_DIR pointed there, then closed and restored): for
 * seeding a server's data before it starts.
 */
export async function withStoreOf<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const { closeStores, openStore } = await import('../../src/lib/server/db/store.ts');
  const saved = process.env.DATA_DIR;
  process.env.DATA_DIR = dataDir;
  try {
    await openStore();
    return await work();
  } finally {
    await closeStores();
    process.env.DATA_DIR = saved;
  }
}

/** The account with this e-mail, with its roles (seeded with seedUser). */
export async function userByEmail(email: string) {
  const { getUser, getUserByEmail } = await import('../../src/lib/server/auth/user.ts');
  const found = await getUserByEmail(email);
  if (!found) throw new Error(`no account ${email}`);
  return (await getUser(found.id))!;
}
