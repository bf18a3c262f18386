import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir } from '../helpers/temp.ts';
import { seriousViolations } from './axe.ts';
import { startSite, type SiteFixture } from './site-fixture.ts';

/**
 * axe-core in Chromium on every public page type, in both languages: no serious or critical violation.
 * And at a 360 px phone width, the page body never scrolls sideways (wide tables scroll in their own box).
 */
const PAGES = [
  { name: 'home', path: '/' },
  { name: 'catalog', path: '/datasets' },
  { name: 'catalog search with a facet', path: '/datasets?q=pendudu&organization=disdukcapil' },
  { name: 'catalog with no match', path: '/datasets?q=zzqxv' },
  { name: 'dataset page', path: '/datasets/penduduk-kecamatan' },
  { name: 'SQL with a result', path: '/sql?sql=SELECT%20*%20FROM%20%22penduduk-kecamatan%22' },
  { name: 'SQL with an error', path: '/sql?sql=SELEC%201' },
  { name: '404', path: '/tidak-ada-halaman-ini' },
  { name: 'log in', path: '/login' },
  { name: 'sign up', path: '/signup' },
  { name: 'Badami map view', path: '/badami?view=map' },
  { name: 'Badami dashboard', path: '/badami/dashboard' },
];

let site: SiteFixture;

beforeAll(async () => {
  site = await startSite('kota-a11y-');
});

afterAll(async () => {
  await site?.browser.close();
  await site?.server.stop();
  removeDir(site?.root);
});

async function open(path: string, width = 1280): Promise<Page> {
  const context = await site.browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${site.server.url}${path}`);
  return page;
}

describe('axe-core: no serious or critical violations', () => {
  test('the check itself catches a known violation (an unlabelled button)', async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.setContent('<!doctype html><html lang="id"><title>x</title><main><button></button></main></html>');
    try {
      expect((await seriousViolations(page)).join('\n')).toContain('button-name');
    } finally {
      await context.close();
    }
  });

  for (const lang of ['id', 'en']) {
    test.each(PAGES)(`$name (${lang})`, async ({ path }) => {
      const page = await open(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      try {
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await page.context().close();
      }
    });
  }
});

describe('360 px wide phone: no horizontal scrolling of the page', () => {
  test.each(PAGES.filter((p) => ['home', 'catalog', 'catalog search with a facet', 'dataset page', 'SQL with a result'].includes(p.name)))('$name', async ({ path }) => {
    const page = await open(path, 360);
    try {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(360);
    } finally {
      await page.context().close();
    }
  });
});
