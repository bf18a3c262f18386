import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * Badami's bulk update on the real server, through the plain multipart form of /badami/import: an official brings
 * back the IID, milestones or measurements export (CSV or XLSX). Unchanged, it stores nothing and the next export
 * is identical; one bad row rejects the whole file with row-level errors in the reader's language and nothing is
 * stored (counted before and after); an official of another OPD gets 403 and nothing changes.
 */
let root: string;
let server: TestServer;
const password = 'sandi impor papan panjang';
const c: Record<string, Client> = {};
let id = '';
let kpi = '';

const PROFILE = {
  title: 'Posyandu Digital Cibeunying',
  summary: 'Pencatatan tumbuh kembang balita di posyandu dengan aplikasi.',
  opd: 'dinkes',
  initiator: 'asn',
  innovation_type: 'digital',
  form: 'pelayanan_publik',
  affair: 'kesehatan',
  start_date: '2026-07-01',
  budget: '150000000',
  kecamatan: '32.73.02',
  // typed in a browser's textarea: CRLF line breaks, which the round trip must keep
  design: 'Rancang bangun singkat.\r\n\r\nBaris kedua, dengan "kutip".',
  contact_name: 'Siti Rahma',
  contact_role: 'Kepala Seksi',
  contact_email: 'siti@example.go.id',
};

async function download(who: string, pathname: string): Promise<{ status: number; bytes: Buffer }> {
  const reply = await fetch(server.url + pathname, { headers: { cookie: c[who]!.cookieHeader() } });
  return { status: reply.status, bytes: Buffer.from(await reply.arrayBuffer()) };
}

async function upload(who: string, kind: string, bytes: Buffer | string, name: string, lang = 'id'): Promise<{ status: number; text: string }> {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new File([Buffer.from(bytes)], name));
  const reply = await fetch(`${server.url}/badami/import?lang=${lang}&_action=badamiImport.upload`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: c[who]!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' },
  });
  return { status: reply.status, text: visibleText(await reply.text()) };
}

const exportPath = (kind: string, format: string) => `/badami/export?opd=dinkes&format=${format}${kind === 'iid' ? '' : `&kind=${kind}`}`;
const csvOf = async (kind: string) => (await download('dinkes', exportPath(kind, 'csv'))).bytes.toString('utf8');
/** The data lines of an exported CSV (the header and the final line break aside). */
const rowCount = async (kind: string) => (await csvOf(kind)).trimEnd().split('\r\n').length - 1;
const pageText = async () => visibleText((await c.anonymous!.get(`/badami/innovations/${id}`)).text);

