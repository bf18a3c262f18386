import { spawnSync } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nodeBinary } from '../../src/cli/node-binary.ts';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * "Promote to Badami" on the real server, through the form a browser posts without JavaScript: an organiser of the
 * finished demo datathon turns its winning idea into a Badami innovation; the innovation's timeline starts with the
 * submission and the submission's page links to the innovation. Promoting twice makes no second innovation and says
 * so; someone who is not an organiser (an official of an OPD, a citizen) gets 403 and nothing changes.
 */
let root: string;
let dataDir: string;
let server: TestServer;
const password = 'sandi promosi badami panjang';
const c: Record<string, Client> = {};
let winner = '';
let winnerTitle = '';
let honourable = '';

const innovations = () => {
  const app = new DatabaseSync(path.join(dataDir, 'app.sqlite'), { readOnly: true });
  try {
    return app.prepare('SELECT id, title, opd, affair, origin_kind, origin_ref, origin_url, stage FROM badami_innovation ORDER BY id').all() as Record<string, string>[];
  } finally {
    app.close();
  }
};
const submissionPage = (id: string) => `/datathon/submissions/${id}`;
const promote = (who: string, id: string, form: Record<string, string> = { opd: 'diskominfo', affair: 'komunikasi_informatika' }, lang = '') =>
  c[who]!.post(`${submissionPage(id)}?${lang ? `lang=${lang}&` : ''}_action=badami.promote`, { submission: id, ...form });

