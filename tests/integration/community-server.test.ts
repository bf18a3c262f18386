import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { configWithCommunity } from '../helpers/community.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * Discussions on the real server, through the forms a browser posts: the dataset thread page, comments and
 * replies, preview, errors in the reader's language with the right status, moderation shown publicly, follows,
 * the bell and the notifications page, settings, and the moderation queue.
 */
let root: string;
let server: TestServer;
const password = 'sandi diskusi yang panjang';
const clients: Record<string, Client> = {};
const THREAD = '/discussions/dataset/penduduk-kecamatan';

beforeAll(async () => {
  root = makeTempDir('kota-community-server-');
  const dataDir = path.join(root, 'data');
  await publishTestVersion(dataDir, { id: 'penduduk-kecamatan', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }] });
  await publishTestVersion(dataDir, {
    id: 'data-terbatas',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Andir', jumlah_penduduk: 1 }],
    metadata: { classification: 'terbatas', title: 'Data terbatas' },
  });
  seedUser(dataDir, { email: 'warga@diskusi.test', name: 'Warga Satu', password });
  seedUser(dataDir, { email: 'warga2@diskusi.test', name: 'Warga Dua', password });
  seedUser(dataDir, { email: 'pejabat@diskusi.test', name: 'Pejabat Disdukcapil', password, role: 'official', scope: 'disdukcapil' });
  seedUser(dataDir, { email: 'dinkes@diskusi.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  // Every account here is minutes old, so this server holds nobody (community-domain.test.ts covers the hold).
  const config = configWithCommunity(root, { hold_new_accounts: { younger_than_days: 3, first_comments: 0 } });
  server = await startTestServer({ dataDir, env: { KOTA_CONFIG: config } });
  for (const who of ['warga', 'warga2', 'pejabat', 'dinkes']) {
    clients[who] = new Client(server.url);
    await clients[who]!.logIn(`${who}@diskusi.test`, password);
  }
  clients.anonymous = new Client(server.url);
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

const post = (who: string, action: string, form: Record<string, string>, page = THREAD) => clients[who]!.post(`${page}?_action=community.${action}`, form);
const commentIds = (html: string) => [...html.matchAll(/<article id="comment-([a-z0-9]+)"/g)].map((m) => m[1]!);

describe('the discussion page of a dataset', () => {
  test('shows the dataset title, an empty thread and a log-in link to visitors; 404 for unknown and restricted datasets', async () => {
    const page = await clients.anonymous!.get(THREAD);
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain('Diskusi: Jumlah Penduduk per Kecamatan');
    expect(text).toContain('Belum ada komentar');
    expect(page.text).toContain('href="/login?next=%2Fdiscussions%2Fdataset%2Fpenduduk-kecamatan"');
    expect((await clients.anonymous!.get('/discussions/dataset/tidak-ada')).status).toBe(404);
    expect((await clients.anonymous!.get('/discussions/dataset/data-terbatas')).status).toBe(404);
    expect((await clients.warga!.get('/discussions/dataset/data-terbatas')).status).toBe(404);
    expect((await clients.pejabat!.get('/discussions/dataset/data-terbatas')).status).toBe(200);
    expect((await clients.anonymous!.get('/discussions/bukan-jenis/apa')).status).toBe(404);
  });

  test('a preview renders the sanitised Markdown, refills the form and stores nothing', async () => {
    const reply = await post('warga', 'postComment', { subject: 'dataset:penduduk-kecamatan', body: '**Tebal** <script>alert(1)</script>', intent: 'preview' });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('<strong>Tebal</strong>');
    expect(reply.text).not.toContain('<script>alert(1)</script>');
    expect(reply.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    expect(visibleText(reply.text)).toContain('Belum ada komentar');
  });

  test('a comment, a reply and an official answer appear in the thread; the official is marked', async () => {
    const first = await post('warga', 'postComment', { subject: 'dataset:penduduk-kecamatan', body: 'Apakah data **2024** tersedia?' });
    expect(first.status).toBe(200);
    expect(visibleText(first.text)).toContain('Komentar Anda terkirim.');
    const [id] = commentIds(first.text);
    const answer = await post('pejabat', 'postComment', { subject: 'dataset:penduduk-kecamatan', parentId: id!, body: 'Akan terbit Maret.', official: 'true' });
    expect(answer.status).toBe(200);
    const page = await clients.anonymous!.get(THREAD);
    const text = visibleText(page.text);
    expect(text).toContain('Komentar Warga Satu');
    expect(text).toContain('Apakah data 2024 tersedia?');
    expect(text).toContain('Komentar Pejabat Disdukcapil');
    expect(text).toContain('Jawaban resmi');
    expect(text).toContain('(2 komentar)');
    // A citizen cannot post an official answer, and an official of another OPD neither.
    const forged = await post('warga2', 'postComment', { subject: 'dataset:penduduk-kecamatan', body: 'resmi palsu', official: 'true' });
    expect(forged.status).toBe(403);
    expect(visibleText(forged.text)).toContain('Anda tidak berwenang melakukan ini.');
    expect((await post('dinkes', 'postComment', { subject: 'dataset:penduduk-kecamatan', body: 'resmi palsu', official: 'true' })).status).toBe(403);
  });

  test('bad input: a clear message in the reader\'s language, the right status, the text kept, nothing stored', async () => {
    const before = commentIds((await clients.anonymous!.get(THREAD)).text).length;
    const empty = await post('warga', 'postComment', { subject: 'dataset:penduduk-kecamatan', body: '   ' });
    expect(empty.status).toBe(400);
    expect(visibleText(empty.text)).toContain('Komentar masih kosong. Tulis sesuatu terlebih dahulu.');
    const long = await clients.warga!.post(`${THREAD}?_action=community.postComment&lang=en`, { subject: 'dataset:penduduk-kecamatan', body: `awal ${'x'.repeat(10_000)}` });
    expect(long.status).toBe(400);
    expect(visibleText(long.text)).toContain('Too long: at most 10000 characters, found 10005.');
    expect(long.text).toContain(`awal ${'x'.repeat(50)}`);
    const stranger = await post('warga', 'postComment', { subject: 'dataset:tidak-ada', body: 'halo' });
    expect(stranger.status).toBe(404);
    expect(commentIds((await clients.anonymous!.get(THREAD)).text)).toHaveLength(before);
  });

  test('a post from another site is refused before it runs', async () => {
    const reply = await clients.warga!.post(`${THREAD}?_action=community.postComment`, { subject: 'dataset:penduduk-kecamatan', body: 'dari situs lain' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(reply.status).toBe(403);
    expect(visibleText((await clients.anonymous!.get(THREAD)).text)).not.toContain('dari situs lain');
  });

  test('follow, the bell counts, the notifications page links to the comment, mark all read', async () => {
    expect((await post('pejabat', 'follow', { subject: 'dataset:penduduk-kecamatan', follow: 'true' })).status).toBe(200);
    const posted = await post('warga2', 'postComment', { subject: 'dataset:penduduk-kecamatan', body: 'Terima kasih atas datanya' });
    const id = commentIds(posted.text).at(-1);
    const page = await clients.pejabat!.get('/datasets');
    expect(page.text).toMatch(/aria-label="1 pemberitahuan belum dibaca"/);
    const list = await clients.pejabat!.get('/notifications');
    expect(list.status).toBe(200);
    expect(visibleText(list.text)).toContain('Warga Dua berkomentar di Jumlah Penduduk per Kecamatan yang Anda ikuti');
    expect(list.text).toContain(`href="${THREAD}#comment-${id}"`);
    const marked = await clients.pejabat!.post('/notifications?_action=community.markNotificationsRead', { all: 'true' });
    expect(visibleText(marked.text)).toContain('1 pemberitahuan ditandai sudah dibaca.');
    expect((await clients.pejabat!.get('/datasets')).text).toMatch(/aria-label="Pemberitahuan"/);
    // And warga, whose question was answered, was told of the reply.
    expect(visibleText((await clients.warga!.get('/notifications?lang=en')).text)).toContain('Pejabat Disdukcapil replied to your comment on Jumlah Penduduk per Kecamatan');
  });

  test('report, queue, hide with a public reason in both languages; only the OPD\'s officials may', async () => {
    const posted = await post('warga2', 'postComment', { subject: 'dataset:penduduk-kecamatan', body: 'Jual pulsa murah hubungi 0812' });
    const id = commentIds(posted.text).at(-1)!;
    expect((await post('warga', 'flagComment', { id, reason: 'spam', note: 'iklan' })).status).toBe(200);
    const queue = await clients.pejabat!.get('/moderation');
    expect(visibleText(queue.text)).toContain('Jual pulsa murah');
    expect(visibleText(queue.text)).toContain('Spam atau iklan (1): iklan');
    expect(visibleText((await clients.dinkes!.get('/moderation')).text)).toContain('Tidak ada yang perlu ditinjau.');

    const refused = await post('dinkes', 'moderateComment', { id, decision: 'hide', reason: 'bukan wewenang' });
    expect(refused.status).toBe(403);
    const noReason = await post('pejabat', 'moderateComment', { id, decision: 'hide', reason: '' });
    expect(noReason.status).toBe(400);
    expect(visibleText(noReason.text)).toContain('Tuliskan alasan');
    expect((await post('pejabat', 'moderateComment', { id, decision: 'hide', reason: 'Iklan, di luar topik data' })).status).toBe(200);
    const publicPage = visibleText((await clients.anonymous!.get(THREAD)).text);
    expect(publicPage).toContain('Disembunyikan oleh moderator: Iklan, di luar topik data');
    expect(publicPage).not.toContain('Jual pulsa murah');
    expect(visibleText((await clients.anonymous!.get(`${THREAD}?lang=en`)).text)).toContain('Hidden by a moderator: Iklan, di luar topik data');
  });

  test('notification settings are saved per kind', async () => {
    const saved = await clients.warga!.post('/notifications/settings?_action=community.saveNotificationSettings&lang=id', { 'community.comment_reply': 'off', 'community.comment_followed': 'email' });
    expect(saved.status).toBe(200);
    expect(visibleText(saved.text)).toContain('Pengaturan disimpan.');
    expect(saved.text).toMatch(/name="community\.comment_reply" value="off" checked/);
    expect(saved.text).toMatch(/name="community\.comment_followed" value="email" checked/);
  });

  test('rate limit: too many comments answer 429 with Retry-After and a message', async () => {
    let last = await post('warga2', 'postComment', { subject: 'dataset:penduduk-kecamatan', body: 'cepat 0' });
    for (let i = 1; i < 15 && last.status === 200; i++) last = await post('warga2', 'postComment', { subject: 'dataset:penduduk-kecamatan', body: `cepat ${i}` });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(visibleText(last.text)).toContain('Anda mengirim terlalu cepat.');
  });
});
