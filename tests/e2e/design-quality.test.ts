import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/server.ts';
import { removeDir } from '../helpers/temp.ts';
import { seriousViolations } from './axe.ts';
import { pageUrl, PORTAL_URL, SHOWCASE_PAGES, startShowcase, type Showcase } from './showcase-fixture.ts';

/**
 * What a person sees on every page type of the showcase catalog: axe clean in both languages, no sideways
 * scrolling at 360 px, no Content-Security-Policy violation, English pages free of Indonesian topic and OPD names,
 * canonical URL, title and description, social preview images that render, checks said as sentences, print.
 */
let site: Showcase;

beforeAll(async () => {
  site = await startShowcase('kota-design-');
});

afterAll(async () => {
  await site?.browser.close();
  await site?.server.stop();
  removeDir(site?.root);
});

async function open(path: string, options: { width?: number; lang?: 'id' | 'en' } = {}): Promise<Page> {
  const context = await site.browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 } });
  const page = await context.newPage();
  const url = pageUrl(site, path);
  await page.goto(options.lang ? `${url}${url.includes('?') ? '&' : '?'}lang=${options.lang}` : url);
  return page;
}

const config = parseYaml(readFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), 'utf8')) as {
  opds: { name: string; name_en?: string }[];
  topics: { name: string; name_en?: string }[];
};
/** The demo config's Indonesian OPD and topic names that have an English one: none may appear on an English page. */
const INDONESIAN_NAMES = [...config.opds, ...config.topics].filter((x) => x.name_en && x.name_en !== x.name).map((x) => x.name);

describe.each(['id', 'en'] as const)('every page type (%s)', (lang) => {
  // One load per page and language: axe at desktop width, the language check, then the same page at 360 px.
  test.each(SHOWCASE_PAGES)('$name: axe clean, head tags, names in the page language, no sideways scrolling at 360 px', async ({ path }) => {
    const page = await open(path, { lang });
    try {
      expect(await seriousViolations(page)).toEqual([]);
      if (lang === 'id') await expectHead(page);
      if (lang === 'en') {
        const text = await page.evaluate(() => document.body.innerText);
        expect(INDONESIAN_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(text))).toEqual([]);
      }
      await page.setViewportSize({ width: 360, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    } finally {
      await page.context().close();
    }
  });
});

test('no page breaks the Content-Security-Policy, in either language', async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text().slice(0, 200)}`);
  });
  for (const lang of ['id', 'en']) {
    for (const { path } of SHOWCASE_PAGES) {
      const response = await page.goto(`${pageUrl(site, path)}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      expect(response!.headers()['content-security-policy'], path).not.toContain('unsafe-inline');
      await page.evaluate(() => document.fonts.ready);
    }
  }
  await context.close();
  expect(violations).toEqual([]);
});

describe('English pages', () => {
  test('the demo config gives every OPD and topic an English name', () => {
    expect([...config.opds, ...config.topics].filter((x) => !x.name_en).map((x) => x.name)).toEqual([]);
  });

  test('the home page names topics and agencies in English', async () => {
    const page = await open('/', { lang: 'en' });
    try {
      const topics = page.getByRole('region', { name: 'Explore by topic' });
      expect(await topics.getByRole('link').allInnerTexts()).toContain('Population\n1 dataset');
      expect(await page.getByText('Population and Civil Registration Agency').count()).toBeGreaterThan(0);
      expect(await page.locator('header').innerText()).toContain('BANDUNG CITY GOVERNMENT');
    } finally {
      await page.context().close();
    }
  });
});

/** One absolute canonical URL on the public address without a query, the portal in the title, a description, a card. */
async function expectHead(page: Page): Promise<void> {
  const head = await page.evaluate(() => ({
    canonical: [...document.querySelectorAll('link[rel=canonical]')].map((l) => l.getAttribute('href')),
    title: document.title,
    description: document.querySelector('meta[name=description]')?.getAttribute('content') ?? '',
    ogImage: document.querySelector('meta[property="og:image"]')?.getAttribute('content') ?? '',
  }));
  expect(head.canonical).toHaveLength(1);
  const canonical = new URL(head.canonical[0]!);
  expect(canonical.origin).toBe(PORTAL_URL);
  expect(canonical.search).toBe('');
  expect(head.title).toMatch(/Kota Terbuka Bandung$/);
  expect(head.description.length).toBeGreaterThan(20);
  expect(head.ogImage.startsWith(`${PORTAL_URL}/og/`)).toBe(true);
}

