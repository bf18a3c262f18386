/**
 * The deployment's two colours (kota.config.yaml `city.colors`) expanded into the design tokens every component
 * uses, so another city's palette restyles the whole portal. Pure: `/theme.css` prints the result.
 *
 * Every derived colour keeps WCAG AA contrast whatever the configured colours are: a light primary still gets
 * dark-enough link text, and text on a coloured surface is white or near-black, whichever reads better.
 */
export interface Palette {
  primary: string;
  /** Hover and pressed states; headings on white. */
  primaryStrong: string;
  /** Tinted backgrounds (selected rows, hero bands). */
  primarySoft: string;
  /** Text or icons on a `primary` surface. */
  onPrimary: string;
  /** Link and primary-coloured text on white: `primary` when it has 4.5:1, otherwise darkened until it has. */
  link: string;
  accent: string;
  accentSoft: string;
  onAccent: string;
}

const WHITE = '#ffffff';
// Pure black: for mid-tone colours (#808080) only black or white beside them reaches 4.5:1, never a softer ink.
const INK = '#000000';
const AA = 4.5;

export function palette(colors: { primary: string; accent: string }): Palette {
  const primary = colors.primary.toLowerCase();
  const accent = colors.accent.toLowerCase();
  return {
    primary,
    primaryStrong: mix(primary, '#000000', 0.25),
    primarySoft: mix(primary, WHITE, 0.9),
    onPrimary: readableOn(primary),
    link: darkenUntil(primary, WHITE, AA),
    accent,
    accentSoft: mix(accent, WHITE, 0.85),
    onAccent: readableOn(accent),
  };
}

/** CSS custom properties for `:root`; the short `--primary`/`--accent` names stay for components that use them. */
export function paletteCss(p: Palette): string {
  const vars: [string, string][] = [
    ['--primary', p.primary],
    ['--accent', p.accent],
    ['--color-primary', p.primary],
    ['--color-primary-strong', p.primaryStrong],
    ['--color-primary-soft', p.primarySoft],
    ['--color-on-primary', p.onPrimary],
    ['--color-link', p.link],
    ['--color-accent', p.accent],
    ['--color-accent-soft', p.accentSoft],
    ['--color-on-accent', p.onAccent],
  ];
  return `:root {\n${vars.map(([name, value]) => `  ${name}: ${value};`).join('\n')}\n}\n`;
}

/** White or near-black, whichever contrasts more with `background`. */
export function readableOn(background: string): string {
  return contrast(WHITE, background) >= contrast(INK, background) ? WHITE : INK;
}

/** `color` mixed towards black in small steps until it reaches `ratio` against `background`. */
export function darkenUntil(color: string, background: string, ratio: number): string {
  let current = color;
  for (let step = 1; contrast(current, background) < ratio && step <= 20; step++) current = mix(color, '#000000', step * 0.05);
  return current;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** `a` moved towards `b` by `amount` (0 keeps `a`, 1 gives `b`), per sRGB channel. */
export function mix(a: string, b: string, amount: number): string {
  const x = rgb(a);
  const y = rgb(b);
  return `#${x.map((c, i) => Math.round(c + (y[i]! - c) * amount).toString(16).padStart(2, '0')).join('')}`;
}

function rgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}
