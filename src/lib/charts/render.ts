import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { FONT_SIZE } from './common.ts';

/**
 * The one place that turns Plot options into SVG text on the server. linkedom stands in for the browser DOM;
 * Plot escapes data text as it builds elements, and so does linkedom as it serialises them.
 *
 * Plot puts an HTML legend and the SVG in a <figure>, which is not a file anyone can download; so the legend
 * is drawn here as SVG swatches above the plot, and the result is always one standalone <svg>.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';
const SWATCH = 13;
const LEGEND_ROW = 22;

export function renderSvg(options: PlotOptions, meta: { title?: string; description?: string } = {}): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const plot = Plot.plot({ ...options, document } as PlotOptions) as unknown as SVGSVGElement & { scale(name: string): ScaleInfo | undefined };
  const width = Number(plot.getAttribute('width'));
  const height = Number(plot.getAttribute('height'));
  const colour = plot.scale('color');
  const entries = colour ? legendEntries(colour) : [];
  const legend = document.createElementNS(SVG_NS, 'g');
  legend.setAttribute('font-family', 'system-ui, sans-serif');
  legend.setAttribute('font-size', String(FONT_SIZE));
  // Swatches flow left to right and wrap at the plot's width; a rough text width keeps them apart.
  let x = 8;
  let y = 6;
  for (const entry of entries) {
    const itemWidth = SWATCH + 6 + entry.label.length * FONT_SIZE * 0.6 + 16;
    if (x + itemWidth > width && x > 8) {
      x = 8;
      y += LEGEND_ROW;
    }
    const rect = document.createElementNS(SVG_NS, 'rect');
    for (const [k, v] of Object.entries({ x, y, width: SWATCH, height: SWATCH, fill: entry.colour })) rect.setAttribute(k, String(v));
    const text = document.createElementNS(SVG_NS, 'text');
    for (const [k, v] of Object.entries({ x: x + SWATCH + 6, y: y + SWATCH - 2 })) text.setAttribute(k, String(v));
    text.textContent = entry.label;
    legend.append(rect, text);
    x += itemWidth;
  }
  const legendHeight = entries.length > 0 ? y + LEGEND_ROW : 0;
  const root = document.createElementNS(SVG_NS, 'svg');
  for (const [k, v] of Object.entries({ xmlns: SVG_NS, width, height: height + legendHeight, viewBox: `0 0 ${width} ${height + legendHeight}` })) {
    root.setAttribute(k, String(v));
  }
  // One picture with one name for assistive technology: Plot's aria-labels on plain <g>s are not allowed there.
  if (meta.title) root.setAttribute('role', 'img');
  for (const element of Array.from(plot.querySelectorAll('[aria-label]'))) element.removeAttribute('aria-label');
  // A white backdrop as a shape, not a style attribute: the page's Content-Security-Policy refuses inline styles,
  // and a downloaded SVG still needs it on dark viewers.
  const backdrop = document.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({ width: '100%', height: '100%', fill: 'white' })) backdrop.setAttribute(k, v);
  if (meta.title) {
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = meta.title;
    root.append(title);
  }
  if (meta.description) {
    const desc = document.createElementNS(SVG_NS, 'desc');
    desc.textContent = meta.description;
    root.append(desc);
  }
  root.append(backdrop);
  if (entries.length > 0) root.append(legend);
  // The plot's children move into a group below the legend; its class carries Plot's own style rules.
  const body = document.createElementNS(SVG_NS, 'g');
  for (const name of ['text-anchor', 'font-family', 'fill']) {
    const value = plot.getAttribute(name);
    if (value !== null) body.setAttribute(name, value);
  }
  // Drawn larger than Plot's 10 px: the picture is scaled to the page's width.
  body.setAttribute('font-size', String(FONT_SIZE));
  body.setAttribute('transform', `translate(0,${legendHeight})`);
  body.append(...Array.from(plot.childNodes));
  root.setAttribute('class', plot.getAttribute('class') ?? '');
  root.append(body);
  return root.outerHTML;
}

interface ScaleInfo {
  type: string;
  domain: unknown[];
  range?: unknown[];
  scheme?: string;
}

/** Swatches for ordinal colours (one per value) and quantize colours (one per bin, labelled by its bounds). */
function legendEntries(scale: ScaleInfo): { label: string; colour: string }[] {
  const range = (scale.range ?? []).map(String);
  if (scale.type === 'ordinal' || scale.type === 'categorical') {
    return scale.domain.map((value, i) => ({ label: String(value), colour: range[i % range.length] ?? '#777' }));
  }
  if (scale.type === 'quantize' || scale.type === 'threshold' || scale.type === 'quantile') {
    const thresholds = scale.domain.map((d) => formatBound(Number(d)));
    return range.map((colour, i) => ({
      colour,
      label: i === 0 ? `< ${thresholds[0]}` : i === range.length - 1 ? `≥ ${thresholds[i - 1]}` : `${thresholds[i - 1]}–${thresholds[i]}`,
    }));
  }
  return [];
}

function formatBound(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}
