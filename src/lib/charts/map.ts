import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { formatNumber, type Locale } from '../i18n/index.ts';
import { WIDTH } from './common.ts';

/**
 * Maps as Observable Plot options, pure like the chart builders: a choropleth of one value per area (areas
 * without a value drawn grey, so a gap is visible, not missing), or the features of a geometry dataset. Each
 * area carries a native SVG title ("Coblong (32.73.02): 123.456"); the legend is a quantize legend, which renders
 * on the server (continuous legends need a canvas).
 */
export interface MapArea {
  code: string;
  name: string;
  geometry: GeoGeometry;
  /** null: no row of the dataset for this area. */
  value: number | null;
}

export interface GeoGeometry {
  type: string;
  coordinates: unknown;
}

const NO_DATA = '#e4e4e4';
const STROKE = '#ffffff';
const COLOURS = 5;

export function choroplethOptions(areas: MapArea[], options: { locale: Locale; valueLabel: string; noData: string }): PlotOptions {
  const features = areas.map((a) => feature(a.geometry, a));
  const withValue = features.filter((f) => f.properties.value !== null);
  const title = (f: Feature) => `${f.properties.name} (${f.properties.code}): ${f.properties.value === null ? options.noData : formatNumber(options.locale, f.properties.value)}`;
  return {
    width: WIDTH,
    projection: { type: 'mercator', domain: { type: 'FeatureCollection', features } },
    color: { type: 'quantize', n: COLOURS, scheme: 'blues', label: options.valueLabel },
    marks: [
      Plot.geo(features.filter((f) => f.properties.value === null), { fill: NO_DATA, stroke: STROKE, strokeWidth: 0.5, title }),
      Plot.geo(withValue, { fill: (f: Feature) => f.properties.value, stroke: STROKE, strokeWidth: 0.5, title }),
    ],
  } as PlotOptions;
}

/** The features of a geometry dataset (points, lines, polygons), each titled with its label. */
export function featuresOptions(items: { label: string; geometry: GeoGeometry }[]): PlotOptions {
  const features = items.map((item, i) => feature(item.geometry, { code: String(i), name: item.label, value: null }));
  return {
    width: WIDTH,
    projection: { type: 'mercator', domain: { type: 'FeatureCollection', features } },
    marks: [Plot.geo(features, { fill: '#1f6f8b', fillOpacity: 0.35, stroke: '#1f6f8b', strokeWidth: 0.75, r: 3, title: (f: Feature) => f.properties.name })],
  } as PlotOptions;
}

interface Feature {
  type: 'Feature';
  properties: { code: string; name: string; value: number | null };
  geometry: GeoGeometry;
}

function feature(geometry: GeoGeometry, properties: Feature['properties']): Feature {
  return { type: 'Feature', properties: { code: properties.code, name: properties.name, value: properties.value }, geometry: rewind(geometry) };
}

type Position = [number, number];

/**
 * d3-geo (under Plot) reads polygon rings on the sphere: an outer ring must run clockwise, or it is taken as
 * "everything but this area" and the map is one flat colour. GeoJSON files often use the opposite (RFC 7946's)
 * order, so rings are set to d3's: outer rings clockwise, holes counter-clockwise.
 */
export function rewind(geometry: GeoGeometry): GeoGeometry {
  const polygon = (rings: Position[][]) => rings.map((ring, i) => orient(ring, i === 0));
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: polygon(geometry.coordinates as Position[][]) };
  if (geometry.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: (geometry.coordinates as Position[][][]).map(polygon) };
  return geometry;
}

function orient(ring: Position[], clockwise: boolean): Position[] {
  let area = 0;
  for (let i = 0; i + 1 < ring.length; i++) area += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  // Shoelace over (longitude, latitude): negative is clockwise seen with north up.
  return area < 0 === clockwise ? ring : [...ring].reverse();
}
