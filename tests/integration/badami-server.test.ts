import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * The Badami board on the real server, through the forms a browser posts (no JavaScript): an official registers an
 * innovation, moves it on the board with a note, adds a milestone, a KPI, a measurement and a progress update; the
 * public board, table and innovation page show it all. An official of another OPD and a citizen are refused (403)
 * and nothing changes; bad input is named field by field in the reader's language.
 */
let root: string;
let server: TestServer;
const password = 'sandi papan inovasi panjang';
const c: Record<string, Client> = {};
let id = '';

const PROFILE = {
  title: 'Posyandu Digital Cibeunying',
  summary: 'Pencatatan tumbuh kembang balita di posyandu dengan aplikasi.',
  opd: 'dinkes',
  initiator: 'opd',
  innovation_type: 'digital',
  form: 'pelayanan_publik',
  affair: 'kesehatan',
  start_date: '2026-07-01',
  budget: '150000000',
  kecamatan: '32.73.02',
  design: 'Rancang bangun **singkat**.',
  contact_name: 'Siti Rahma',
  contact_email: 'siti@example.go.id',
  topics: 'kesehatan, stunting',
  sdgs: '3',
};

const page = () => c.anonymous!.get(`/badami/innovations/${id}`);
const stageOf = async () => /<span[^>]*class="tag primary"[^>]*>\s*([^<]+?)\s*<\/span>/.exec((await page()).text)?.[1];

