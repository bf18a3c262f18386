import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, test } from 'vitest';
import { palette } from '../../src/lib/design/palette.ts';
import { datasetCardSvg, homeCardSvg, OG_HEIGHT, OG_WIDTH } from '../../src/lib/server/og/cards.ts';
import { sparklinePath, wrapLines, xml } from '../../src/lib/server/og/text.ts';
import { woffToSfnt } from '../../src/lib/server/og/woff.ts';
import { makeTempDir } from '../helpers/temp.ts';

const brand = { portal: 'Kota Terbuka Bandung', government: 'Pemerintah Kota Bandung', palette: palette({ primary: '#0b5cad', accent: '#f2a900' }), logoSvg: null };

describe('card text', () => {
  test('wrapLines breaks at spaces and ends a cut text with an ellipsis', () => {
    expect(wrapLines('Jumlah Penduduk per Kecamatan', 16, 3)).toEqual(['Jumlah Penduduk', 'per Kecamatan']);
    expect(wrapLines('satu dua tiga empat lima enam tujuh', 9, 2)).toEqual(['satu dua', 'tiga…']);
    expect(wrapLines('Supercalifragilistik', 8, 2)).toEqual(['Superca…']);
    expect(wrapLines('  ', 10, 2)).toEqual([]);
  });

  test('xml escapes what user text could use to break out of the SVG', () => {
    expect(xml(`<script>&"'`)).toBe('&lt;script&gt;&amp;&quot;&#39;');
    const svg = datasetCardSvg({ ...brand, title: '</text><script>alert(1)</script>', opd: 'A & B', facts: '1 baris', flag: null, series: [] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
  });

  test('sparklinePath spans the box from the first to the last value, and needs two values', () => {
    expect(sparklinePath([1, 3, 2], 100, 10)).toBe('M0.0,10.0 L50.0,0.0 L100.0,5.0');
    expect(sparklinePath([5, 5], 100, 10)).toBe('M0.0,10.0 L100.0,10.0');
    expect(sparklinePath([1, Number.NaN], 100, 10)).toBeNull();
  });

  test('the cards are 1200×630 SVG documents in the deployment colours', () => {
    for (const svg of [
      homeCardSvg({ ...brand, headline: 'Data terbuka Kota Bandung', lead: 'Cari dan unduh data.', figures: [['14', 'Dataset publik']] }),
      datasetCardSvg({ ...brand, title: 'Jumlah Penduduk', opd: 'Disdukcapil', facts: '30 baris', flag: 'Sampel sintetis', series: [1, 2, 3] }),
    ]) {
      expect(svg).toContain(`width="${OG_WIDTH}" height="${OG_HEIGHT}"`);
      expect(svg).toContain('#0b5cad');
      expect(svg).toContain('#f2a900');
    }
  });
});

describe('woffToSfnt', () => {
  const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@fontsource/plus-jakarta-sans')), 'files');

  test('unwraps the WOFF font into a TrueType file with the same tables', () => {
    const woff = readFileSync(path.join(fontDir, 'plus-jakarta-sans-latin-700-normal.woff'));
    const sfnt = woffToSfnt(woff);
    const tables = woff.readUInt16BE(12);
    expect(sfnt.readUInt32BE(0)).toBe(woff.readUInt32BE(4));
    expect(sfnt.readUInt16BE(4)).toBe(tables);
    const tags = Array.from({ length: tables }, (_, i) => sfnt.toString('latin1', 12 + i * 16, 16 + i * 16));
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'head', 'hmtx', 'name']));
    // Every table lies inside the file and starts on a 4-byte boundary, as the SFNT format requires.
    for (let i = 0; i < tables; i++) {
      const offset = sfnt.readUInt32BE(12 + i * 16 + 8);
      const length = sfnt.readUInt32BE(12 + i * 16 + 12);
      expect(offset % 4).toBe(0);
      expect(offset + length).toBeLessThanOrEqual(sfnt.length);
    }
  });

  test('refuses a file that is not WOFF 1.0', () => {
    expect(() => woffToSfnt(readFileSync(path.join(fontDir, 'plus-jakarta-sans-latin-700-normal.woff2')))).toThrow(/not a WOFF 1.0 file/);
  });

  test('text renders with the unwrapped font (and does not without it)', async () => {
    process.env.DATA_DIR = makeTempDir('kota-og-');
    const { renderPng } = await import('../../src/lib/server/og/render.ts');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${OG_WIDTH}" height="200"><rect width="100%" height="100%" fill="#fff"/><text x="20" y="120" font-size="80" font-family="Plus Jakarta Sans" fill="#000">Kota Terbuka</text></svg>`;
    const dark = (image: Uint8Array | Buffer) => {
      const png = PNG.sync.read(Buffer.from(image));
      let n = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 60) n++;
      return n;
    };
    expect(dark(renderPng(svg))).toBeGreaterThan(3_000);
    expect(dark(new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng())).toBe(0);
  });
});
