import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { env } from '../config/env.ts';
import { scratchDir } from '../config/paths.ts';
import { OG_FONT, OG_WIDTH } from './cards.ts';
import { woffToSfnt } from './woff.ts';

/**
 * SVG → PNG with resvg (Rust, prebuilt for each platform inside its npm package: nothing downloads at install) and
 * the portal's own font, so a card looks the same on every server whatever fonts the system has.
 */
const WEIGHTS = ['400', '600', '700', '800'];
const SUBSETS = ['latin', 'latin-ext'];
let fontFiles: string[] | undefined;

/** The portal font as TrueType files (unwrapped from the WOFF files the browser gets), made once per data folder. */
function fonts(): string[] {
  if (fontFiles) return fontFiles;
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('@fontsource/plus-jakarta-sans'));
  const dir = path.join(scratchDir(), 'og-fonts');
  mkdirSync(dir, { recursive: true });
  fontFiles = WEIGHTS.flatMap((weight) =>
    SUBSETS.map((subset) => {
      const name = `plus-jakarta-sans-${subset}-${weight}-normal`;
      const target = path.join(dir, `${name}.ttf`);
      if (!existsSync(target)) {
        const temporary = `${target}.${process.pid}.tmp`;
        writeFileSync(temporary, woffToSfnt(readFileSync(path.join(packageDir, 'files', `${name}.woff`))));
        renameSync(temporary, target);
      }
      return target;
    }),
  );
  return fontFiles;
}

export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: OG_WIDTH },
    font: { loadSystemFonts: false, fontFiles: fonts(), defaultFontFamily: OG_FONT, sansSerifFamily: OG_FONT },
  });
  return Buffer.from(resvg.render().asPng());
}

/** The configured logo when it is an SVG file in public/ (PNG logos are left out of the card rather than embedded). */
export function logoSvg(logo: string): string | null {
  if (!logo.startsWith('/') || !logo.endsWith('.svg') || logo.includes('..')) return null;
  const file = path.join(env().KOTA_APP_ROOT ?? process.cwd(), 'public', logo);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
