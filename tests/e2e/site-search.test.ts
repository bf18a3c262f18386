import { readFileSync } from 'node:fs';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { removeDir } from '../helpers/temp.ts';
import { startSite, type SiteFixture } from './site-fixture.ts';

/**
 * A visitor in Chromium with JavaScript off: searches from the home page with a partial word, ticks a
 * facet, opens the dataset, and the whole way the state is in the URL.
 */
let site: SiteFixture;
let page: Page;

beforeAll(async () => {
  site = await startSite('kota-site-e2e-');
  const context = await site.browser.newContext({ javaScriptEnabled: false, locale: 'id-ID' });
  page = await context.newPage();
});

afterAll(async () => {
  await site?.browser.close();
  await site?.server.stop();
  removeDir(site?.root);
});

test('search "pendudu" from the home page → tick a facet → open the dataset', async () => {
  await page.goto(`${site.server.url}/`);
  await page.getByLabel('Cari dataset').fill('pendudu');
  await page.getByRole('search').getByRole('button', { name: 'Cari' }).click();
  await page.waitForURL(/\/datasets\?q=pendudu$/);
  const results = page.getByRole('list', { name: 'Hasil pencarian' });
  expect(await results.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Jumlah Penduduk per Kecamatan']);
  expect(await page.getByRole('heading', { level: 2, name: /dataset ditemukan/ }).innerText()).toBe('1 dataset ditemukan untuk “pendudu”');

  await page.getByRole('link', { name: /Dinas Kependudukan dan Pencatatan Sipil/ }).click();
  await page.waitForURL(/\/datasets\?q=pendudu&organization=disdukcapil$/);
  const ticked = page.getByRole('link', { name: /Dinas Kependudukan dan Pencatatan Sipil/ });
  expect(await ticked.getAttribute('aria-current')).toBe('true');
  expect(await results.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Jumlah Penduduk per Kecamatan']);

  await results.getByRole('link', { name: 'Jumlah Penduduk per Kecamatan' }).click();
  await page.waitForURL(/\/datasets\/penduduk-kecamatan$/);
  expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toContain('Jumlah Penduduk per Kecamatan');
});

test('the sort select and the search box keep the facet filters; English keeps the page', async () => {
  await page.goto(`${site.server.url}/datasets?organization=disdik`);
  await page.getByLabel('Urutkan').selectOption('name');
  await page.getByRole('search').getByRole('button', { name: 'Cari' }).click();
  await page.waitForURL(/\/datasets\?q=&sort=name&organization=disdik$/);
  const titles = await page.getByRole('list', { name: 'Hasil pencarian' }).getByRole('heading', { level: 3 }).allInnerTexts();
  expect(titles).toEqual(['Jumlah Sekolah per Kecamatan']);

  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/lang=en/);
  expect(await page.getByRole('list', { name: 'Search results' }).getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Schools by District']);
  expect(new URL(page.url()).searchParams.get('organization')).toBe('disdik');
});

test('the whole path: search → facet → dataset → filter the table → download exactly the filtered rows as CSV', async () => {
  await page.goto(`${site.server.url}/datasets?q=pendudu&organization=disdukcapil&lang=id`);
  await page.getByRole('list', { name: 'Hasil pencarian' }).getByRole('link', { name: 'Jumlah Penduduk per Kecamatan' }).click();
  await page.waitForURL(/\/datasets\/penduduk-kecamatan$/);
  await page.locator('#f-jumlah_penduduk-min').fill('100000');
  await page.locator('#f-jumlah_penduduk-min').press('Enter');
  await page.waitForURL(/jumlah_penduduk__gte=100000/);
  const table = page.locator('table.data');
  expect(await table.locator('tbody tr').count()).toBe(1);
  expect(await table.locator('tbody').innerText()).toContain('Coblong');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-format="csv"]').click()]);
  expect(download.suggestedFilename()).toMatch(/^penduduk-kecamatan-[0-9a-f]{16}-filtered\.csv$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.trim().split('\n')).toEqual(['kecamatan,jumlah_penduduk', 'Coblong,113456']);
});