beforeAll(async () => {
  root = makeTempDir('kota-badami-promote-');
  dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'panitia@promote.test', name: 'Panitia Datathon', password });
  seedUser(dataDir, { email: 'dinkes@promote.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  seedUser(dataDir, { email: 'warga@promote.test', name: 'Warga', password });
  // the labelled demo events, as `npm start` seeds them: one finished with published results
  const demo = spawnSync(nodeBinary(REPO_ROOT), [path.join(REPO_ROOT, 'src/cli/datathon.ts'), 'demo'], { cwd: REPO_ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`datathon demo: ${demo.stderr}`);
  const app = new DatabaseSync(path.join(dataDir, 'app.sqlite'));
  const awards = app
    .prepare("SELECT a.submission_id AS id, a.award, s.title FROM datathon_award a JOIN datathon_submission s ON s.id = a.submission_id WHERE a.event_id = 'demo-datathon-2025' ORDER BY a.rank")
    .all() as { id: string; award: string; title: string }[];
  winner = awards.find((a) => a.award === 'winner')!.id;
  winnerTitle = awards.find((a) => a.award === 'winner')!.title;
  honourable = awards.find((a) => a.award === 'honourable')!.id;
  // the organiser runs the finished event (as its creator would add them on the organiser page)
  const organiser = app.prepare("SELECT id FROM auth_user WHERE email = 'panitia@promote.test'").get() as { id: string };
  app.prepare("INSERT INTO datathon_organiser (event_id, user_id) VALUES ('demo-datathon-2025', ?)").run(organiser.id);
  app.close();
  server = await startTestServer({ dataDir });
  for (const who of ['panitia', 'dinkes', 'warga']) {
    c[who] = new Client(server.url);
    await c[who]!.logIn(`${who}@promote.test`, password);
  }
  c.anonymous = new Client(server.url);
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

describe('promote a datathon winner to Badami', () => {
  test('only the organisers see the form; anyone else who posts it gets 403 and nothing is created', async () => {
    expect(visibleText((await c.panitia!.get(submissionPage(winner))).text)).toContain('Promosikan ke Badami');
    for (const who of ['anonymous', 'warga', 'dinkes']) expect(visibleText((await c[who]!.get(submissionPage(winner))).text)).not.toContain('Promosikan ke Badami');
    const refused = await promote('dinkes', winner);
    expect(refused.status).toBe(403);
    expect(visibleText(refused.text)).toContain('Hanya panitia acara ini dan admin yang boleh mempromosikan ide ke Badami.');
    expect((await promote('warga', winner)).status).toBe(403);
    expect((await c.anonymous!.post('/_actions/badami.promote', { submission: winner, opd: 'dinkes', affair: 'kesehatan' })).status).toBe(401);
    expect(innovations()).toEqual([]);
    // the board as anonymous readers get it (rendered once and kept until Badami changes)
    expect(visibleText((await c.anonymous!.get('/badami')).text)).toContain('Belum ada inovasi.');
  });

  test('a missing affair is named in the reader’s language and nothing is created', async () => {
    const reply = await promote('panitia', winner, { opd: 'diskominfo', affair: '' });
    expect(reply.status).toBe(400);
    expect(visibleText(reply.text)).toContain('Urusan pemerintahan');
    const english = await promote('panitia', winner, { opd: 'diskominfo', affair: '' }, 'en');
    expect(english.status).toBe(400);
    expect(visibleText(english.text)).toContain('Check the marked fields.');
    await c.panitia!.get('/?lang=id');
    expect(innovations()).toEqual([]);
  });

  test('an idea without an award cannot be promoted', async () => {
    const app = new DatabaseSync(path.join(dataDir, 'app.sqlite'), { readOnly: true });
    const plain = app.prepare("SELECT s.id FROM datathon_submission s LEFT JOIN datathon_award a ON a.submission_id = s.id WHERE s.event_id = 'demo-datathon-2025' AND a.submission_id IS NULL").get() as { id: string };
    app.close();
    const reply = await promote('panitia', plain.id);
    expect(reply.status).toBe(404);
    expect(visibleText(reply.text)).toContain('Hanya ide yang mendapat penghargaan');
    expect(innovations()).toEqual([]);
  });

  test('the organiser promotes it: one innovation, its timeline starts at the submission, both pages link', async () => {
    const reply = await promote('panitia', winner);
    expect(reply.status).toBe(200);
    expect(visibleText(reply.text)).toContain('Ide ini kini menjadi inovasi di Badami.');
    const made = innovations();
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ title: winnerTitle, opd: 'diskominfo', affair: 'komunikasi_informatika', origin_kind: 'datathon', origin_ref: winner, origin_url: submissionPage(winner), stage: 'ide' });
    const id = made[0]!.id!;
    // the submission's page links to the innovation, for everyone; the form is gone
    const submission = await c.anonymous!.get(submissionPage(winner));
    expect(visibleText(submission.text)).toContain(`Diinkubasi di Badami: ${winnerTitle}`);
    expect(submission.text).toContain(`href="/badami/innovations/${id}"`);
    expect(visibleText((await c.panitia!.get(submissionPage(winner))).text)).not.toContain('Promosikan ke Badami');
    // the innovation's timeline starts with the submission, linked, then its registration at Ide
    const page = await c.anonymous!.get(`/badami/innovations/${id}`);
    expect(page.status).toBe(200);
    const timeline = visibleText(/<ol class="timeline"[\s\S]*?<\/ol>/.exec(page.text)![0]);
    expect(timeline.indexOf(`Diajukan di datathon: ${winnerTitle}`)).toBe(0);
    expect(timeline).toContain('Didaftarkan pada tahap Ide');
    expect(timeline.indexOf('Diajukan di datathon')).toBeLessThan(timeline.indexOf('Didaftarkan pada tahap Ide'));
    expect(page.text).toContain(`href="${submissionPage(winner)}"`);
    // and it is on the public board at once (the board kept for anonymous readers is rebuilt after any Badami write),
    // while a signed-in official still gets their own board, with its forms
    const board = visibleText((await c.anonymous!.get('/badami')).text);
    expect(board).toContain(winnerTitle);
    expect(board).not.toContain('Belum ada inovasi.');
    expect(board).not.toContain('Daftarkan inovasi');
    expect(visibleText((await c.dinkes!.get('/badami')).text)).toContain('Daftarkan inovasi');
    // the kept board is per language: English readers get theirs
    const english = new Client(server.url);
    expect(visibleText((await english.get('/badami?lang=en')).text)).toContain('Badami Innovation Board');
    expect(visibleText((await english.get('/badami')).text)).toContain('Badami Innovation Board');
    expect(visibleText((await c.anonymous!.get('/badami')).text)).not.toContain('Badami Innovation Board');
  });

  test('promoting it again makes no second innovation and says which one exists', async () => {
    const id = innovations()[0]!.id!;
    const again = await promote('panitia', winner);
    expect(again.status).toBe(409);
    expect(visibleText(again.text)).toContain(`Ide ini sudah dipromosikan menjadi inovasi “${winnerTitle}” (${id}); tidak dibuat inovasi kedua.`);
    const english = await promote('panitia', winner, undefined, 'en');
    expect(visibleText(english.text)).toContain('This idea was already promoted');
    await c.panitia!.get('/?lang=id');
    expect(innovations()).toHaveLength(1);
    // an honourable mention is awarded too: it may become its own innovation, once, however many ask at the same time
    const answers = await Promise.all([0, 1, 2, 3].map(() => promote('panitia', honourable, { opd: 'dinkes', affair: 'kesehatan' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    expect(innovations()).toHaveLength(2);
  });
});

describe('demo content', () => {
  test('with the demo datathon seeded, the Badami demo incubates its winner once, labelled as demo', async () => {
    const demoDir = path.join(root, 'demo');
    const seeded = spawnSync(nodeBinary(REPO_ROOT), [path.join(REPO_ROOT, 'src/cli/datathon.ts'), 'demo'], { cwd: REPO_ROOT, env: { ...process.env, DATA_DIR: demoDir }, encoding: 'utf8' });
    expect(seeded.status, seeded.stderr).toBe(0);
    const incubated = () => {
      const app = new DatabaseSync(path.join(demoDir, 'app.sqlite'), { readOnly: true });
      try {
        return app
          .prepare("SELECT i.id, i.demo, i.origin_ref, s.title FROM badami_innovation i JOIN datathon_submission s ON s.id = i.origin_ref WHERE i.origin_kind = 'datathon'")
          .all() as { id: string; demo: number; origin_ref: string; title: string }[];
      } finally {
        app.close();
      }
    };
    let demo = await startTestServer({ dataDir: demoDir, env: { KOTA_DEMO_CONTENT: 'on' } });
    try {
      const found = incubated();
      expect(found, demo.output()).toHaveLength(1);
      expect(found[0]!.demo).toBe(1);
      const submission = visibleText((await demo.get(submissionPage(found[0]!.origin_ref))).text);
      expect(submission).toContain(`Diinkubasi di Badami: ${found[0]!.title}`);
      const page = visibleText((await demo.get(`/badami/innovations/${found[0]!.id}`)).text);
      expect(page).toContain(`Diajukan di datathon: ${found[0]!.title}`);
      await demo.stop();
      demo = await startTestServer({ dataDir: demoDir, env: { KOTA_DEMO_CONTENT: 'on' } });
      expect(incubated()).toHaveLength(1);
    } finally {
      await demo.stop();
    }
  }, 240_000);
});
