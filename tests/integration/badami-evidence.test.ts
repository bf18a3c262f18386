import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';
import { registerDinkesInnovation } from '../helpers/badami.ts';

/**
 * The innovation's manage area on the real server, through plain form posts (no JavaScript): the owner sets the
 * health by hand with a reason everyone sees, and clears it; adds evidence on its own (a file or a link tagged with
 * an IID indicator) without moving the stage. Then the evidence zip beside the IID export, read by an independent
 * reader (python3's zipfile): its files are the uploaded bytes, its manifest lists the links. An official of another
 * OPD gets 403 on each and nothing changes.
 */
let root: string;
let server: TestServer;
const password = 'sandi bukti dukung panjang';
const c: Record<string, Client> = {};
let id = '';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

const page = async () => visibleText((await c.anonymous!.get(`/badami/innovations/${id}`)).text);

async function postEvidence(who: string, fields: Record<string, string>, file?: { name: string; bytes: Buffer }): Promise<{ status: number; text: string }> {
  const form = new FormData();
  form.set('id', id);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.append('evidence_files', new File([new Uint8Array(file.bytes)], file.name, { type: 'application/pdf' }));
  const reply = await fetch(`${server.url}/badami/innovations/${id}?_action=badamiManage.evidence`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: c[who]!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' },
  });
  return { status: reply.status, text: visibleText(await reply.text()) };
}

