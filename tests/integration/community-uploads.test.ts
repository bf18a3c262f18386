import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ExifReader from 'exifreader';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configWithCommunity } from '../helpers/community.ts';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * Uploads on the real server: typed by their bytes, images re-encoded without metadata (a JPEG with GPS EXIF comes
 * back without it, read by an independent EXIF reader), SVG/HTML refused, size limits, safe serving headers, the
 * subject's visibility, deletion, and the limits on action bodies.
 */
let root: string;
let dataDir: string;
let server: TestServer;
const password = 'sandi unggah yang panjang';
const clients: Record<string, Client> = {};
const THREAD = '/discussions/dataset/penduduk-kecamatan';
const RESTRICTED = '/discussions/dataset/data-terbatas';

beforeAll(async () => {
  root = makeTempDir('kota-community-uploads-');
  dataDir = path.join(root, 'data');
  await publishTestVersion(dataDir, { id: 'penduduk-kecamatan', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }] });
  await publishTestVersion(dataDir, { id: 'data-terbatas', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 1 }], metadata: { classification: 'terbatas', title: 'Data terbatas' } });
  seedUser(dataDir, { email: 'pejabat@unggah.test', name: 'Pejabat', password, role: 'official', scope: 'disdukcapil' });
  seedUser(dataDir, { email: 'warga@unggah.test', name: 'Warga', password });
  const config = configWithCommunity(root, { hold_new_accounts: { younger_than_days: 3, first_comments: 0 }, uploads: { image_max_mb: 1, document_max_mb: 2 } });
  server = await startTestServer({ dataDir, env: { KOTA_CONFIG: config } });
  for (const who of ['pejabat', 'warga']) {
    clients[who] = new Client(server.url);
    await clients[who]!.logIn(`${who}@unggah.test`, password);
  }
  clients.anonymous = new Client(server.url);
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

