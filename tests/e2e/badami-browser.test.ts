import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seriousViolations } from './axe.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser } from '../integration/auth-helpers.ts';
import { launchChromium } from './site-fixture.ts';

/**
 * An official's main path on the Badami board in Chromium: register an innovation through the form, move it with
 * the keyboard through the card's "move to" control, move it again by dragging the card to another column, post a
 * progress update; a visitor then sees the stage, the timeline and the update, and the dashboard (linked from the
 * board) counting the innovation at its new stage and its moves. Both pages are axe clean.
 */
const password = 'sandi peramban badami panjang';
let root: string;
let server: TestServer;
let browser: Browser;
let official: Client;

beforeAll(async () => {
  root = makeTempDir('kota-badami-browser-');
  const dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'dinkes@peramban.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  server = await startTestServer({ dataDir });
  official = new Client(server.url);
  await official.logIn('dinkes@peramban.test', password);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(root);
});

async function contextFor(client?: Client): Promise<BrowserContext> {
  const context = await browser.newContext();
  if (client) {
    const { hostname } = new URL(server.url);
    await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, domain: hostname, path: '/' })));
  }
  return context;
}

describe('the Badami board in a browser', () => {
  test('register, move by keyboard and by drag and drop, post an update; a visitor sees it all', async () => {
    const context = await contextFor(official);
    const page = await context.newPage();
    await page.goto(`${server.url}/badami`);
    await page.getByRole('link', { name: 'Daftarkan inovasi' }).click();
    await page.getByLabel('Nama inovasi').fill('Posyandu Digital Peramban');
    await page.getByLabel('Ringkasan').fill('Pencatatan tumbuh kembang balita di posyandu dengan aplikasi.');
    await page.getByLabel('Urusan pemerintahan').selectOption('kesehatan');
    await page.getByLabel('Berlaku di seluruh kota').check();
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.waitForURL(/\/badami\/innovations\/[a-z0-9]+$/);
    const url = page.url();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Posyandu Digital Peramban');
    expect(await seriousViolations(page)).toEqual([]);

    // On the board, with the keyboard only: open the card's "move to", pick the stage, write the note, submit.
    await page.goto(`${server.url}/badami`);
    const card = page.locator('li[data-card]', { hasText: 'Posyandu Digital Peramban' });
    await card.locator('summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('SK kepala dinas terbit.');
    await card.getByRole('button', { name: 'Pindahkan' }).focus();
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.getByRole('status').filter({ hasText: 'Dipindahkan ke tahap Inisiatif.' }).count()).toBe(1);
    expect(await page.locator('section[data-column="inisiatif"]').textContent()).toContain('Posyandu Digital Peramban');
    expect(await seriousViolations(page)).toEqual([]);

    // Drag and drop: dropping the card on "Uji coba" fills in its form and opens it at the note.
    await page.locator('li[data-card]', { hasText: 'Posyandu Digital Peramban' }).dragTo(page.locator('section[data-column="uji_coba"]'));
    const moved = page.locator('li[data-card]', { hasText: 'Posyandu Digital Peramban' });
    expect(await moved.locator('select[name="to"]').inputValue()).toBe('uji_coba');
    await moved.locator('textarea[name="note"]').fill('Uji coba di tiga posyandu.');
    await Promise.all([page.waitForEvent('load'), moved.getByRole('button', { name: 'Pindahkan' }).click()]);
    expect(await page.locator('section[data-column="uji_coba"]').textContent()).toContain('Posyandu Digital Peramban');

    // A progress update from the innovation page.
    await page.goto(url);
    await page.getByText('Kirim kabar', { exact: true }).first().click();
    await page.getByLabel('Judul kabar').fill('Kader sudah terlatih');
    await page.getByLabel('Isi kabar (Markdown)').fill('Tiga puluh kader **terlatih** bulan ini.');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Kirim kabar' }).click()]);
    await context.close();

    const visitor = await (await contextFor()).newPage();
    await visitor.goto(url);
    const text = (await visitor.locator('main').textContent()) ?? '';
    expect(text).toContain('Uji coba');
    expect(text).toContain('Ide → Inisiatif');
    expect(text).toContain('Inisiatif → Uji coba');
    expect(text).toContain('Uji coba di tiga posyandu.');
    expect(text).toContain('Kader sudah terlatih');
    expect(await visitor.locator('.updates strong').first().textContent()).toBe('terlatih');
    expect(await visitor.locator('form[data-move-form]').count()).toBe(0);
    expect(await seriousViolations(visitor)).toEqual([]);

    // The board links to the dashboard, which already counts the innovation at its new stage and both moves.
    await visitor.goto(`${server.url}/badami`);
    await Promise.all([visitor.waitForEvent('load'), visitor.getByRole('link', { name: 'Dasbor', exact: true }).click()]);
    expect(await visitor.getByRole('heading', { level: 1 }).textContent()).toBe('Dasbor inovasi');
    const row = (chart: string, label: string) => visitor.locator(`[data-chart="${chart}"] tr`).filter({ hasText: label }).allTextContents();
    expect(await row('funnel', 'Uji coba')).toEqual(['Uji coba1']);
    expect(await row('funnel', 'Ide')).toEqual(['Ide0']);
    expect((await row('movement', 'Inisiatif')).map((r) => r.slice(7))).toEqual(['Inisiatif1']);
    expect(await visitor.locator('[data-chart="funnel"] svg[role="img"]').count()).toBe(1);
  }, 240_000);
});