describe('canonical URL, title and description', () => {
  test('a dataset page is canonical without its filters, titled by the dataset, with its own preview card', async () => {
    const page = await open('/datasets/penduduk-kecamatan?jumlah_penduduk__gte=90000', { lang: 'en' });
    try {
      expect(await page.locator('link[rel=canonical]').getAttribute('href')).toBe(`${PORTAL_URL}/datasets/penduduk-kecamatan`);
      expect(await page.title()).toBe('Synthetic sample: Population by District · Kota Terbuka Bandung');
      expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toBe(`${PORTAL_URL}/og/datasets/penduduk-kecamatan.png?lang=en`);
    } finally {
      await page.context().close();
    }
  });
});

describe('Open Graph images', () => {
  async function card(path: string): Promise<{ status: number; type: string | null; png: PNG | null }> {
    const response = await fetch(`${site.server.url}${path}`);
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, type: response.headers.get('content-type'), png: response.ok ? PNG.sync.read(body) : null };
  }
  /** Pixels of the card's dark title colour (#111827) in a band: text was drawn there with the portal's font. */
  function inkIn(png: PNG, top: number, bottom: number): number {
    let ink = 0;
    for (let y = top; y < bottom; y++) {
      for (let x = 0; x < png.width; x++) {
        const i = (y * png.width + x) * 4;
        if (png.data[i]! < 40 && png.data[i + 1]! < 50 && png.data[i + 2]! < 70) ink++;
      }
    }
    return ink;
  }

  test('the home card and a dataset card render as 1200×630 PNGs with their text', async () => {
    const home = await card('/og/home.png');
    const dataset = await card('/og/datasets/penduduk-kecamatan.png?lang=en');
    for (const c of [home, dataset]) {
      expect(c.status).toBe(200);
      expect(c.type).toBe('image/png');
      expect([c.png!.width, c.png!.height]).toEqual([1200, 630]);
      expect(inkIn(c.png!, 180, 420)).toBeGreaterThan(5_000);
    }
    expect(Buffer.compare(PNG.sync.write(home.png!), PNG.sync.write(dataset.png!))).not.toBe(0);
  });

  test('restricted and unknown datasets have no card', async () => {
    expect((await card('/og/datasets/aduan-warga.png')).status).toBe(404);
    expect((await card('/og/datasets/tidak-ada.png')).status).toBe(404);
  });
});

