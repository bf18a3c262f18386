import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import type { TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { startViewsServer } from '../integration/badami-views-fixture.ts';
import { seriousViolations } from './axe.ts';

/**
 * axe-core in Chromium on the Badami views with content (the five innovations of badami-views-fixture.ts on the real
 * kecamatan boundaries), in both languages: the map view, the city dashboard and one OPD's. No serious or critical
 * violation, no console error (the Content-Security-Policy allows the charts' styles), and at a 360 px phone width
 * the page body never scrolls sideways. (tests/e2e/a11y.test.ts lists the same pages on its empty board.)
 */
let root: string;
let server: TestServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;

const PAGES = ['/badami?view=map', '/badami/dashboard', '/badami/dashboard?opd=dinkes'];

beforeAll(async () => {
  root = makeTempDir('kota-badami-views-a11y-');
  server = await startViewsServer(root);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(root);
});

async function open(path: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${server.url}${path}`);
  return { page, errors };
}

describe('Badami views: axe-clean, no sideways scroll', () => {
  for (const lang of ['id', 'en']) {
    test.each(PAGES)(`%s (${lang})`, async (path) => {
      const { page, errors } = await open(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`, 1280);
      try {
        expect(await page.locator('svg[role="img"]').count()).toBeGreaterThan(0);
        expect(await seriousViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
        if (process.env.BADAMI_VIEWS_SHOTS) await page.screenshot({ path: `${process.env.BADAMI_VIEWS_SHOTS}/${path.replace(/\W+/g, '_')}-${lang}.png`, fullPage: true });
      } finally {
        await page.context().close();
      }
    });
  }

  test.each(PAGES)('%s at 360 px', async (path) => {
    const { page } = await open(path, 360);
    try {
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll, .ui-table'))
          .slice(0, 5)
          .map((e) => `${e.tagName}.${e.className}`),
      );
      expect(wide).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    } finally {
      await page.context().close();
    }
  });
});
