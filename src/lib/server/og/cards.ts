import type { Palette } from '../../design/palette.ts';
import { sparklinePath, wrapLines, xml } from './text.ts';

/**
 * The social preview cards (Open Graph, 1200×630) as SVG, ready for the PNG renderer. Pure: the route gathers the
 * words and numbers in the page's language, these lay them out in the deployment's colours.
 */
export const OG_WIDTH = 1200;
export const OG_HEIGHT = 630;
export const OG_FONT = 'Plus Jakarta Sans';

interface Brand {
  portal: string;
  government: string;
  palette: Palette;
  /** The city's mark as an SVG document, drawn in the corner when there is one. */
  logoSvg: string | null;
}

export interface HomeCard extends Brand {
  headline: string;
  lead: string;
  /** e.g. [["14", "Dataset publik"], ...]: value already formatted for the language. */
  figures: [string, string][];
}

export interface DatasetCard extends Brand {
  title: string;
  opd: string;
  /** One line of facts: rows, last update. */
  facts: string;
  /** A tag such as "Sampel sintetis", shown as a pill. */
  flag: string | null;
  /** Values for the sparkline, in order; fewer than two draw none. */
  series: number[];
}

export function homeCardSvg(card: HomeCard): string {
  const { palette: p } = card;
  const headline = wrapLines(card.headline, 26, 2);
  const lead = wrapLines(card.lead, 64, 3);
  const figures = card.figures.slice(0, 3);
  const figureWidth = 330;
  return frame(card, `
  ${headline.map((line, i) => `<text x="80" y="${250 + i * 76}" font-size="66" font-weight="800" fill="#111827">${xml(line)}</text>`).join('\n  ')}
  ${lead.map((line, i) => `<text x="80" y="${262 + headline.length * 76 + i * 40}" font-size="28" fill="#374151">${xml(line)}</text>`).join('\n  ')}
  ${figures
    .map(
      ([value, label], i) => `<g transform="translate(${80 + i * figureWidth},456)">
    <text y="48" font-size="50" font-weight="800" fill="${p.link}">${xml(value)}</text>
    ${wrapLines(label, 26, 2).map((line, j) => `<text y="${84 + j * 28}" font-size="22" font-weight="600" fill="#374151">${xml(line)}</text>`).join('')}
  </g>`,
    )
    .join('\n  ')}`);
}

export function datasetCardSvg(card: DatasetCard): string {
  const { palette: p } = card;
  const title = wrapLines(card.title, 34, 3);
  // Three-line titles get a smaller size so the sparkline keeps its room below the text.
  const [size, leading] = title.length > 2 ? [48, 56] : [58, 66];
  const opdLine = wrapLines(card.opd, 56, 1)[0] ?? '';
  const top = card.flag ? 228 : 176;
  const titleBottom = top + size + (title.length - 1) * leading;
  const textBottom = titleBottom + 84;
  const sparkTop = textBottom + 28;
  const sparkWidth = 1040;
  const sparkHeight = OG_HEIGHT - 44 - sparkTop;
  const path = sparkHeight >= 48 ? sparklinePath(card.series, sparkWidth, sparkHeight) : null;
  const flagWidth = card.flag ? 40 + card.flag.length * 14 : 0;
  return frame(card, `
  ${card.flag ? `<rect x="80" y="160" width="${flagWidth}" height="44" rx="22" fill="#fff5da" stroke="#d49b00" stroke-width="2"/><text x="${80 + flagWidth / 2}" y="190" font-size="22" font-weight="700" fill="#7a4d00" text-anchor="middle">${xml(card.flag)}</text>` : ''}
  ${title.map((line, i) => `<text x="80" y="${top + size + i * leading}" font-size="${size}" font-weight="800" fill="#111827">${xml(line)}</text>`).join('\n  ')}
  <text x="80" y="${titleBottom + 46}" font-size="28" font-weight="700" fill="${p.link}">${xml(opdLine)}</text>
  <text x="80" y="${titleBottom + 84}" font-size="24" fill="#525b68">${xml(card.facts)}</text>
  ${path ? `<g transform="translate(80,${sparkTop})"><path d="${path} L${sparkWidth},${sparkHeight} L0,${sparkHeight} Z" fill="${p.primarySoft}"/><path d="${path}" fill="none" stroke="${p.primary}" stroke-width="5" stroke-linejoin="round" stroke-linecap="round"/></g>` : ''}`);
}

/** The shared frame: white card, accent bar on top, the mark, the government line and the portal name. */
function frame(card: Brand, inner: string): string {
  const { palette: p } = card;
  const logo = card.logoSvg
    ? `<image x="80" y="56" width="72" height="72" href="data:image/svg+xml;base64,${Buffer.from(card.logoSvg).toString('base64')}"/>`
    : `<rect x="80" y="56" width="72" height="72" rx="16" fill="${p.primary}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${OG_WIDTH}" height="${OG_HEIGHT}" viewBox="0 0 ${OG_WIDTH} ${OG_HEIGHT}" font-family="${OG_FONT}">
  <rect width="${OG_WIDTH}" height="${OG_HEIGHT}" fill="#ffffff"/>
  <rect width="${OG_WIDTH}" height="14" fill="${p.accent}"/>
  <rect y="${OG_HEIGHT - 14}" width="${OG_WIDTH}" height="14" fill="${p.primary}"/>
  ${logo}
  <text x="172" y="84" font-size="20" font-weight="700" fill="#525b68" letter-spacing="2">${xml(card.government.toUpperCase())}</text>
  <text x="172" y="120" font-size="32" font-weight="800" fill="${p.link}">${xml(card.portal)}</text>
  ${inner}
</svg>`;
}
