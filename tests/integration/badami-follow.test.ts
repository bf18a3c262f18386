import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nodeBinary } from '../../src/cli/node-binary.ts';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';
import { registerDinkesInnovation } from '../helpers/badami.ts';

/**
 * Following an innovation: a citizen follows it on its page; the owning official posts a progress update and moves
 * it to another stage; the citizen's notifications page lists both, the official (who did it) gets nothing, and the
 * daily digest (the community CLI, run while the server runs) mails both to the citizen.
 */
let root: string;
let dataDir: string;
let server: TestServer;
const password = 'sandi pengikut inovasi panjang';
const c: Record<string, Client> = {};
let id = '';

beforeAll(async () => {
  root = makeTempDir('kota-badami-follow-');
  dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'dinkes@ikut.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  seedUser(dataDir, { email: 'warga@ikut.test', name: 'Warga Pengikut', password });
  seedUser(dataDir, { email: 'lain@ikut.test', name: 'Warga Lain', password });
  server = await startTestServer({ dataDir });
  for (const who of ['dinkes', 'warga', 'lain']) {
    c[who] = new Client(server.url);
    await c[who]!.logIn(`${who}@ikut.test`, password);
  }
  id = await registerDinkesInnovation(c.dinkes!, 'Bank Sampah Digital', 'Setoran sampah warga tercatat dan ditukar saldo lewat aplikasi.');
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

describe('followers of an innovation', () => {
  test('are notified in the app of a progress update and a stage move; others and the official are not', async () => {
    const at = `/badami/innovations/${id}`;
    const follow = await c.warga!.post(`${at}?_action=community.follow`, { subject: `innovation:${id}`, follow: 'true' });
    expect(follow.status).toBe(200);
    expect((await c.dinkes!.post(`${at}?_action=badami.postUpdate`, { id, title: 'Seratus nasabah pertama', body: 'Sudah **100** nasabah.' })).status).toBe(200);
    expect((await c.dinkes!.post(`${at}?_action=badami.move`, { id, from: 'ide', to: 'inisiatif', note: 'SK terbit.' })).status).toBe(200);
    const mine = visibleText((await c.warga!.get('/notifications')).text);
    expect(mine).toContain('Pejabat Dinkes mengirim kabar perkembangan Bank Sampah Digital');
    expect(mine).toContain('Bank Sampah Digital pindah ke tahap Inisiatif');
    expect(visibleText((await c.lain!.get('/notifications')).text)).not.toContain('Bank Sampah Digital');
    expect(visibleText((await c.dinkes!.get('/notifications')).text)).not.toContain('Bank Sampah Digital');
  });

  test('and get both in the daily digest e-mail', () => {
    const run = spawnSync(nodeBinary(REPO_ROOT), [path.join(REPO_ROOT, 'src/cli/community.ts'), 'digest'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('digest: 1 e-mail(s) for 2 notification(s)');
    expect(run.stdout).toContain('To: warga@ikut.test');
    expect(run.stdout).toContain('Pejabat Dinkes mengirim kabar perkembangan Bank Sampah Digital');
    expect(run.stdout).toContain('Bank Sampah Digital pindah ke tahap Inisiatif');
    expect(run.stdout).toContain(`/badami/innovations/${id}#update-`);
  });
});
