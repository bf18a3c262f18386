import { t, type Locale } from '../i18n/index.ts';
import { deployment } from '../server/config/deployment.ts';
import { createCache } from '../server/cache.ts';
import { withConnection } from '../server/catalog/index-db.ts';
import { quoteIdent } from '../server/db/sql.ts';
import type { Manifest } from '../server/lake/manifest.ts';
import { readCurrent, versionDataPath } from '../server/lake/read.ts';
import type { FieldSpec, RegionLevel } from '../server/lake/schema.ts';
import { parseRowQuery, whereClause, type RowQuery } from '../server/query/filters.ts';
import { choroplethOptions, featuresOptions, type GeoGeometry, type MapArea } from './map.ts';
import { renderSvg } from './render.ts';

/**
 * Maps of a dataset, rendered on the server: a dataset whose spec names a region column (`region: {field,
 * level}`) is joined on the Kemendagri code to the reference boundaries of its level (kota.config.yaml
 * `boundaries`); a dataset with a geometry column maps its own features. Codes that match no boundary are
 * counted and named, never dropped silently.
 */
export interface RenderedMap {
  svg: string | null;
  /** Every boundary area with its value (null: no row for it), for the table under the map. */
  areas: { code: string; name: string; value: number | null }[];
  /** Rows whose code matches no boundary, and the first of those codes. */
  unmatched: { rows: number; codes: string[] };
  /** Set when the map cannot be drawn: a message key (the boundaries are not published, the value is not a number…). */
  problem: { code: string; params: Record<string, string | number> } | null;
  valueLabel: string;
}

export type MapKind = 'region' | 'geometry' | null;

/** A dataset with its own geometry (boundaries, facilities) maps its features; one with a region code, a choropleth. */
export function mapKind(manifest: Manifest): MapKind {
  if (manifest.schema.fields.some((f) => f.type === 'geometry')) return 'geometry';
  return manifest.metadata.region ? 'region' : null;
}

export interface Boundary {
  code: string;
  name: string;
  geometry: GeoGeometry;
}

/** Boundaries change only with a new version of their dataset: parsed once per version. */
const boundaries = createCache<Boundary[]>({ max: 20 });

/** The reference boundaries of a level (code, name, geometry), or null while their dataset is not published. */
export async function boundaryAreas(level: RegionLevel): Promise<Boundary[] | null> {
  const ref = deployment().boundaries[level];
  const current = await readCurrent(ref.dataset);
  if (!current) return null;
  return boundaries.get(`${ref.dataset}@${current.version}:${ref.code}:${ref.name}`, () =>
    withConnection(async (conn) => {
      const reader = await conn.runAndReadAll(
        `SELECT CAST(${quoteIdent(ref.code)} AS VARCHAR) AS code, CAST(${quoteIdent(ref.name)} AS VARCHAR) AS name, geometry FROM read_parquet($1) ORDER BY 1`,
        [versionDataPath(ref.dataset, current.version)] as never,
      );
      return reader.getRowObjectsJson().map((r) => ({ code: String(r.code), name: String(r.name ?? r.code), geometry: JSON.parse(String(r.geometry)) as GeoGeometry }));
    }),
  );
}

/** The map a spec asks for on the dataset page: its `region.map` value and filter (e.g. the latest year). */
export function specMapRequest(manifest: Manifest): { value: string | null; query: RowQuery; title: string | null; title_en: string | null } {
  const map = manifest.metadata.region?.map;
  const params = new URLSearchParams(Object.entries(map?.filter ?? {}).map(([k, v]) => [k, String(v)]));
  return { value: map?.value ?? null, query: parseRowQuery(params, manifest.schema.fields).query, title: map?.title ?? null, title_en: map?.title_en ?? null };
}

export async function renderRegionMap(manifest: Manifest, request: { value: string | null; query: RowQuery }, locale: Locale, title: string): Promise<RenderedMap> {
  const region = manifest.metadata.region!;
  const fields = manifest.schema.fields;
  const valueField = request.value ? fields.find((f) => f.name === request.value) : undefined;
  const label = valueField ? (locale === 'en' && valueField.title_en ? valueField.title_en : valueField.title) : t(locale, 'map.rows');
  const empty = (problem: RenderedMap['problem']): RenderedMap => ({ svg: null, areas: [], unmatched: { rows: 0, codes: [] }, problem, valueLabel: label });
  if (request.value && (!valueField || (valueField.type !== 'integer' && valueField.type !== 'number'))) {
    return empty({ code: 'map.problem.value_numeric', params: { value: request.value } });
  }
  const areas = await boundaryAreas(region.level);
  if (!areas) return empty({ code: 'map.problem.no_boundaries', params: { dataset: deployment().boundaries[region.level].dataset, level: region.level } });
  const values = await regionValues(manifest, region.field, valueField ?? null, request.query);
  const known = new Map(areas.map((a) => [a.code, a]));
  // Most frequent unmatched codes first, so the message names the likely culprits.
  const strays = [...values].filter(([code]) => code === null || !known.has(code)).sort((a, b) => b[1].rows - a[1].rows || String(a[0]).localeCompare(String(b[0])));
  const unmatched = {
    rows: strays.reduce((n, [, v]) => n + v.rows, 0),
    codes: strays.slice(0, 10).map(([code]) => code ?? t(locale, 'map.empty_code')),
  };
  const mapped: MapArea[] = areas.map((a) => ({ ...a, value: values.get(a.code)?.value ?? null }));
  const options = choroplethOptions(mapped, { locale, valueLabel: label, noData: t(locale, 'map.no_data') });
  return {
    svg: renderSvg(options, { title }),
    areas: mapped.map(({ code, name, value }) => ({ code, name, value })).sort((a, b) => a.name.localeCompare(b.name, 'id')),
    unmatched,
    problem: null,
    valueLabel: label,
  };
}