beforeAll(async () => {
  root = makeTempDir('kota-badami-server-');
  const dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'dinkes@badami.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  seedUser(dataDir, { email: 'kominfo@badami.test', name: 'Pejabat Kominfo', password, role: 'official', scope: 'diskominfo' });
  seedUser(dataDir, { email: 'warga@badami.test', name: 'Warga', password });
  server = await startTestServer({ dataDir });
  for (const who of ['dinkes', 'kominfo', 'warga']) {
    c[who] = new Client(server.url);
    await c[who]!.logIn(`${who}@badami.test`, password);
  }
  c.anonymous = new Client(server.url);
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

describe('an official keeps an innovation current; everyone sees it', () => {
  test('a profile with mistakes is refused field by field (400), in Bahasa Indonesia and in English, and nothing is created', async () => {
    const bad = { ...PROFILE, title: '', start_date: '2026-02-30', contact_email: 'bukan-email', kecamatan: '' };
    const reply = await c.dinkes!.post('/badami/new?_action=badami.create', bad);
    expect(reply.status).toBe(400);
    const text = visibleText(reply.text);
    expect(text).toContain('Nama inovasi: wajib diisi.');
    expect(text).toContain('Waktu mulai (TTTT-BB-HH): tanggal tidak valid');
    expect(text).toContain('Surel narahubung: alamat surel tidak valid.');
    // What was typed is still in the form.
    expect(reply.text).toContain('value="2026-02-30"');
    const english = await c.dinkes!.post('/badami/new?lang=en&_action=badami.create', bad);
    expect(english.status).toBe(400);
    expect(visibleText(english.text)).toContain('Name of the innovation: required.');
    await c.dinkes!.get('/badami?lang=id');
    expect(visibleText((await c.anonymous!.get('/badami')).text)).toContain('Belum ada inovasi.');
    const noArea = await c.dinkes!.post('/badami/new?_action=badami.create', { ...PROFILE, kecamatan: '' });
    expect(noArea.status).toBe(400);
    expect(visibleText(noArea.text)).toContain('Kecamatan: pilih minimal satu kecamatan');
  });

  test('registering answers 303 to the new innovation page, which everyone can read', async () => {
    const reply = await c.dinkes!.post('/badami/new?_action=badami.create', PROFILE);
    expect(reply.status).toBe(303);
    id = /\/badami\/innovations\/([a-z0-9]+)$/.exec(reply.location ?? '')![1]!;
    const shown = await page();
    expect(shown.status).toBe(200);
    const text = visibleText(shown.text);
    expect(text).toContain('Posyandu Digital Cibeunying');
    expect(text).toContain('Pemilik: Dinas Kesehatan');
    expect(text).toContain('Didaftarkan pada tahap Ide');
    expect(text).toContain('Inovasi pelayanan publik');
    expect(shown.text).toContain('<strong>singkat</strong>');
    expect(await stageOf()).toBe('Ide');
    // A visitor gets no management forms.
    expect(text).not.toContain('Kelola inovasi');
    expect(shown.text).not.toContain('_action=badami.move');
  });

  test('the board shows the card in its stage column; only its OPD officials get the "move to" form', async () => {
    const board = await c.anonymous!.get('/badami');
    expect(board.status).toBe(200);
    const column = /<section[^>]*data-column="ide"[\s\S]*?<\/section>/.exec(board.text)![0];
    expect(visibleText(column)).toContain('Posyandu Digital Cibeunying');
    expect(board.text).not.toContain('_action=badami.move');
    expect((await c.kominfo!.get('/badami')).text).not.toContain(`data-move-form="${id}"`);
    expect((await c.dinkes!.get('/badami')).text).toContain(`data-move-form="${id}"`);
    const table = visibleText((await c.anonymous!.get('/badami?view=table')).text);
    expect(table).toContain('Posyandu Digital Cibeunying Dinas Kesehatan Ide');
  });

  test('an official of another OPD and a citizen get 403 on every form, and nothing changes', async () => {
    for (const who of ['kominfo', 'warga']) {
      const move = await c[who]!.post('/badami?_action=badami.move', { id, from: 'ide', to: 'inisiatif', note: 'coba pindah' });
      expect(move.status).toBe(403);
      expect(visibleText(move.text)).toContain('Hanya pejabat perangkat daerah pemilik dan admin');
      const update = await c[who]!.post(`/badami/innovations/${id}?_action=badami.postUpdate`, { id, title: 'Palsu', body: 'Isi palsu' });
      expect(update.status).toBe(403);
      const edit = await c[who]!.post(`/badami/innovations/${id}/edit?_action=badami.update`, { ...PROFILE, id, title: 'Diambil alih' });
      expect(edit.status).toBe(403);
      expect((await c[who]!.get(`/badami/innovations/${id}/edit`)).status).toBe(403);
    }
    expect((await c.warga!.get('/badami/new')).status).toBe(403);
    expect((await c.anonymous!.post('/badami?_action=badami.move', { id, to: 'inisiatif', note: 'x' })).status).toBe(401);
    expect(await stageOf()).toBe('Ide');
    const text = visibleText((await page()).text);
    expect(text).toContain('Posyandu Digital Cibeunying');
    expect(text).not.toContain('Palsu');
    expect(text).toContain('Belum ada kabar.');
  });

  test('a move needs a note, and skipping a stage a reason; with them the card moves and the timeline shows who and why', async () => {
    const noNote = await c.dinkes!.post('/badami?_action=badami.move', { id, from: 'ide', to: 'inisiatif', note: '' });
    expect(noNote.status).toBe(400);
    expect(visibleText(noNote.text)).toContain('Catatan perpindahan: wajib diisi.');
    const skip = await c.dinkes!.post('/badami?_action=badami.move', { id, from: 'ide', to: 'penerapan', note: 'langsung' });
    expect(skip.status).toBe(400);
    expect(visibleText(skip.text)).toContain('wajib diisi untuk perpindahan ini');
    expect(await stageOf()).toBe('Ide');
    const moved = await c.dinkes!.post('/badami?_action=badami.move', { id, from: 'ide', to: 'inisiatif', note: 'SK kepala dinas terbit.' });
    expect(moved.status).toBe(200);
    expect(visibleText(moved.text)).toContain('Dipindahkan ke tahap Inisiatif.');
    expect(await stageOf()).toBe('Inisiatif');
    const text = visibleText((await page()).text);
    expect(text).toContain('Ide → Inisiatif oleh Pejabat Dinkes');
    expect(text).toContain('SK kepala dinas terbit.');
    // The form still shows the stage the official saw: moving from "ide" again is a conflict, not a second move.
    const stale = await c.dinkes!.post('/badami?_action=badami.move', { id, from: 'ide', to: 'inisiatif', note: 'lagi' });
    expect(stale.status).toBe(409);
    expect(visibleText(stale.text)).toContain('baru saja diubah orang lain');
  });

  test('milestones, KPIs, measurements and progress updates appear on the public page', async () => {
    const at = `/badami/innovations/${id}`;
    expect((await c.dinkes!.post(`${at}?_action=badami.addMilestone`, { id, title: 'Pelatihan kader', owner: 'Seksi Gizi', due_on: '2030-01-31' })).status).toBe(200);
    const badKpi = await c.dinkes!.post(`${at}?_action=badami.addKpi`, { id, name: 'Balita tercatat', unit: '%', baseline: '40', target: '30', target_on: '2030-12-31', direction: 'higher' });
    expect(badKpi.status).toBe(400);
    expect(visibleText(badKpi.text)).toContain('Target: untuk arah “makin tinggi”, target harus di atas nilai awal.');
    expect((await c.dinkes!.post(`${at}?_action=badami.addKpi`, { id, name: 'Balita tercatat', unit: '%', baseline: '40', target: '90', target_on: '2030-12-31', direction: 'higher' })).status).toBe(200);
    const kpi = /name="kpi"[\s\S]*?<option value="(\d+)"/.exec((await c.dinkes!.get(at)).text)![1]!;
    expect((await c.dinkes!.post(`${at}?_action=badami.measure`, { id, kpi, value: '65', measured_on: '2026-11-01' })).status).toBe(200);
    const update = await c.dinkes!.post(`${at}?_action=badami.postUpdate`, { id, title: 'Uji coba di 3 posyandu', body: 'Kader sudah **terlatih**. <script>alert(1)</script>' });
    expect(update.status).toBe(200);
    const shown = await page();
    const text = visibleText(shown.text);
    expect(text).toContain('Pelatihan kader — Seksi Gizi, 2030-01-31');
    expect(text).toContain('Balita tercatat (%)');
    expect(text).toContain('Terakhir: 65 (2026-11-01)');
    expect(text).toContain('Capaian KPI: 50%');
    expect(text).toContain('Uji coba di 3 posyandu');
    expect(shown.text).toContain('<strong>terlatih</strong>');
    expect(shown.text).not.toContain('<script>alert(1)</script>');
    expect(text).toContain('Diskusi');
  });

  test('the profile can be edited by its officials; the stage and history stay', async () => {
    const form = await c.dinkes!.get(`/badami/innovations/${id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Posyandu Digital Cibeunying"');
    const saved = await c.dinkes!.post(`/badami/innovations/${id}/edit?_action=badami.update`, { ...PROFILE, id, title: 'Posyandu Digital Bandung', kecamatan: ['32.73.02', '32.73.10'] });
    expect(saved.status).toBe(303);
    const text = visibleText((await page()).text);
    expect(text).toContain('Posyandu Digital Bandung');
    expect(text).toContain('Ide → Inisiatif');
    expect(await stageOf()).toBe('Inisiatif');
  });
});

describe('the IID export', () => {
  test('an OPD official downloads their innovations laid out like the IID form, read back by an independent reader', async () => {
    const reply = await fetch(`${server.url}/badami/export?opd=dinkes`, { headers: { cookie: c.dinkes!.cookieHeader() } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('spreadsheetml');
    const file = path.join(root, 'iid.xlsx');
    writeFileSync(file, Buffer.from(await reply.arrayBuffer()));
    const read = spawnSync('python3', [path.join(REPO_ROOT, 'tests/fixtures/read_xlsx.py'), file], { encoding: 'utf8' });
    expect(read.stderr).toBe('');
    const rows = (JSON.parse(read.stdout) as ({ value: unknown } | null)[][]).map((r) => r.map((cell) => cell?.value ?? null));
    expect(rows[0]!.slice(0, 10)).toEqual(['ID', 'Nama inovasi', 'Tahap', 'Inisiator', 'Jenis inovasi', 'Bentuk inovasi', 'Urusan pemerintahan', 'Waktu mulai (TTTT-BB-HH)', 'Waktu uji coba', 'Waktu penerapan']);
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(rows[0]!.map((h, i) => [h, rows[1]![i]]));
    expect(row).toMatchObject({ ID: id, 'Nama inovasi': 'Posyandu Digital Bandung', Tahap: 'Inisiatif', 'Urusan pemerintahan': 'Kesehatan', 'Anggaran (Rp)': 150000000, 'Perangkat daerah pemilik': 'Dinas Kesehatan' });
    // Another OPD's official, a citizen and a visitor get nothing of dinkes; the whole city is for admins.
    for (const [who, status] of [['kominfo', 403], ['warga', 403], ['anonymous', 401]] as const) {
      expect((await c[who]!.get('/badami/export?opd=dinkes')).status).toBe(status);
    }
    expect((await c.dinkes!.get('/badami/export')).status).toBe(403);
  });
});

describe('the Atom feed', () => {
  test('is well-formed Atom with the required elements, its entries the moves and updates, people’s text escaped', async () => {
    await c.dinkes!.post(`/badami/innovations/${id}?_action=badami.postUpdate`, { id, title: 'Judul <b>&</b> "kutip"', body: 'Isi ]]> <img src=x onerror=alert(1)>' });
    const feed = await c.anonymous!.get('/badami/feed.xml');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    // An independent parser (python3's ElementTree) reads it and checks RFC 4287's required elements.
    const check = spawnSync('python3', ['-c', ATOM_CHECK], { input: feed.text, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    const report = JSON.parse(check.stdout) as { entries: { title: string; content: string }[] };
    const titles = report.entries.map((e) => e.title);
    expect(titles).toContain('Posyandu Digital Bandung: Judul <b>&</b> "kutip"');
    expect(titles).toContain('Posyandu Digital Bandung: Uji coba di 3 posyandu');
    expect(titles).toContain('Posyandu Digital Bandung: Ide → Inisiatif');
    const hostile = report.entries.find((e) => e.title.includes('kutip'))!;
    expect(hostile.content).toContain('&lt;img');
    expect(hostile.content).not.toMatch(/<img/);
  });
});

const ATOM_CHECK = `
import sys, json, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
root = ET.fromstring(sys.stdin.read().encode('utf-8'))
assert root.tag == A + 'feed', root.tag
for name in ('id', 'title', 'updated'):
    assert root.find(A + name) is not None and root.find(A + name).text, 'feed ' + name
assert root.find(A + 'author/' + A + 'name').text
assert any(l.get('rel') == 'self' for l in root.findall(A + 'link'))
entries = []
for e in root.findall(A + 'entry'):
    for name in ('id', 'title', 'updated'):
        assert e.find(A + name) is not None and e.find(A + name).text, 'entry ' + name
    assert e.find(A + 'link').get('href').startswith('http')
    entries.append({'title': e.find(A + 'title').text, 'content': e.find(A + 'content').text or ''})
print(json.dumps({'entries': entries}))
`;
