import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite, type SiteFixture } from './site-fixture.ts';

/** The Content-Security-Policy is on every page, and the site's own pages do not break it. */
let site: SiteFixture;

beforeAll(async () => {
  site = await startSite('kota-csp-');
});

afterAll(async () => {
  await site?.browser.close();
  await site?.server.stop();
});

const PAGES = [
  '/',
  '/datasets',
  '/datasets?q=pendudu',
  '/datasets/penduduk-kecamatan',
  '/datasets/penduduk-kecamatan?_facet=jumlah_penduduk&_facet=kecamatan',
  '/datasets/penduduk-kecamatan/chart?mark=bar&x=kecamatan&y=jumlah_penduduk',
  '/login',
  '/signup',
  '/api-docs',
  '/sql',
  '/tidak-ada',
];

describe('Content-Security-Policy', () => {
  test('every page sends a policy without unsafe-inline and triggers no violation in Chromium', async () => {
    const page = await site.browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text().slice(0, 160)}`);
    });
    for (const path of PAGES) {
      const response = await page.goto(`${site.server.url}${path}`);
      const policy = response!.headers()['content-security-policy'] ?? '';
      expect(policy, path).toMatch(/script-src 'self'/);
      expect(policy, path).toMatch(/style-src 'self'/);
      expect(policy, path).toContain("frame-ancestors 'none'");
      expect(policy, path).not.toContain('unsafe-inline');
      // The theme colours still arrive (from /theme.css, not an inline style).
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--primary').trim())).toMatch(/^#[0-9a-f]{6}$/i);
    }
    expect(violations).toEqual([]);
    // The chart's PNG button is shown by a script the policy allows.
    await page.goto(`${site.server.url}/datasets/penduduk-kecamatan/chart?mark=bar&x=kecamatan&y=jumlah_penduduk`);
    expect(await page.locator('button[data-png]').first().isVisible()).toBe(true);
    await page.close();
  });
});