beforeAll(async () => {
  root = makeTempDir('kota-badami-evidence-');
  const dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'dinkes@bukti.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  seedUser(dataDir, { email: 'kominfo@bukti.test', name: 'Pejabat Kominfo', password, role: 'official', scope: 'diskominfo' });
  server = await startTestServer({ dataDir });
  for (const who of ['dinkes', 'kominfo']) {
    c[who] = new Client(server.url);
    await c[who]!.logIn(`${who}@bukti.test`, password);
  }
  c.anonymous = new Client(server.url);
  id = await registerDinkesInnovation(c.dinkes!, 'Sistem Rujukan Terpadu', 'Rujukan pasien antar puskesmas dan rumah sakit dalam satu sistem.');
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

describe('health override form', () => {
  test('the owner sets "at risk" with a reason that everyone sees; without a reason it is refused; clearing it goes back', async () => {
    const at = `/badami/innovations/${id}`;
    expect((await c.dinkes!.get(at)).text).toContain('_action=badamiManage.health');
    const noReason = await c.dinkes!.post(`${at}?_action=badamiManage.health`, { id, health: 'at_risk', reason: '' });
    expect(noReason.status).toBe(400);
    expect(visibleText(noReason.text)).toContain('Alasan (ditampilkan kepada publik): wajib diisi.');
    expect(await page()).not.toContain('Diatur manual');
    const set = await c.dinkes!.post(`${at}?_action=badamiManage.health`, { id, health: 'at_risk', reason: 'Anggaran tahap dua <b>belum</b> cair.' });
    expect(set.status).toBe(200);
    const shown = await c.anonymous!.get(at);
    expect(visibleText(shown.text)).toContain('Berisiko (ditetapkan manual) Diatur manual: Berisiko. Alasan: Anggaran tahap dua');
    expect(shown.text).toContain('Anggaran tahap dua &lt;b&gt;belum&lt;/b&gt; cair.');
    expect(shown.text).not.toContain('<b>belum</b>');
    const cleared = await c.dinkes!.post(`${at}?_action=badamiManage.health`, { id, health: '', reason: '' });
    expect(cleared.status).toBe(200);
    expect(await page()).not.toContain('Diatur manual');
  });

  test('an official of another OPD gets 403 and the health stays as it was', async () => {
    const reply = await c.kominfo!.post(`/badami/innovations/${id}?_action=badamiManage.health`, { id, health: 'stalled', reason: 'Diambil alih' });
    expect(reply.status).toBe(403);
    expect(visibleText(reply.text)).toContain('Hanya pejabat perangkat daerah pemilik dan admin');
    expect(await page()).not.toContain('Diambil alih');
    expect((await c.kominfo!.get(`/badami/innovations/${id}`)).text).not.toContain('_action=badamiManage.health');
  });
});

describe('standalone evidence form', () => {
  test('a link and a file tagged with an IID indicator show under the evidence, the stage unchanged', async () => {
    expect(await page()).toContain('Belum ada bukti dukung.');
    const noIndicator = await postEvidence('dinkes', { evidence_indicator: '', evidence_url: 'https://jdih.example.go.id/perwal-12' });
    expect(noIndicator.status).toBe(400);
    const link = await postEvidence('dinkes', { evidence_indicator: 'regulasi', evidence_title: 'Perwal 12/2026', evidence_url: 'https://jdih.example.go.id/perwal-12' });
    expect(link.status).toBe(200);
    const file = await postEvidence('dinkes', { evidence_indicator: 'anggaran', evidence_title: 'DPA 2026' }, { name: 'DPA Dinkes 2026.pdf', bytes: PDF });
    expect(file.status).toBe(200);
    const text = await page();
    expect(text).not.toContain('Belum ada bukti dukung.');
    expect(text).toMatch(/: Perwal 12\/2026/);
    expect(text).toMatch(/: DPA 2026/);
    expect(text).toContain('Didaftarkan pada tahap Ide');
    expect(text).not.toContain('Ide → ');
  });

  test('an official of another OPD gets 403 and no evidence is added', async () => {
    const reply = await postEvidence('kominfo', { evidence_indicator: 'regulasi', evidence_title: 'Titipan', evidence_url: 'https://example.com/titipan' });
    expect(reply.status).toBe(403);
    expect(await page()).not.toContain('Titipan');
  });
});

describe('evidence zip', () => {
  test('an OPD official downloads the files named for the IID submission; python3 zipfile reads the same bytes and the manifest lists the link', async () => {
    const reply = await fetch(`${server.url}/badami/evidence.zip?opd=dinkes`, { headers: { cookie: c.dinkes!.cookieHeader() } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/zip');
    const zipFile = path.join(root, 'bukti.zip');
    writeFileSync(zipFile, Buffer.from(await reply.arrayBuffer()));
    const listed = spawnSync('python3', ['-c', ZIP_READ, zipFile], { encoding: 'utf8' });
    expect(listed.stderr).toBe('');
    const entries = JSON.parse(listed.stdout) as Record<string, string>;
    const names = Object.keys(entries).sort();
    const pdfName = `bukti-dukung-dinkes/dinkes/sistem-rujukan-terpadu-${id}/anggaran-1-dpa-dinkes-2026.pdf`;
    expect(names).toEqual(['bukti-dukung-dinkes/README.txt', 'bukti-dukung-dinkes/manifest.csv', pdfName].sort());
    expect(Buffer.from(entries[pdfName]!, 'base64').equals(PDF)).toBe(true);
    const manifest = Buffer.from(entries['bukti-dukung-dinkes/manifest.csv']!, 'base64').toString('utf8');
    expect(manifest).toContain('regulasi');
    expect(manifest).toContain('https://jdih.example.go.id/perwal-12');
    expect(manifest).toContain(`dinkes/sistem-rujukan-terpadu-${id}/anggaran-1-dpa-dinkes-2026.pdf,,${PDF.length}`);
    // unzip, a second independent reader, agrees on the listing
    const dir = path.join(root, 'unzipped');
    mkdirSync(dir);
    const unzip = spawnSync('unzip', ['-q', zipFile, '-d', dir], { encoding: 'utf8' });
    if (unzip.error === undefined) expect(readFileSync(path.join(dir, pdfName)).equals(PDF)).toBe(true);
  });

  test('the same people as the IID export: another OPD and visitors are refused, the whole city is for admins', async () => {
    const get = async (who: string, query: string) => (await fetch(`${server.url}/badami/evidence.zip${query}`, { headers: { cookie: c[who]!.cookieHeader() } })).status;
    expect(await get('kominfo', '?opd=dinkes')).toBe(403);
    expect(await get('anonymous', '?opd=dinkes')).toBe(401);
    expect(await get('dinkes', '')).toBe(403);
    expect(await get('kominfo', '?opd=diskominfo')).toBe(200);
  });
});

const ZIP_READ = `
import sys, json, zipfile, base64
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    print(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist()}))
`;
