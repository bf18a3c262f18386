import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestServer } from '../helpers/server.ts';
import { startDatasetSite, type DatasetSite } from './dataset-site.ts';
import { DATASET, KATEGORI, version2Rows } from '../integration/dataset-page-fixture.ts';

/**
 * Exploring a dataset in Chromium as a data scientist would: facet a column, brush a numeric histogram, chart a
 * mean by month and read its tooltips; and the same paths with JavaScript off, where every facet is a link and
 * every range a form.
 */
let site: DatasetSite;
let server: TestServer;
let browser: Browser;
const rows = version2Rows();

beforeAll(async () => {
  site = await startDatasetSite();
  ({ server, browser } = site);
});

afterAll(() => site?.stop());

async function open(javaScript: boolean): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: javaScript, locale: 'id-ID', viewport: { width: 1280, height: 900 } });
}

const shown = (n: number) => `Menampilkan 1–${Math.min(50, n)} dari ${n} baris`;

describe('with JavaScript', () => {
  test('brushing a numeric facet filters the table to the brushed range, and the histogram zooms in', async () => {
    const context = await open(true);
    const page = await context.newPage();
    await page.goto(`${server.url}/datasets/${DATASET}?_facet=jumlah&jumlah__lte=49`);
    const histogram = page.locator('svg[data-histogram="jumlah"]');
    await histogram.scrollIntoViewIfNeeded();
    const box = (await histogram.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.12, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/jumlah__gte=/);
    const params = new URL(page.url()).searchParams;
    const from = Number(params.get('jumlah__gte'));
    const to = Number(params.get('jumlah__lte'));
    expect(from).toBeGreaterThan(0);
    expect(to).toBeGreaterThan(from);
    expect(params.getAll('_facet')).toEqual(['jumlah']);
    const expected = rows.filter((r) => r.jumlah >= from && r.jumlah <= to).length;
    expect(expected).toBeGreaterThan(0);
    expect(await page.getByRole('status').innerText()).toBe(shown(expected));
    // The bins now span the brushed range only, and count exactly the rows of the table.
    const bins = page.locator('svg[data-histogram="jumlah"] a[data-from]');
    expect(Number(await bins.first().getAttribute('data-from'))).toBeGreaterThanOrEqual(from);
    const counts = (await bins.evaluateAll((links) => links.map((a) => Number(a.getAttribute('data-count'))))) as number[];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(expected);
    await context.close();
  });

  test('a chart of the mean by month: Indonesian month names, and the tooltip on hover shows the mean', async () => {
    const context = await open(true);
    const page = await context.newPage();
    await page.goto(`${server.url}/datasets/${DATASET}/chart`);
    await page.getByLabel('Jenis grafik').selectOption('line');
    await page.getByLabel('Sumbu X', { exact: true }).selectOption('tanggal');
    await page.getByLabel('Sumbu Y', { exact: true }).selectOption('jumlah');
    await page.getByLabel('Warna', { exact: true }).selectOption('');
    await page.getByLabel('Agregasi').selectOption('mean');
    await page.getByLabel('Kelompok waktu (sumbu X)').selectOption('month');
    await page.getByRole('button', { name: 'Gambar grafik' }).click();
    await page.waitForURL(/aggregate=mean/);
    expect(new URL(page.url()).searchParams.get('bucket')).toBe('month');
    const svg = page.locator('figure [data-chart-svg].wide svg');
    expect(await svg.locator('text', { hasText: 'Mei 2024' }).count()).toBe(1);
    expect(await page.locator('figcaption').innerText()).toBe('Rata-rata Jumlah aduan · Tanggal');

    // Point at May: the tooltip snaps to it, says the month in Indonesian and the mean of May's rows.
    const may = rows.filter((r) => r.tanggal.startsWith('2024-05'));
    const mean = may.reduce((sum, r) => sum + r.jumlah, 0) / may.length;
    const point = svg.locator('[data-tip^="Tanggal: Mei 2024"]');
    await svg.scrollIntoViewIfNeeded();
    const at = (await point.boundingBox())!;
    // Near the point, not on it: the tooltip snaps to the nearest mark.
    await page.mouse.move(at.x + at.width / 2 + 4, at.y + at.height / 2 - 10);
    const tip = page.locator('.chart-tip:visible');
    await expect.poll(() => tip.count()).toBe(1);
    expect(await tip.innerText()).toBe(`Tanggal: Mei 2024\nRata-rata Jumlah aduan: ${new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 }).format(mean)}`);
    expect(await svg.locator('line.chart-crosshair[visibility="visible"]').count()).toBe(2);
    await context.close();
  });

  test('tooltips on the dataset page chart follow the pointer and the arrow keys', async () => {
    const context = await open(true);
    const page = await context.newPage();
    await page.goto(`${server.url}/datasets/${DATASET}`);
    const svg = page.locator('figure [data-chart-svg].wide svg').first();
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
    const tip = page.locator('.chart-tip:visible');
    await expect.poll(() => tip.count()).toBe(1);
    const first = await tip.innerText();
    expect(first).toMatch(/^Kecamatan: \w+\nKategori: \w+\nJumlah aduan: [\d.]+$/);
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.6);
    await expect.poll(() => tip.innerText()).not.toBe(first);
    // Keyboard: focus the chart, step through its marks.
    await page.mouse.move(0, 0);
    await svg.focus();
    const focused = await tip.innerText();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => tip.innerText()).not.toBe(focused);
    await context.close();
  });
});

