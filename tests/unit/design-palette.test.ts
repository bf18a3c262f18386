import { describe, expect, test } from 'vitest';
import { contrast, darkenUntil, mix, palette, paletteCss, readableOn } from '../../src/lib/design/palette.ts';

/** Another city's colours restyle every page; whatever they are, the derived tokens keep WCAG AA contrast. */
describe('palette', () => {
  test('contrast follows WCAG 2 (black on white is 21:1, a colour on itself 1:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#0b5cad', '#0b5cad')).toBe(1);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  test('mix moves a colour towards another', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(mix('#0b5cad', '#ffffff', 0)).toBe('#0b5cad');
  });

  test.each([
    ['Bandung blue', '#0b5cad', '#f2a900'],
    ['a light yellow primary', '#ffd84d', '#0b5cad'],
    ['a pale green', '#9be7a8', '#ff7a00'],
    ['near black', '#111111', '#ffffff'],
    ['white', '#ffffff', '#000000'],
    ['mid grey, the hardest case', '#808080', '#7f7f7f'],
  ])('%s: links, text on the primary and on the accent all reach 4.5:1', (_name, primary, accent) => {
    const p = palette({ primary, accent });
    expect(contrast(p.link, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    // White or ink, whichever reads better: at least 4.5:1 for every colour (the better of the two always reaches it).
    expect(contrast(p.onPrimary, p.primary)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.onAccent, p.accent)).toBeGreaterThanOrEqual(4.5);
  });

  test('a dark primary keeps its own colour for links and gets white text', () => {
    const p = palette({ primary: '#0B5CAD', accent: '#F2A900' });
    expect(p.link).toBe('#0b5cad');
    expect(p.onPrimary).toBe('#ffffff');
    expect(p.onAccent).toBe('#000000');
  });

  test('a light primary gets dark text on it and darkened links', () => {
    const p = palette({ primary: '#ffd84d', accent: '#0b5cad' });
    expect(p.onPrimary).toBe('#000000');
    expect(p.link).not.toBe('#ffd84d');
    expect(readableOn('#ffd84d')).toBe('#000000');
  });

  test('darkenUntil stops as soon as the ratio is reached', () => {
    const result = darkenUntil('#7aa7d9', '#ffffff', 4.5);
    expect(contrast(result, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    const steps = [...Array(21).keys()].map((k) => mix('#7aa7d9', '#000000', k * 0.05));
    const first = steps.findIndex((c) => contrast(c, '#ffffff') >= 4.5);
    expect(result).toBe(steps[first]);
    expect(darkenUntil('#0b5cad', '#ffffff', 4.5)).toBe('#0b5cad');
  });

  test('paletteCss prints every token as a custom property, with the short names kept', () => {
    const css = paletteCss(palette({ primary: '#0b5cad', accent: '#f2a900' }));
    for (const name of ['--primary', '--accent', '--color-primary', '--color-primary-strong', '--color-primary-soft', '--color-on-primary', '--color-link', '--color-accent', '--color-accent-soft', '--color-on-accent']) {
      expect(css).toMatch(new RegExp(`${name}: #[0-9a-f]{6};`));
    }
  });
});