describe('the dataset page', () => {
  test('says its checks as sentences, never as machine names', async () => {
    const page = await open('/datasets/penduduk-kecamatan');
    try {
      const checks = await page.locator('section[aria-labelledby=checks]').innerText();
      expect(checks).toContain('Kolom Kecamatan dan Penduduk laki-laki wajib diisi');
      expect(checks).toContain('Nilai kolom Kecamatan tidak boleh berulang');
      expect(checks).toContain('Kolom Jumlah penduduk bernilai antara 0 dan 100.000');
      expect(checks).toContain('Dataset berisi tepat 8 baris');
      expect(checks).not.toMatch(/not_null|row_count|#\d/);
    } finally {
      await page.context().close();
    }
  });

  test('on a phone: the dictionary is one card per column and the download is under the thumb', async () => {
    const page = await open('/datasets/penduduk-kecamatan', { width: 360 });
    try {
      const rows = page.locator('section[aria-labelledby=dictionary] tbody tr');
      expect(await rows.count()).toBe(4);
      const boxes = await rows.evaluateAll((trs) => trs.map((tr) => getComputedStyle(tr).display));
      expect(boxes).toEqual(['block', 'block', 'block', 'block']);
      // The first column's card names the column by its title; each fact carries its label.
      expect(await rows.first().innerText()).toMatch(/^Kecamatan\s+kecamatan\s+string/);
      const labels = await rows.first().locator('td').evaluateAll((tds) => tds.map((td) => getComputedStyle(td, '::before').content));
      expect(labels.slice(0, 2)).toEqual(['"Tipe"', '"Satuan"']);
      const bar = page.locator('.phone-actions');
      expect(await bar.isVisible()).toBe(true);
      const box = (await bar.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(900);
      expect(box.y).toBeGreaterThan(900 - 100);
    } finally {
      await page.context().close();
    }
  });

  test('prints as a summary: title, chart, dictionary, metadata and checks, without the table and forms', async () => {
    const page = await open('/datasets/penduduk-kecamatan');
    try {
      await page.emulateMedia({ media: 'print' });
      const visible = async (selector: string) => page.locator(selector).first().isVisible();
      expect(await visible('h1')).toBe(true);
      expect(await visible('#charts')).toBe(true);
      expect(await visible('#dictionary')).toBe(true);
      expect(await visible('#metadata')).toBe(true);
      expect(await visible('#checks')).toBe(true);
      expect(await visible('table.data')).toBe(false);
      expect(await visible('form.filters')).toBe(false);
      expect(await visible('.site-header nav')).toBe(false);
      expect(await page.getByText(`Dicetak dari ${PORTAL_URL}/datasets/penduduk-kecamatan`).isVisible()).toBe(true);
    } finally {
      await page.context().close();
    }
  });
});

test('the home page: figures, topic tiles with counts, newest datasets as cards, live programme cards', async () => {
  const page = await open('/');
  try {
    const figures = await page.getByRole('region', { name: 'Angka katalog' }).innerText();
    expect(figures).toMatch(/5\s+Dataset publik/);
    expect(figures).toMatch(/5\s+Perangkat daerah berbagi data/);
    expect(figures).toMatch(/0\s+Unduhan bulan ini/);
    const topics = await page.getByRole('region', { name: 'Jelajahi menurut topik' }).getByRole('link').allInnerTexts();
    expect(topics).toEqual(['Kependudukan\n1 dataset', 'Kesehatan\n2 dataset', 'Pendidikan\n1 dataset', 'Transportasi\n1 dataset', 'Lingkungan Hidup\n1 dataset', 'Wilayah\n1 dataset']);
    const newest = page.getByRole('region', { name: 'Dataset terbaru' });
    expect((await newest.getByRole('heading', { level: 3 }).allInnerTexts())[0]).toBe('Sampel sintetis: Jumlah Penduduk per Kecamatan');
    const region = page.getByRole('region', { name: 'Program inovasi' });
    const programmes = await region.innerText();
    expect(programmes).toContain('Datathon Kota');
    expect(programmes).toContain('Papan Inovasi Badami');
    expect(programmes).not.toContain('Segera hadir');
    const hrefs = await region.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.some((h) => h?.startsWith('/datathon'))).toBe(true);
    expect(hrefs).toContain('/badami');
  } finally {
    await page.context().close();
  }
});

test('the identity assets the config names are served', async () => {
  for (const [asset, type] of [['/logo.svg', 'image/svg+xml'], ['/favicon.ico', 'image/']] as const) {
    const response = await fetch(`${site.server.url}${asset}`);
    expect(response.status, asset).toBe(200);
    expect(response.headers.get('content-type'), asset).toContain(type);
  }
  const theme = await (await fetch(`${site.server.url}/theme.css`)).text();
  expect(theme).toContain('--color-primary: #0b5cad;');
  expect(theme).toContain('--color-on-primary: #ffffff;');
});

// Last in the file: it changes the figures the tests above read.
test('a download counts in "downloads this month" and brings the "most downloaded" cards', async () => {
  const response = await fetch(`${site.server.url}/api/v1/datasets/sekolah-kecamatan/download.csv`);
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  const page = await open('/');
  try {
    for (let tries = 0; tries < 20; tries++) {
      const figures = await page.getByRole('region', { name: 'Angka katalog' }).innerText();
      if (/1\s+Unduhan bulan ini/.test(figures)) break;
      await page.waitForTimeout(250);
      await page.reload();
    }
    expect(await page.getByRole('region', { name: 'Angka katalog' }).innerText()).toMatch(/1\s+Unduhan bulan ini/);
    const popular = page.getByRole('region', { name: 'Paling banyak diunduh' });
    expect(await popular.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Jumlah Sekolah per Kecamatan']);
    expect(await popular.innerText()).toContain('1 unduhan');
  } finally {
    await page.context().close();
  }
});
