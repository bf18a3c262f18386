import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir } from '../helpers/temp.ts';
import { compareScreenshot } from './screenshot-compare.ts';
import { pageUrl, SHOWCASE_PAGES, startShowcase, type Showcase } from './showcase-fixture.ts';

/**
 * Every page type at a phone, tablet and desktop width, against the committed references in tests/e2e/screenshots/
 * (small tolerance for anti-aliasing), so an accidental layout change fails. Update: `npm run screenshots:update`.
 */
const WIDTHS = [360, 768, 1280];
let site: Showcase;

beforeAll(async () => {
  site = await startShowcase('kota-shots-');
});

afterAll(async () => {
  await site?.browser.close();
  await site?.server.stop();
  removeDir(site?.root);
});

describe.each(WIDTHS)('screenshots at %i px', (width) => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await site.browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1, reducedMotion: 'reduce' });
  });
  afterAll(async () => {
    await context?.close();
  });

  test.each(SHOWCASE_PAGES)('$name', async ({ name, path }) => {
    const page = await context.newPage();
    try {
      await page.goto(pageUrl(site, path));
      await page.evaluate(() => document.fonts.ready);
      // A viewport as tall as the page: sticky bars then sit where the page ends instead of over its content.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width, height });
      const shot = await page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });
      const result = compareScreenshot(`${name}-${width}`, shot);
      expect(result.status === 'mismatch' ? result.message : 'ok').toBe('ok');
    } finally {
      await page.close();
    }
  });
});
