import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toWibInput } from '../../src/lib/datathon/pages.ts';
import { PHASES, type Phase } from '../../src/lib/server/datathon/phases.ts';
import { seedUser } from '../integration/auth-helpers.ts';
import { seriousViolations as axe } from './axe.ts';
import { configWithCommunity } from '../helpers/community.ts';
import { publishDatasets } from '../helpers/datathon.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * The whole datathon in Chromium, as people would click it: an official creates an event and its challenge, a
 * team forms through an invitation link and submits an idea on two datasets, the organiser moves the dates on, a
 * citizen votes, two judges score, the organiser publishes the results, and the dataset page shows the reuse.
 * Phases follow the server's clock; the organiser's schedule form moves the event through them, as in real life.
 */
const password = 'sandi datathon yang panjang';
const people = ['panitia', 'ketua', 'anggota', 'warga', 'juri1', 'juri2'] as const;
type Person = (typeof people)[number];
const email = (who: Person) => `${who}@datathon.test`;
const EVENT = 'datathon-uji';

let root: string;
let server: TestServer;
let browser: Browser;
const pages = new Map<Person, Page>();

beforeAll(async () => {
  root = makeTempDir('kota-datathon-e2e-');
  const dataDir = path.join(root, 'data');
  await publishDatasets(dataDir);
  for (const who of people) seedUser(dataDir, { email: email(who), name: who === 'panitia' ? 'Panitia Dinkes' : `Nama ${who}`, password, ...(who === 'panitia' ? { role: 'official', scope: 'dinkes' } : {}) });
  // freshly made accounts comment at once here (the new-account hold has its own tests)
  const config = configWithCommunity(root, { hold_new_accounts: { younger_than_days: 3, first_comments: 0 }, edit_window_minutes: 15, digest_time: '07:00', uploads: { image_max_mb: 8, document_max_mb: 20 } });
  server = await startTestServer({ dataDir, env: { AUTH_RATE_LIMIT_SCALE: '0.000001', KOTA_CONFIG: config } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(root);
});

async function as(who: Person): Promise<Page> {
  let page = pages.get(who);
  if (!page) {
    page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/login`);
    await page.fill('input[name=email]', email(who));
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('main button[type=submit]')]);
    pages.set(who, page);
  }
  return page;
}

/** Fills the five phase dates so that `phase` is current now (one day apart around now). */
async function fillSchedule(page: Page, phase: Phase): Promise<void> {
  const day = 86_400_000;
  const start = Date.now() - (PHASES.indexOf(phase) + 0.5) * day;
  for (const [i, p] of PHASES.entries()) await page.fill(`input[name=${p}_at]`, toWibInput(start + i * day));
}

async function moveTo(phase: Phase): Promise<void> {
  const page = await as('panitia');
  await page.goto(`${server.url}/datathon/${EVENT}/manage`);
  const form = page.locator('form', { has: page.locator('input[name=results_at]') });
  await fillSchedule(page, phase);
  await form.locator('button[type=submit]').click();
  await page.waitForLoadState();
  expect(await page.locator('[role=status]').first().textContent()).toContain('Tersimpan');
}

describe('a datathon from the first form to the results', () => {
  let submissionUrl = '';

  test('an official creates the event, a challenge on two datasets, a rubric and two judges', async () => {
    const page = await as('panitia');
    await page.goto(`${server.url}/datathon/new`);
    expect(await axe(page)).toEqual([]);
    await page.fill('input[name=id]', EVENT);
    await page.fill('input[name=title]', 'Datathon Uji Kota');
    await page.fill('textarea[name=description]', 'Acara uji lengkap.');
    await page.fill('input[name=team_size_max]', '2');
    await fillSchedule(page, 'registration');
    await Promise.all([page.waitForURL(`**/datathon/${EVENT}/manage`), page.click('main form button[type=submit]')]);
    expect(await page.locator('h1').textContent()).toBe('Kelola acara');

    const challenge = page.locator('form', { has: page.locator('textarea[name=problem]') });
    await challenge.locator('input[name=title]').fill('Sekolah dan penduduk');
    await challenge.locator('textarea[name=problem]').fill('Di kecamatan mana sekolah paling kurang?');
    await challenge.locator('select[name=opd]').selectOption('disdik');
    await challenge.locator('input[value=penduduk-uji]').check();
    await challenge.locator('input[value=sekolah-uji]').check();
    await challenge.locator('button[type=submit]').click();
    await page.waitForLoadState();
    expect(await page.locator('#challenges + ul').textContent()).toContain('Sekolah dan penduduk');

    for (const [name, weight] of [['Dampak', '60'], ['Pemanfaatan data', '40']] as const) {
      const form = page.locator('form', { has: page.locator('input[name=weight]') });
      await form.locator('input[name=name]').fill(name);
      await form.locator('input[name=weight]').fill(weight);
      await form.locator('button[type=submit]').click();
      await page.waitForLoadState();
    }
    for (const judge of ['juri1', 'juri2'] as const) {
      const form = page.locator('form', { has: page.locator('input[name=challenges]') }).first();
      await form.locator('input[name=email]').fill(email(judge));
      await form.locator('button[type=submit]').click();
      await page.waitForLoadState();
    }
    expect(await page.locator('#judges + ul').textContent()).toMatch(/Nama juri1.*Nama juri2/s);
  });

  test('a team forms by invitation, downloads the kit and submits an idea using both datasets', async () => {
    const leader = await as('ketua');
    await leader.goto(`${server.url}/datathon/${EVENT}`);
    expect(await axe(leader)).toEqual([]);
    await leader.fill('input[name=name]', 'Tim Peta Sekolah');
    await leader.click('form:has(input[name=name]) button');
    await leader.waitForLoadState();
    await leader.click('text=Tim Peta Sekolah');
    const link = (await leader.locator('code.dt-secret').textContent())!;
    expect(link).toMatch(/\/datathon\/join\/[a-z2-7]+$/);

    const member = await as('anggota');
    await member.goto(link);
    await Promise.all([member.waitForURL(`**/datathon/${EVENT}/team`), member.click('main form button')]);
    expect(await member.locator('main ul').first().textContent()).toMatch(/Nama ketua.*Nama anggota/s);

    // the starter kit is one download
    await leader.goto(`${server.url}/datathon/${EVENT}`);
    await leader.click('text=Sekolah dan penduduk');
    const [download] = await Promise.all([leader.waitForEvent('download'), leader.click('text=Unduh starter kit (zip)')]);
    expect(download.suggestedFilename()).toMatch(/^starter-kit-.*\.zip$/);

    await leader.goto(`${server.url}/datathon/${EVENT}/submission`);
    expect(await axe(leader)).toEqual([]);
    await leader.fill('input[name=title]', 'Peta kekurangan sekolah');
    await leader.fill('textarea[name=summary]', 'Rasio sekolah per penduduk di tiap kecamatan.');
    // Markdown, with what an attacker would try: none of it may run (checked on the idea page below)
    await leader.fill('textarea[name=solution]', [
      'Gabungkan **dua dataset** per kecamatan.',
      '<script>window.__xss = 1</script>',
      '[klik](javascript:window.__xss=2)',
      '<img src=x onerror="window.__xss=3">',
      '<svg onload="window.__xss=4"><script>window.__xss=5</script></svg>',
    ].join('\n\n'));
    await leader.check('input[value=penduduk-uji]');
    await leader.check('input[value=sekolah-uji]');
    await leader.click('form:has(input[name=title]) button[type=submit]');
    await leader.waitForLoadState();
    await leader.click('text=Kirim ide');
    await leader.waitForLoadState();
    expect(await leader.locator('main').textContent()).toContain('Terkirim');
    submissionUrl = (await leader.locator('main a[href^="/datathon/submissions/"]').first().getAttribute('href'))!;
  });

  test('after the deadline the idea is locked: the edit is refused in Bahasa Indonesia and nothing changes', async () => {
    await moveTo('voting');
    const leader = await as('ketua');
    await leader.goto(`${server.url}/datathon/${EVENT}/submission`);
    expect(await leader.locator('[role=note]').allTextContents()).toContainEqual(expect.stringContaining('Ide sudah dikunci'));
    // a form posted after the deadline (a tab left open): a clear error, status 409, the idea unchanged
    const answer = await leader.evaluate(async (event) => {
      const body = new URLSearchParams({ event, challenge_id: 'x', title: 'Judul terlambat' });
      const r = await fetch(`/datathon/${event}/submission?_action=datathon.saveSubmission`, { method: 'POST', body });
      return { status: r.status, text: await r.text() };
    }, EVENT);
    expect(answer.status).toBe(409);
    expect(answer.text).toContain('acara sedang di tahap “Pemungutan suara publik”. Tidak ada yang diubah.');
    await leader.goto(`${server.url}${submissionUrl}`);
    expect(await leader.locator('h1').textContent()).toBe('Peta kekurangan sekolah');
  });

  test('the idea’s Markdown is rendered and nothing in it runs', async () => {
    const citizen = await as('warga');
    await citizen.goto(`${server.url}${submissionUrl}`);
    expect(await citizen.locator('.markdown strong').first().textContent()).toBe('dua dataset');
    expect(await citizen.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await citizen.locator('main a[href^="javascript:"], main [onerror], main [onload], main script').count()).toBe(0);
  });

  test('a citizen votes and comments; a team member cannot vote for their own idea', async () => {
    const citizen = await as('warga');
    await citizen.goto(`${server.url}${submissionUrl}`);
    expect(await axe(citizen)).toEqual([]);
    await citizen.click('button:text("Beri suara")');
    await citizen.waitForLoadState();
    expect(await citizen.locator('main').textContent()).toContain('1 suara');
    expect(await citizen.locator('main').textContent()).toContain('Sisa suara Anda: 2');
    const discussion = citizen.locator('form.comment-form').first();
    await discussion.locator('textarea[name=body]').fill('Ide bagus! Apakah datanya *per kelurahan* juga?');
    await discussion.locator('button[type=submit]').first().click();
    await citizen.waitForLoadState();
    expect(await citizen.locator('main em').filter({ hasText: 'per kelurahan' }).count()).toBe(1);
    const member = await as('anggota');
    await member.goto(`${server.url}${submissionUrl}`);
    await member.click('button:text("Beri suara")');
    await member.waitForLoadState();
    expect(await member.locator('[role=alert]').textContent()).toContain('tidak bisa memberi suara untuk ide tim sendiri');
  });

  test('two judges score on the rubric; the leaderboard says how it ranks', async () => {
    await moveTo('judging');
    for (const [judge, impact, data] of [['juri1', '5', '4'], ['juri2', '3', '3']] as const) {
      const page = await as(judge);
      await page.goto(`${server.url}/datathon/${EVENT}/judge`);
      expect(await axe(page)).toEqual([]);
      await page.click('main ul a');
      const inputs = page.locator('input[name^="score-"]');
      await inputs.nth(0).fill(impact);
      await inputs.nth(1).fill(data);
      await page.fill('textarea[name=public_feedback]', judge === 'juri1' ? 'Data dipakai dengan baik.' : '');
      await page.click('form:has(input[name^="score-"]) button');
      await page.waitForLoadState();
      expect(await page.locator('[role=status]').textContent()).toContain('Tersimpan');
    }
    const organiser = await as('panitia');
    await organiser.goto(`${server.url}/datathon/${EVENT}/manage`);
    const board = (await organiser.locator('#board ~ *').first().textContent())!;
    expect(board).toContain('Rata-rata berbobot nilai mentah');
    // juri1: (60·5/5 + 40·4/5)·100/100 = 92; juri2: (60·3/5 + 40·3/5) = 60; mean 76
    expect(await organiser.locator('table tbody tr').first().textContent()).toContain('76.0');
    expect(await organiser.locator('main').textContent()).toContain('Juri dengan kurang dari 3 nilai');
  });

  test('the organiser publishes the results; the dataset page and the catalog show the reuse', async () => {
    await moveTo('results');
    const organiser = await as('panitia');
    await organiser.goto(`${server.url}/datathon/${EVENT}/manage`);
    await organiser.locator('select[name^="award-"]').first().selectOption('winner');
    await organiser.click('form:has(select[name^="award-"]) button');
    await organiser.waitForLoadState();
    expect(await organiser.locator('[role=status]').first().textContent()).toContain('Hasil diumumkan');

    const citizen = await as('warga');
    await citizen.goto(`${server.url}/datathon/${EVENT}`);
    expect(await citizen.locator('#results + ol').textContent()).toContain('Pemenang');
    await citizen.goto(`${server.url}${submissionUrl}`);
    expect(await citizen.locator('main').textContent()).toContain('Data dipakai dengan baik.');
    await citizen.goto(`${server.url}/datasets/sekolah-uji`);
    const reuse = (await citizen.locator('#digunakan-oleh').textContent())!;
    expect(reuse).toContain('Digunakan oleh');
    expect(reuse).toContain('Peta kekurangan sekolah');
    await citizen.goto(`${server.url}/datasets`);
    expect(await citizen.locator('main').textContent()).toContain('Dipakai 1 ide datathon');
    // the home page's team card leads to the event
    await citizen.goto(`${server.url}/`);
    expect(await citizen.locator(`a[href="/datathon/${EVENT}"]`).count()).toBeGreaterThan(0);
  });

  test('the organiser promotes the winner to Badami; its innovation starts with the submission', async () => {
    const organiser = await as('panitia');
    await organiser.goto(`${server.url}${submissionUrl}`);
    const form = organiser.locator('form:has(select[name=affair])');
    expect(await axe(organiser)).toEqual([]);
    await form.locator('select[name=affair]').selectOption('pendidikan');
    await form.locator('button[type=submit]').click();
    await organiser.waitForLoadState();
    expect(await organiser.locator('[role=status]').first().textContent()).toContain('Ide ini kini menjadi inovasi di Badami.');
    expect(await organiser.locator('form:has(select[name=affair])').count()).toBe(0);
    await organiser.click('.dt-incubated a');
    await organiser.waitForLoadState();
    expect(new URL(organiser.url()).pathname).toMatch(/^\/badami\/innovations\/[a-z0-9]+$/);
    const timeline = (await organiser.locator('ol.timeline').textContent())!;
    expect(timeline).toMatch(/^\s*Diajukan di datathon: Peta kekurangan sekolah/);
    expect(await organiser.locator('ol.timeline a').first().getAttribute('href')).toBe(submissionUrl);
    expect(await axe(organiser)).toEqual([]);
  });
});