beforeAll(async () => {
  root = makeTempDir('kota-badami-import-');
  const dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'dinkes@impor.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  seedUser(dataDir, { email: 'kominfo@impor.test', name: 'Pejabat Kominfo', password, role: 'official', scope: 'diskominfo' });
  seedUser(dataDir, { email: 'warga@impor.test', name: 'Warga', password });
  seedUser(dataDir, { email: 'admin@impor.test', name: 'Admin Kota', password, role: 'admin' });
  server = await startTestServer({ dataDir });
  for (const who of ['dinkes', 'kominfo', 'warga', 'admin']) {
    c[who] = new Client(server.url);
    await c[who]!.logIn(`${who}@impor.test`, password);
  }
  c.anonymous = new Client(server.url);
  const created = await c.dinkes!.post('/badami/new?_action=badami.create', PROFILE);
  id = /\/badami\/innovations\/([a-z0-9]+)$/.exec(created.location ?? '')![1]!;
  const at = `/badami/innovations/${id}`;
  await c.dinkes!.post(`${at}?_action=badami.addMilestone`, { id, title: 'Pelatihan kader', owner: 'Seksi Gizi', due_on: '2030-01-31' });
  await c.dinkes!.post(`${at}?_action=badami.addKpi`, { id, name: 'Balita tercatat', unit: '%', baseline: '40', target: '90', target_on: '2030-12-31', direction: 'higher' });
  kpi = /name="kpi"[\s\S]*?<option value="(\d+)"/.exec((await c.dinkes!.get(at)).text)![1]!;
  await c.dinkes!.post(`${at}?_action=badami.measure`, { id, kpi, value: '65', measured_on: '2026-11-01' });
  await c.kominfo!.post('/badami/new?_action=badami.create', { ...PROFILE, opd: 'diskominfo', title: 'Layanan Aduan Terpadu' });
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

/** What each export holds of the innovation set up above (the design with its CRLF line breaks, quotes doubled). */
const SHOWN = { iid: 'Rancang bangun singkat.\r\n\r\nBaris kedua, dengan ""kutip"".', milestones: 'Pelatihan kader,Seksi Gizi,2030-01-31', measurements: '2026-11-01,65,manual' };

describe('round trip: export → import → identical export', () => {
  for (const [kind, importKind] of [['iid', 'innovations'], ['milestones', 'milestones'], ['measurements', 'measurements']] as const) {
    test(`${kind}: the CSV and the XLSX export imported unchanged store nothing and the export stays byte for byte the same`, async () => {
      const before = await csvOf(kind);
      expect(before).toContain(SHOWN[kind]);
      const csv = await upload('dinkes', importKind, before, `${kind}.csv`);
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('Impor selesai: 0 ditambahkan, 0 diubah, 1 tetap.');
      const xlsx = await download('dinkes', exportPath(kind, 'xlsx'));
      expect(xlsx.status).toBe(200);
      // An independent reader (python3, zipfile + XML) sees the same header and rows as the CSV.
      const file = path.join(root, `${kind}.xlsx`);
      writeFileSync(file, xlsx.bytes);
      const read = spawnSync('python3', [path.join(REPO_ROOT, 'tests/fixtures/read_xlsx.py'), file], { encoding: 'utf8' });
      expect(read.stderr).toBe('');
      const cells = (JSON.parse(read.stdout) as ({ value: unknown } | null)[][]).map((r) => r.map((cell) => cell?.value ?? null));
      expect(cells).toHaveLength(2);
      expect(cells[0]![0]).toBe(kind === 'iid' ? 'ID' : 'ID inovasi');
      const fromXlsx = await upload('dinkes', importKind, xlsx.bytes, `${kind}.xlsx`);
      expect(fromXlsx.status).toBe(200);
      expect(fromXlsx.text).toContain('Impor selesai: 0 ditambahkan, 0 diubah, 1 tetap.');
      expect(await csvOf(kind)).toBe(before);
    });
  }
});

describe('a bad row rejects the whole file', () => {
  test('measurements: two new rows and one that is not a number — row error with line, column, expected and found; nothing stored', async () => {
    const before = await rowCount('measurements');
    const csv = (await csvOf('measurements')).trimEnd();
    const added = [`${id},,${kpi},,,2026-12-01,70,,Desember`, `${id},,${kpi},,,2027-01-01,dua,,Januari`, `${id},,${kpi},,,2027-02-01,75,,Februari`];
    const reply = await upload('dinkes', 'measurements', `${csv}\r\n${added.join('\r\n')}\r\n`, 'ukur.csv');
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('Berkas ditolak; tidak ada yang diubah.');
    expect(reply.text).toContain('Baris 4, kolom Nilai: diharapkan angka (misalnya 1234.5), ditemukan "dua".');
    expect(await rowCount('measurements')).toBe(before);
    const english = await upload('dinkes', 'measurements', `${csv}\r\n${added.join('\r\n')}\r\n`, 'ukur.csv', 'en');
    expect(english.status).toBe(400);
    expect(english.text).toContain('Line 4, column Value: expected a number (such as 1234.5), found "dua".');
    // Refused by the domain (new rows of a KPI are stored together): the problem is still on its own row.
    const empty = [`${id},,${kpi},,,2026-12-01,70,,Desember`, `${id},,${kpi},,,2027-01-01,,,Januari`, `${id},,999999,,,2027-01-01,1,,`];
    const domain = await upload('dinkes', 'measurements', `${csv}\r\n${empty.join('\r\n')}\r\n`, 'ukur.csv');
    expect(domain.status).toBe(400);
    expect(domain.text).toMatch(/Baris 4: Nilai[^:]*: harus berupa angka\. Ditemukan ""\. Baris 5, kolom ID KPI: diharapkan ID yang ada pada inovasi ini, ditemukan "999999"\./);
    expect(await rowCount('measurements')).toBe(before);
  });

  test('milestones: a new good row and one the domain refuses (no due date) — nothing stored, the refused field named', async () => {
    const before = await rowCount('milestones');
    const csv = (await csvOf('milestones')).trimEnd();
    const reply = await upload('dinkes', 'milestones', `${csv}\r\n${id},,,Uji coba,Seksi Gizi,2030-03-01,,\r\n${id},,,Evaluasi,Seksi Gizi,,,\r\n`, 'tonggak.csv');
    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(/Baris 4: Tenggat[^:]*: tanggal tidak valid \(TTTT-BB-HH\)\. Ditemukan ""\./);
    expect(await rowCount('milestones')).toBe(before);
    expect(await pageText()).not.toContain('Uji coba — Seksi Gizi');
    // 150 bad rows: the first 100 are listed, the rest counted
    const many = Array.from({ length: 150 }, (_, i) => `${id},,,Tonggak ${i},Seksi Gizi,,,`).join('\r\n');
    const long = await upload('dinkes', 'milestones', `${csv}\r\n${many}\r\n`, 'tonggak.csv');
    expect(long.status).toBe(400);
    // (line 2 is the existing milestone: the bad rows are lines 3 to 152)
    expect(long.text).toContain('Baris 102: Tenggat');
    expect(long.text).not.toContain('Baris 103: Tenggat');
    expect(long.text).toContain('… dan 50 masalah lain.');
    expect(await rowCount('milestones')).toBe(before);
  });

  test('innovations: a renamed title beside an unknown initiator and a changed stage — both named, the title not saved', async () => {
    const csv = await csvOf('iid');
    const edited = csv.replace('Posyandu Digital Cibeunying', 'Posyandu Digital Bandung').replace(',ASN,', ',Presiden,').replace(',Ide,', ',Penerapan,');
    expect(edited).not.toBe(csv);
    const reply = await upload('dinkes', 'innovations', edited, 'iid.csv');
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('Baris 2, kolom Inisiator: diharapkan salah satu dari: Kepala daerah, Anggota DPRD, OPD, ASN, Masyarakat; ditemukan "Presiden".');
    expect(reply.text).toContain('Baris 2, kolom Tahap: tidak bisa diubah lewat impor (ubah di halaman inovasi); diharapkan "Ide", ditemukan "Penerapan".');
    expect(await pageText()).toContain('Posyandu Digital Cibeunying');
    expect(await csvOf('iid')).toBe(csv);
  });
});

describe('a good file is stored whole', () => {
  test('a renamed innovation, a new milestone and a new measurement (source csv) show on the public page', async () => {
    const iid = (await csvOf('iid')).replace('Posyandu Digital Cibeunying', 'Posyandu Digital Bandung');
    const saved = await upload('dinkes', 'innovations', iid, 'iid.csv');
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Impor selesai: 0 ditambahkan, 1 diubah, 0 tetap.');
    const milestones = `${(await csvOf('milestones')).trimEnd()}\r\n${id},,,Uji coba di 3 posyandu,Seksi Gizi,2030-03-01,,\r\n`;
    expect((await upload('dinkes', 'milestones', milestones, 'm.csv')).text).toContain('Impor selesai: 1 ditambahkan, 0 diubah, 1 tetap.');
    const measurements = `${(await csvOf('measurements')).trimEnd()}\r\n${id},,${kpi},,,2026-12-01,70,,Desember\r\n`;
    expect((await upload('dinkes', 'measurements', measurements, 'u.csv')).text).toContain('Impor selesai: 1 ditambahkan, 0 diubah, 1 tetap.');
    const text = await pageText();
    expect(text).toContain('Posyandu Digital Bandung');
    expect(text).toContain('Uji coba di 3 posyandu — Seksi Gizi, 2030-03-01');
    expect(text).toContain('Terakhir: 70 (2026-12-01)');
    expect(await csvOf('measurements')).toMatch(/2026-12-01,70,csv,Desember/);
    // A recorded measurement is history: changing it in the file is refused, nothing else stored with it.
    const changed = (await csvOf('measurements')).replace('2026-12-01,70,', '2026-12-01,71,');
    const refused = await upload('dinkes', 'measurements', changed, 'u.csv');
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/Baris 3, kolom ID pengukuran: pengukuran "\d+" sudah tercatat dan tidak bisa diubah/);
  });
});

describe('new innovations from a file', () => {
  const row = ',Klinik Gizi Keliling,Uji coba,OPD,Digital,Inovasi pelayanan publik,Kesehatan,2026-08-01,,,Layanan gizi keliling untuk balita di setiap kelurahan.,,,,,,Dinas Kesehatan,Seluruh kota,"Budi Santoso, budi@example.go.id",';

  test('a row without an ID registers an innovation of its OPD at its stage; the same row again is refused, not doubled', async () => {
    const csv = (await csvOf('iid')).trimEnd();
    const saved = await upload('dinkes', 'innovations', `${csv}\r\n${row}\r\n`, 'iid.csv');
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Impor selesai: 1 ditambahkan, 0 diubah, 1 tetap.');
    const board = visibleText((await c.anonymous!.get('/badami?view=table')).text);
    expect(board).toContain('Klinik Gizi Keliling Dinas Kesehatan Uji coba');
    const again = await upload('dinkes', 'innovations', `${csv}\r\n${row}\r\n`, 'iid.csv');
    expect(again.status).toBe(400);
    expect(again.text).toMatch(/Baris 3, kolom Nama inovasi: "Klinik Gizi Keliling" sudah dipakai inovasi [a-z0-9]+ perangkat daerah ini; isi kolom ID untuk mengubahnya\./);
  });

  test('a new row needs what the form needs, and empty derived columns; another OPD may not register for dinkes (403)', async () => {
    const csv = (await csvOf('iid')).trimEnd();
    const bad = ',Klinik Lain,Uji coba,OPD,Digital,Inovasi pelayanan publik,Kesehatan,2026-08-01,2026-09-01,,,,,,,,Dinas Kesehatan,,,';
    const reply = await upload('dinkes', 'innovations', `${csv}\r\n${bad}\r\n`, 'iid.csv');
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('Baris 4, kolom Waktu uji coba: harus kosong untuk inovasi baru');
    const noSummary = bad.replace('2026-09-01', '');
    const refused = await upload('dinkes', 'innovations', `${csv}\r\n${noSummary}\r\n`, 'iid.csv');
    expect(refused.text).toContain('Baris 4: Ringkasan: wajib diisi. Ditemukan "".');
    const other = await upload('kominfo', 'innovations', `${(await download('kominfo', '/badami/export?opd=diskominfo&format=csv')).bytes.toString('utf8').trimEnd()}\r\n${row.replace('Klinik Gizi Keliling', 'Klinik Titipan')}\r\n`, 'iid.csv');
    expect(other.status).toBe(403);
    expect(other.text).toContain('Baris 3, kolom Perangkat daerah pemilik: hanya pejabat Dinas Kesehatan dan admin yang boleh mendaftarkan inovasinya');
    expect(visibleText((await c.anonymous!.get('/badami?view=table')).text)).not.toMatch(/Klinik Lain|Klinik Titipan/);
  });
});

describe('authorization', () => {
  test('an official of another OPD gets 403 with the rows named, and nothing changes; a citizen too', async () => {
    const before = { iid: await csvOf('iid'), milestones: await csvOf('milestones'), measurements: await csvOf('measurements') };
    const taken = before.iid.replace('Posyandu Digital Bandung', 'Diambil alih Kominfo');
    const reply = await upload('kominfo', 'innovations', taken, 'iid.csv');
    expect(reply.status).toBe(403);
    expect(reply.text).toContain('Berkas ditolak: berisi inovasi yang tidak boleh Anda ubah; tidak ada yang diubah.');
    // every row is named (the file holds the innovation registered from a file above too, sorted before this one)
    expect(reply.text).toContain(`Baris 3, kolom ID: inovasi "${id}" milik Dinas Kesehatan; hanya pejabat perangkat daerah itu dan admin yang boleh mengubahnya.`);
    expect(reply.text).toMatch(/Baris 2, kolom ID: inovasi "[a-z0-9]+" milik Dinas Kesehatan/);
    const milestone = `${before.milestones.trimEnd()}\r\n${id},,,Tonggak titipan,Kominfo,2030-05-01,,\r\n`;
    expect((await upload('kominfo', 'milestones', milestone, 'm.csv')).status).toBe(403);
    expect((await upload('warga', 'measurements', `${before.measurements.trimEnd()}\r\n${id},,${kpi},,,2027-01-01,1,,\r\n`, 'u.csv')).status).toBe(403);
    expect(await csvOf('iid')).toBe(before.iid);
    expect(await csvOf('milestones')).toBe(before.milestones);
    expect(await csvOf('measurements')).toBe(before.measurements);
    expect(await pageText()).not.toContain('Diambil alih');
  });

  test('an admin imports for any OPD: the whole city\'s milestones export with a new dinkes row', async () => {
    const city = (await download('admin', '/badami/export?kind=milestones&format=csv')).bytes.toString('utf8').trimEnd();
    const reply = await upload('admin', 'milestones', `${city}\r\n${id},,,Evaluasi kota,Bagian Organisasi,2030-06-30,,\r\n`, 'kota.csv');
    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(/Impor selesai: 1 ditambahkan, 0 diubah, \d+ tetap\./);
    expect(await pageText()).toContain('Evaluasi kota — Bagian Organisasi, 2030-06-30');
  });

  test('the page is a plain form for officials; a citizen gets 403 and a visitor the log-in page', async () => {
    const page = await c.dinkes!.get('/badami/import');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<form method="post" action="\?_action=badamiImport.upload" enctype="multipart\/form-data"/);
    expect(visibleText(page.text)).toContain('Perbarui massal dari berkas');
    expect(page.text).toContain('/badami/export?opd=dinkes&amp;kind=milestones&amp;format=csv');
    expect((await c.warga!.get('/badami/import')).status).toBe(403);
    expect((await c.anonymous!.get('/badami/import')).status).toBe(302);
  });
});