/** Per region code: the value summed (or rows counted) over the rows the filters keep, and the row count. */
async function regionValues(manifest: Manifest, field: string, value: FieldSpec | null, query: RowQuery): Promise<Map<string | null, { value: number; rows: number }>> {
  const where = whereClause(query, manifest.schema.fields, 2);
  const aggregate = value ? `CAST(sum(${quoteIdent(value.name)}) AS DOUBLE)` : 'CAST(count(*) AS DOUBLE)';
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(
      `SELECT CAST(${quoteIdent(field)} AS VARCHAR) AS code, ${aggregate} AS value, count(*) AS n FROM read_parquet($1) WHERE ${where.sql} GROUP BY 1`,
      [versionDataPath(manifest.dataset, manifest.version), ...where.values] as never,
    );
    return new Map(reader.getRowObjectsJson().map((r) => [r.code === null ? null : String(r.code), { value: Number(r.value), rows: Number(r.n) }]));
  });
}

/** The features of a geometry dataset, labelled by its first text column. */
export async function renderFeatureMap(manifest: Manifest, locale: Locale, title: string): Promise<RenderedMap> {
  const geometry = manifest.schema.fields.find((f) => f.type === 'geometry')!;
  const labelField = manifest.schema.fields.find((f) => f.type === 'string' && f.name !== geometry.name);
  const rows = await withConnection(async (conn) => {
    const label = labelField ? `CAST(${quoteIdent(labelField.name)} AS VARCHAR)` : 'NULL';
    const reader = await conn.runAndReadAll(
      `SELECT ${label} AS label, ${quoteIdent(geometry.name)} AS geometry FROM read_parquet($1) WHERE ${quoteIdent(geometry.name)} IS NOT NULL LIMIT 5000`,
      [versionDataPath(manifest.dataset, manifest.version)] as never,
    );
    return reader.getRowObjectsJson();
  });
  const items = rows.map((r, i) => ({ label: String(r.label ?? i + 1), geometry: JSON.parse(String(r.geometry)) as GeoGeometry }));
  const valueLabel = t(locale, 'map.features');
  if (items.length === 0) return { svg: null, areas: [], unmatched: { rows: 0, codes: [] }, problem: null, valueLabel };
  return { svg: renderSvg(featuresOptions(items), { title }), areas: [], unmatched: { rows: 0, codes: [] }, problem: null, valueLabel };
}

/** The dataset page's map depends only on the version and the language: rendered once, kept in memory. */
const pageMaps = createCache<{ title: string; map: RenderedMap } | null>({ max: 200 });

export function defaultMap(manifest: Manifest, locale: Locale): Promise<{ title: string; map: RenderedMap } | null> {
  return pageMaps.get(`${manifest.dataset}\0${manifest.version}\0${locale}`, () => renderDefaultMap(manifest, locale));
}

async function renderDefaultMap(manifest: Manifest, locale: Locale): Promise<{ title: string; map: RenderedMap } | null> {
  const kind = mapKind(manifest);
  const datasetTitle = locale === 'en' && manifest.metadata.title_en ? manifest.metadata.title_en : manifest.metadata.title;
  if (kind === 'geometry') return { title: datasetTitle, map: await renderFeatureMap(manifest, locale, datasetTitle) };
  if (kind !== 'region') return null;
  const request = specMapRequest(manifest);
  const title = (locale === 'en' && request.title_en) || request.title || datasetTitle;
  return { title, map: await renderRegionMap(manifest, request, locale, title) };
}

/** The spec's map as chart builder parameters (mark=map, y=value, one parameter per filter), and its filter as text. */
export function specMapLink(manifest: Manifest): { params: URLSearchParams; filters: string } {
  const map = manifest.metadata.region?.map;
  const params = new URLSearchParams({ mark: 'map' });
  if (map?.value) params.set('y', map.value);
  for (const [key, value] of Object.entries(map?.filter ?? {})) params.set(key, String(value));
  return { params, filters: Object.entries(map?.filter ?? {}).map(([k, v]) => `${k} = ${String(v)}`).join(', ') };
}