describe('with JavaScript off', () => {
  test('facets are links and forms: suggested facet, click a value, add a numeric facet, type a range, click a bar', async () => {
    const context = await open(false);
    const page = await context.newPage();
    await page.goto(`${server.url}/datasets/${DATASET}`);
    await page.locator('p', { hasText: 'Faset yang disarankan' }).getByRole('link', { name: 'Kategori', exact: true }).click();
    await page.waitForURL(/_facet=kategori/);
    const facet = page.locator('[data-column-facet="kategori"]');
    const listed = await facet.locator('a[data-facet-value]').evaluateAll((links) =>
      links.map((a) => [a.getAttribute('data-facet-value'), Number(a.querySelector('.count')!.textContent)]),
    );
    expect(new Map(listed as [string, number][])).toEqual(new Map(KATEGORI.map((k) => [k, rows.filter((r) => r.kategori === k).length])));

    await facet.locator('a[data-facet-value="Sampah"]').click();
    await page.waitForURL(/kategori=Sampah/);
    const sampah = rows.filter((r) => r.kategori === 'Sampah');
    expect(await page.getByRole('status').innerText()).toBe(shown(sampah.length));
    expect(await page.locator('[data-column-facet="kategori"] a[aria-current="true"]').getAttribute('data-facet-value')).toBe('Sampah');

    await page.getByLabel('Faset menurut kolom').selectOption('jumlah');
    await page.getByRole('button', { name: 'Tambah faset' }).click();
    await page.waitForURL(/_facet=jumlah/);
    const range = page.locator('form[data-range-form="jumlah"]');
    await range.getByLabel('dari').fill('10');
    await range.getByLabel('sampai').fill('20');
    await range.getByRole('button', { name: 'Saring rentang' }).click();
    await page.waitForURL(/jumlah__lte=20/);
    const inRange = sampah.filter((r) => r.jumlah >= 10 && r.jumlah <= 20);
    expect(await page.getByRole('status').innerText()).toBe(shown(inRange.length));
    expect(new URL(page.url()).searchParams.getAll('_facet')).toEqual(['kategori', 'jumlah']);

    // A bar is a link to its bin: from ≤ jumlah < to.
    const bar = page.locator('svg[data-histogram="jumlah"] a[data-count]:not([data-count="0"])').first();
    const [from, to] = [Number(await bar.getAttribute('data-from')), Number(await bar.getAttribute('data-to'))];
    await bar.click();
    await page.waitForURL(/jumlah__lt=/);
    const inBin = sampah.filter((r) => r.jumlah >= from && r.jumlah < to);
    expect(await page.getByRole('status').innerText()).toBe(shown(inBin.length));
    await context.close();
  });

  test('charts are complete SVGs with native tooltips, and the builder works', async () => {
    const context = await open(false);
    const page = await context.newPage();
    await page.goto(`${server.url}/datasets/${DATASET}/chart?mark=bar&x=tanggal&y=jumlah&aggregate=max&bucket=month`);
    const svg = page.locator('figure [data-chart-svg].wide svg');
    expect(await svg.locator('rect title').count()).toBe(6);
    expect(await svg.locator('rect title').first().textContent()).toBe(`Tanggal: Januari 2024\nMaksimum Jumlah aduan: ${Math.max(...rows.filter((r) => r.tanggal.startsWith('2024-01')).map((r) => r.jumlah))}`);
    expect(await page.locator('[data-chart-hint]').isHidden()).toBe(true);
    await page.getByLabel('Agregasi').selectOption('min');
    await page.getByRole('button', { name: 'Gambar grafik' }).click();
    await page.waitForURL(/aggregate=min/);
    expect(await page.locator('figcaption').innerText()).toBe('Minimum Jumlah aduan · Tanggal');
    await context.close();
  });
});
