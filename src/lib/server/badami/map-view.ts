import type { ScaleOptions } from '@observablehq/plot';
import { choroplethOptions } from '../../charts/map.ts';
import type { RenderedMap } from '../../charts/map.server.ts';
import { boundaryAreas } from '../../charts/map.server.ts';
import { renderSvg } from '../../charts/render.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { createCache, type Cache } from '../cache.ts';
import { deployment } from '../config/deployment.ts';
import type { BoardItem, BoardModel } from './board.ts';

/**
 * The board's map view: how many of the filtered innovations serve each kecamatan, drawn on the city's reference
 * boundaries (the same choropleth as a dataset's map, so every area carries a title "name (code): n" and the table
 * fallback is MapFigure's). An innovation serving three kecamatan counts once in each. City-wide innovations serve
 * no one kecamatan: they are counted apart and said so, never spread over the map.
 *
 * Rendering 30 polygons through Plot costs milliseconds, so the result is kept with the board model it was drawn
 * from (rebuilt on every Badami write, each day and when the health thresholds change), per filters and language.
 */
export interface BadamiMap {
  map: RenderedMap;
  cityWide: number;
  /** Innovations whose kecamatan codes match no boundary (or none at all while not city-wide). */
  unplaced: number;
}

const maps = new WeakMap<BoardModel, Cache<BadamiMap>>();

/** The map of `items` (the model's innovations that pass the filters written as `filterQuery`). */
export function badamiMap(model: BoardModel, items: readonly BoardItem[], filterQuery: string, locale: Locale): Promise<BadamiMap> {
  let cache = maps.get(model);
  if (!cache) maps.set(model, (cache = createCache<BadamiMap>({ max: 100 })));
  return cache.get(`${filterQuery}\0${locale}`, () => buildMap(items, locale));
}

/**
 * Counts are whole numbers: a few distinct counts get one colour each (legend "0", "1", "2"), more get five bins with
 * whole-number bounds, the first being 0 alone (legend "< 1", "1–4", …) — never the fractional bins of a quantize scale.
 */
function countColours(max: number, label: string): ScaleOptions {
  if (max <= 6) return { type: 'ordinal' as const, domain: Array.from({ length: max + 1 }, (_, i) => i), scheme: 'blues' as const, label };
  const step = Math.ceil(max / 4);
  return { type: 'threshold' as const, domain: [1, 1 + step, 1 + 2 * step, 1 + 3 * step], scheme: 'blues' as const, label };
}

async function buildMap(items: readonly BoardItem[], locale: Locale): Promise<BadamiMap> {
  const valueLabel = t(locale, 'badami.map.value');
  const cityWide = items.filter((i) => i.cityWide).length;
  const areas = await boundaryAreas('kecamatan').catch(() => null);
  if (!areas) {
    const problem = { code: 'map.problem.no_boundaries', params: { dataset: deployment().boundaries.kecamatan.dataset, level: 'kecamatan' } };
    return { map: { svg: null, areas: [], unmatched: { rows: 0, codes: [] }, problem, valueLabel }, cityWide, unplaced: 0 };
  }
  const counts = new Map(areas.map((a) => [a.code, 0]));
  let unplaced = 0;
  for (const item of items) {
    if (item.cityWide) continue;
    const known = item.kecamatan.filter((code) => counts.has(code));
    if (known.length === 0) unplaced++;
    for (const code of known) counts.set(code, counts.get(code)! + 1);
  }
  const mapped = areas.map((a) => ({ ...a, value: counts.get(a.code)! }));
  const title = t(locale, 'badami.map.title');
  const options = choroplethOptions(mapped, { locale, valueLabel, noData: t(locale, 'map.no_data') });
  const svg = renderSvg({ ...options, color: countColours(Math.max(0, ...counts.values()), valueLabel) }, { title });
  return {
    map: {
      svg,
      areas: mapped.map(({ code, name, value }) => ({ code, name, value })).sort((a, b) => a.name.localeCompare(b.name, 'id')),
      unmatched: { rows: 0, codes: [] },
      problem: null,
      valueLabel,
    },
    cityWide,
    unplaced,
  };
}