/** Posts a file with the page's multipart upload form, as a browser would. */
async function upload(who: string, page: string, file: { name: string; type: string; bytes: Uint8Array }, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('subject', fields.subject ?? `dataset:${page.split('/').pop()}`);
  form.set('accept', fields.accept ?? 'evidence');
  form.set('file', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  const client = clients[who]!;
  const response = await fetch(`${server.url}${page}?_action=community.uploadFile`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: client.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' },
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

const uploadIds = (html: string) => [...html.matchAll(/href="\/uploads\/([a-z0-9]+)"/g)].map((m) => m[1]!);

async function gpsJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 200, channels: 3, background: '#2a7' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'KameraKota', Model: 'GPS-1', Artist: 'Nama Pemotret' }, IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 54/1 3600/100', GPSLongitudeRef: 'E', GPSLongitude: '107/1 36/1 0/1' } })
    .toBuffer();
}

describe('uploads', () => {
  test('a JPEG with GPS EXIF is served re-encoded, without any of its metadata, with safe headers', async () => {
    const original = await gpsJpeg();
    const before = ExifReader.load(original);
    expect(before.GPSLatitude?.description).toBeCloseTo(6.91, 2);
    expect(before.Artist?.description).toBe('Nama Pemotret');

    const reply = await upload('pejabat', THREAD, { name: 'lokasi survei.jpg', type: 'image/jpeg', bytes: original });
    expect(reply.status).toBe(200);
    expect(visibleText(reply.text)).toContain('Berkas diunggah.');
    const [id] = uploadIds(reply.text);
    expect(reply.text).toContain(`<img src="/uploads/${id}" alt="lokasi survei.jpg" width="320" height="200"`);

    const served = await fetch(`${server.url}/uploads/${id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''lokasi%20survei.jpg");
    expect(served.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    expect(served.headers.get('cache-control')).toBe('public, max-age=3600');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8');
    const after = ExifReader.load(bytes);
    expect(Object.keys(after).filter((k) => /^GPS|Make|Model|Artist/.test(k))).toEqual([]);
    expect(bytes.includes(Buffer.from('Nama Pemotret'))).toBe(false);
    expect((await sharp(bytes).metadata()).width).toBe(320);
    const etag = served.headers.get('etag')!;
    expect((await fetch(`${server.url}/uploads/${id}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  test('refused by its bytes whatever its name or declared type: SVG, HTML, an executable; nothing is stored', async () => {
    const filesBefore = uploadIds((await clients.pejabat!.get(THREAD)).text).length;
    const svg = await upload('pejabat', THREAD, { name: 'grafik.png', type: 'image/png', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>') });
    expect(svg.status).toBe(415);
    expect(visibleText(svg.text)).toContain('Jenis berkas grafik.png tidak diterima (terbaca sebagai ?). Yang diterima: JPEG, PNG, WebP, GIF, PDF');
    const html = await upload('pejabat', THREAD, { name: 'foto.jpg', type: 'image/jpeg', bytes: Buffer.from('<!doctype html><script>alert(1)</script>') });
    expect(html.status).toBe(415);
    const exe = await upload('pejabat', THREAD, { name: 'laporan.pdf', type: 'application/pdf', bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1') });
    expect(exe.status).toBe(415);
    expect(visibleText(exe.text)).toContain('(terbaca sebagai exe)');
    // An image field takes images only.
    const pdfAsImage = await upload('pejabat', THREAD, { name: 'a.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') }, { accept: 'image' });
    expect(pdfAsImage.status).toBe(415);
    expect(uploadIds((await clients.pejabat!.get(THREAD)).text)).toHaveLength(filesBefore);
  });

  test('a script riding after the image data does not survive re-encoding', async () => {
    const png = await sharp({ create: { width: 40, height: 40, channels: 4, background: '#fff' } }).png().toBuffer();
    const polyglot = Buffer.concat([png, Buffer.from('<script>alert("poliglot")</script>')]);
    const reply = await upload('pejabat', THREAD, { name: 'ikon.png', type: 'image/png', bytes: polyglot });
    expect(reply.status).toBe(200);
    const id = uploadIds(reply.text).at(-1)!;
    const served = Buffer.from(await (await fetch(`${server.url}/uploads/${id}`)).arrayBuffer());
    expect(served.includes(Buffer.from('poliglot'))).toBe(false);
  });

  test('documents are downloads; size limits per kind name the file and the limit', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    const reply = await upload('pejabat', THREAD, { name: 'Metodologi "survei".pdf', type: 'application/pdf', bytes: pdf });
    expect(reply.status).toBe(200);
    const id = uploadIds(reply.text).at(-1)!;
    const served = await fetch(`${server.url}/uploads/${id}`);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''Metodologi%20survei.pdf");
    expect(Buffer.from(await served.arrayBuffer()).equals(pdf)).toBe(true);

    const bigImage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1536 * 1024)]);
    const tooBig = await upload('pejabat', THREAD, { name: 'besar.jpg', type: 'image/jpeg', bytes: bigImage });
    expect(tooBig.status).toBe(413);
    expect(visibleText(tooBig.text)).toContain('Berkas besar.jpg terlalu besar: 1.5 MB, maksimal 1 MB.');
    const empty = await upload('pejabat', THREAD, { name: 'kosong.pdf', type: 'application/pdf', bytes: new Uint8Array() });
    expect(empty.status).toBe(400);
    expect(visibleText(empty.text)).toContain('Berkas kosong.pdf kosong.');
  });

  test('who may upload: the OPD\'s officials here; a citizen 403, a visitor 401', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    expect((await upload('warga', THREAD, { name: 'a.png', type: 'image/png', bytes: png })).status).toBe(403);
    expect((await upload('anonymous', THREAD, { name: 'a.png', type: 'image/png', bytes: png })).status).toBe(401);
    expect(visibleText((await clients.warga!.get(THREAD)).text)).not.toContain('Unggah');
  });

  test('a file of a restricted subject is served only to those who may see it, never cached publicly', async () => {
    const reply = await upload('pejabat', RESTRICTED, { name: 'rahasia.jpg', type: 'image/jpeg', bytes: await gpsJpeg() });
    expect(reply.status).toBe(200);
    const id = uploadIds(reply.text).at(-1)!;
    expect((await fetch(`${server.url}/uploads/${id}`)).status).toBe(404);
    expect((await clients.warga!.get(`/uploads/${id}`)).status).toBe(404);
    const official = await clients.pejabat!.get(`/uploads/${id}`);
    expect(official.status).toBe(200);
    expect(official.headers.get('cache-control')).toBe('private, no-store');
  });

  test('deleting the last upload of some bytes removes the file; the URL answers 404', async () => {
    const bytes = await sharp({ create: { width: 12, height: 12, channels: 3, background: '#f00' } }).png().toBuffer();
    const first = uploadIds((await upload('pejabat', THREAD, { name: 'merah.png', type: 'image/png', bytes })).text).at(-1)!;
    const second = uploadIds((await upload('pejabat', THREAD, { name: 'merah lagi.png', type: 'image/png', bytes })).text).at(-1)!;
    const stored = () => readdirSync(path.join(dataDir, 'uploads'), { recursive: true }).filter((f) => String(f).endsWith('.png')).length;
    const files = stored();
    expect((await clients.warga!.post(`${THREAD}?_action=community.deleteUpload`, { id: first })).status).toBe(403);
    expect((await clients.pejabat!.post(`${THREAD}?_action=community.deleteUpload`, { id: first })).status).toBe(200);
    expect((await fetch(`${server.url}/uploads/${first}`)).status).toBe(404);
    expect((await fetch(`${server.url}/uploads/${second}`)).status).toBe(200); // same bytes, still used
    expect(stored()).toBe(files);
    expect((await clients.pejabat!.post(`${THREAD}?_action=community.deleteUpload`, { id: second })).status).toBe(200);
    expect(stored()).toBe(files - 1);
    expect(existsSync(path.join(dataDir, 'uploads'))).toBe(true);
  });

  test('action bodies: 1 MB for ordinary forms, a declared length, uploads up to their own limit', async () => {
    const big = await clients.warga!.post(`${THREAD}?_action=community.postComment`, { subject: 'dataset:penduduk-kecamatan', body: 'x'.repeat(1024 * 1024 + 10) });
    expect(big.status).toBe(413);
    expect(big.text).toContain('Kiriman terlalu besar');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('subject=dataset%3Apenduduk-kecamatan&body=halo'));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.url}${THREAD}?_action=community.postComment`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: clients.warga!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' },
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });
});
