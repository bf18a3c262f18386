import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seriousViolations } from './axe.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser } from '../integration/auth-helpers.ts';
import { launchChromium } from './site-fixture.ts';
import { registerDinkesInnovation } from '../helpers/badami.ts';

/**
 * The bulk update page and the manage area's health and evidence forms in Chromium (plain forms: the server tests
 * post them as a browser without JavaScript would; axe needs JavaScript, so it is on here): an official uploads a milestones file with a bad row and reads the row errors, then a good one; sets
 * the health by hand and sees the reason. Each page is axe clean, in both languages where it shows errors.
 */
const password = 'sandi peramban impor panjang';
let root: string;
let server: TestServer;
let browser: Browser;
let official: Client;
let id = '';

beforeAll(async () => {
  root = makeTempDir('kota-badami-import-browser-');
  const dataDir = path.join(root, 'data');
  seedUser(dataDir, { email: 'dinkes@impor-peramban.test', name: 'Pejabat Dinkes', password, role: 'official', scope: 'dinkes' });
  server = await startTestServer({ dataDir });
  official = new Client(server.url);
  await official.logIn('dinkes@impor-peramban.test', password);
  id = await registerDinkesInnovation(official, 'Posyandu Digital Peramban', 'Pencatatan tumbuh kembang balita di posyandu dengan aplikasi.');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(root);
});

async function officialContext(): Promise<BrowserContext> {
  const context = await browser.newContext();
  const { hostname } = new URL(server.url);
  await context.addCookies([...official.cookies].map(([name, value]) => ({ name, value, domain: hostname, path: '/' })));
  return context;
}

describe('bulk update and the manage forms in a browser', () => {
  test('a bad milestones file lists its row errors; a good one is stored; the page is axe clean', async () => {
    const bad = path.join(root, 'tonggak-salah.csv');
    const good = path.join(root, 'tonggak.csv');
    const header = 'ID inovasi,Nama inovasi,ID tonggak,Tonggak,Penanggung jawab,Tenggat (TTTT-BB-HH),Selesai (TTTT-BB-HH),Catatan\r\n';
    writeFileSync(bad, `${header}${id},,,Pelatihan kader,Seksi Gizi,31-01-2030,,\r\n`);
    writeFileSync(good, `${header}${id},,,Pelatihan kader,Seksi Gizi,2030-01-31,,\r\n`);
    const context = await officialContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/badami`);
    await page.getByRole('link', { name: 'Perbarui massal dari berkas' }).click();
    await page.waitForURL(/\/badami\/import$/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Isi berkas').selectOption('milestones');
    await page.getByLabel('Berkas (CSV atau XLSX hasil ekspor)').setInputFiles(bad);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Impor' }).click()]);
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toContain('Berkas ditolak; tidak ada yang diubah.');
    expect(await alert.locator('li').allTextContents()).toEqual(['Baris 2, kolom Tenggat (TTTT-BB-HH): diharapkan tanggal (TTTT-BB-HH), ditemukan "31-01-2030".']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Isi berkas').selectOption('milestones');
    await page.getByLabel('Berkas (CSV atau XLSX hasil ekspor)').setInputFiles(good);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Impor' }).click()]);
    expect(await page.getByRole('status').filter({ hasText: 'Impor selesai: 1 ditambahkan, 0 diubah, 0 tetap.' }).count()).toBe(1);
    await page.goto(`${server.url}/badami/innovations/${id}`);
    expect(await page.locator('#milestones-title + ul').textContent()).toContain('Pelatihan kader — Seksi Gizi, 2030-01-31');
    await context.close();
  }, 120_000);

  test('the health form sets "stalled" with its reason, shown on the page; the evidence form is there; axe clean', async () => {
    const context = await officialContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/badami/innovations/${id}`);
    await page.getByText('Atur kesehatan secara manual', { exact: true }).click();
    await page.getByLabel('Kesehatan', { exact: true }).selectOption('stalled');
    await page.getByLabel('Alasan (ditampilkan kepada publik)').fill('Vendor aplikasi berhenti kontrak.');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Simpan kesehatan' }).click()]);
    expect(await page.locator('main').textContent()).toContain('Diatur manual: Macet. Alasan: Vendor aplikasi berhenti kontrak.');
    await page.getByText('Tambah bukti dukung', { exact: true }).click();
    expect(await page.getByLabel('Tautan (opsional)').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${server.url}/badami/innovations/${id}?lang=en`);
    expect(await page.locator('main').textContent()).toContain('Set by hand: Stalled. Reason: Vendor aplikasi berhenti kontrak.');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  }, 120_000);
});
