import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readCurrent } from '../../src/lib/server/lake/read.ts';
import type { TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { removeDir } from '../helpers/temp.ts';
import { createDatasetFixture, DATASET, version2Rows } from '../integration/dataset-page-fixture.ts';

/**
 * A reader in Chromium opens a dataset, filters the table with the form (JavaScript off: the page must work
 * without it), sorts by a column, then builds a chart (JavaScript on: the PNG button appears).
 */
let project: TestProject;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  project = await createDatasetFixture();
  server = await startTestServer({ dataDir: project.dataDir, env: project.env() });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(project?.root);
});

test('open a dataset, filter the table with the form, sort by a column', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'id-ID' });
  const page = await context.newPage();
  await page.goto(`${server.url}/datasets/${DATASET}`);
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Sampel sintetis: aduan uji');
  expect(await page.getByRole('status').innerText()).toBe('Menampilkan 1–50 dari 120 baris');

  await page.getByLabel('Kecamatan kecamatan').selectOption('Cibiru');
  await page.getByRole('group', { name: 'Jumlah aduan jumlah' }).getByLabel('dari').fill('20');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await page.waitForURL(/kecamatan=Cibiru/);
  expect(new URL(page.url()).search).toBe('?kecamatan=Cibiru&jumlah__gte=20');

  const expected = version2Rows().filter((r) => r.kecamatan === 'Cibiru' && r.jumlah >= 20);
  expect(await page.getByRole('status').innerText()).toBe(`Menampilkan 1–${expected.length} dari ${expected.length} baris`);
  const table = page.locator('table.data');
  expect(await table.locator('tbody tr').count()).toBe(expected.length);
  expect(new Set(await table.locator('tbody tr td:nth-child(2)').allInnerTexts())).toEqual(new Set(['Cibiru']));
  // the form keeps what was chosen
  expect(await page.getByLabel('Kecamatan kecamatan').inputValue()).toBe('Cibiru');

  // sort descending by clicking the header twice
  await table.getByRole('link', { name: /jumlah/ }).click();
  await table.getByRole('link', { name: /jumlah/ }).click();
  await page.waitForURL(/_sort=-jumlah/);
  const counts = (await table.locator('tbody tr td:nth-child(4)').allInnerTexts()).map(Number);
  expect(counts).toEqual(expected.map((r) => r.jumlah).sort((a, b) => b - a));

  // the CSV link carries the same view
  const csv = await page.locator('a[data-format="csv"]').getAttribute('href');
  expect(csv).toBe(`/api/v1/datasets/${DATASET}/download.csv?kecamatan=Cibiru&jumlah__gte=20&_sort=-jumlah`);
  await context.close();
});

test('build a chart with the chart builder', async () => {
  const context = await browser.newContext({ locale: 'id-ID' });
  const page = await context.newPage();
  await page.goto(`${server.url}/datasets/${DATASET}`);
  await page.getByRole('link', { name: 'Buat grafik sendiri' }).first().click();
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Pembuat grafik');

  await page.getByLabel('Jenis grafik').selectOption('bar');
  await page.getByLabel('Sumbu X').selectOption('kategori');
  await page.getByLabel('Sumbu Y (dijumlahkan)').selectOption('jumlah');
  await page.getByLabel('Warna').selectOption('kecamatan');
  await page.getByRole('button', { name: 'Gambar grafik' }).click();
  await page.waitForURL(/mark=bar/);
  expect(new URL(page.url()).search).toBe('?mark=bar&x=kategori&y=jumlah&color=kecamatan');

  const svg = page.locator('figure [data-chart-svg] svg');
  await expect.poll(() => svg.count()).toBe(1);
  expect(await svg.locator('rect title').count()).toBe(15); // 3 categories × 5 districts
  expect(await svg.locator('text', { hasText: 'Sukajadi' }).count()).toBe(1); // legend
  expect(await page.getByRole('button', { name: 'Unduh PNG' }).isVisible()).toBe(true);
  expect(await page.getByRole('link', { name: 'Unduh SVG' }).getAttribute('href')).toBe(`/datasets/${DATASET}/chart.svg?mark=bar&x=kategori&y=jumlah&color=kecamatan`);

  // the PNG is drawn in the page from the SVG
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh PNG' }).click()]);
  expect(download.suggestedFilename()).toBe(`${DATASET}-bar-kategori.png`);
  await context.close();
});

describe('the dataset pages are accessible and fit a phone', () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const pages = async () => {
    const current = (await readCurrent(DATASET))!.version;
    return [
      `/datasets/${DATASET}?kecamatan=Andir&_sort=-jumlah`,
      `/datasets/${DATASET}?jumlah__gte=banyak`,
      `/datasets/${DATASET}/chart?mark=cell&x=kecamatan&y=kategori`,
      `/datasets/${DATASET}/chart?mark=line&x=tanggal&y=kategori`,
      `/datasets/${DATASET}/versions/${current}?kind=changed`,
    ];
  };

  async function serious(page: Page): Promise<string[]> {
    // Through DevTools, not an inline <script>: the site's Content-Security-Policy rightly refuses those.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
      return (await axe.run({ resultTypes: ['violations'] })).violations;
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }

  // Ten page loads with axe each: more than the default minute on a busy machine.
  test('axe-core finds no serious or critical violation, at 1280 px and 360 px; the body never scrolls sideways on a phone', { timeout: 240_000 }, async () => {
    for (const path of await pages()) {
      for (const width of [1280, 360]) {
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${server.url}${path}`);
        expect({ path, width, violations: await serious(page) }).toEqual({ path, width, violations: [] });
        if (width === 360) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect({ path, overflow }).toEqual({ path, overflow: 0 });
        }
        await context.close();
      }
    }
  });
});
