import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir } from '../helpers/temp.ts';
import { FASKES, startApiFixture, type ApiFixture } from '../integration/api-v1-fixture.ts';

/** /api-docs in Chromium: accessible in both languages, fits a 360 px phone, and its SQL form works without JavaScript. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let f: ApiFixture;
let browser: Browser;

beforeAll(async () => {
  f = await startApiFixture();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await f?.server.stop();
  removeDir(f?.root);
});

async function open(path: string, options: { width?: number; javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 800 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await page.goto(`${f.server.url}${path}`);
  return page;
}

describe('/api-docs in a browser', () => {
  test.each(['id', 'en'])('axe-core finds no serious or critical violation (%s)', async (lang) => {
    const page = await open(`/api-docs?lang=${lang}`);
    try {
      // Through DevTools, not an inline <script>: the site's Content-Security-Policy rightly refuses those.
    await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }).axe;
        return (await axe.run({ resultTypes: ['violations'] })).violations;
      });
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  test('a 360 px phone does not scroll sideways', async () => {
    const page = await open('/api-docs', { width: 360 });
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    } finally {
      await page.context().close();
    }
  });

  test('the SQL form, with JavaScript off, shows the result of the query typed in', async () => {
    const page = await open('/api-docs', { javaScriptEnabled: false });
    try {
      await page.getByLabel('Kueri SQL (satu SELECT)').fill(`SELECT nama FROM "${FASKES}" WHERE tempat_tidur > 100`);
      await page.getByLabel('Format hasil').selectOption('csv');
      const [download] = await Promise.all([page.waitForEvent('download').catch(() => null), page.getByRole('button', { name: 'Jalankan' }).click()]);
      const text = download ? readFileSync((await download.path())!, 'utf8') : await page.locator('body').innerText();
      expect(text.trim().split(/\r?\n/)).toEqual(['nama', 'RSUD Kota']);
    } finally {
      await page.context().close();
    }
  });
});
