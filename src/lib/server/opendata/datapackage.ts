import type { DatasetDetail } from '../catalog/queries.ts';
import type { FieldSpec, FieldType } from '../lake/schema.ts';
import { datasetPageUrl, downloadUrl, FORMAT_INFO } from './formats.ts';
import { licenseInfo } from './licenses.ts';
import type { Site } from './site.ts';

/**
 * Frictionless Data Package v2 (datapackage.org, 2024) with a Table Schema per resource, so that
 * `frictionless`, `datapackage-py`/`-r` and other readers can load the dataset with types and constraints.
 * Two resources carry the same table: the CSV download (the universal one) and the Parquet download.
 */
export const PROFILES = {
  package: 'https://datapackage.org/profiles/2.0/datapackage.json',
  resource: 'https://datapackage.org/profiles/2.0/dataresource.json',
  schema: 'https://datapackage.org/profiles/2.0/tableschema.json',
  dialect: 'https://datapackage.org/profiles/2.0/tabledialect.json',
};

/** Table Schema field types (v2) for our schema types. Geometry is stored as GeoJSON text. */
export const TABLE_SCHEMA_TYPE: Record<FieldType, string> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  geometry: 'geojson',
};

type Json = Record<string, unknown>;

export function tableSchemaField(field: FieldSpec): Json {
  const out: Json = { name: field.name, type: TABLE_SCHEMA_TYPE[field.type], title: field.title };
  // The CSV download writes timestamps as "2026-01-02 08:30:00" (fractional seconds when present), not the
  // default "…T…Z" form; "any" tells readers to parse any ISO-like representation.
  if (field.type === 'datetime') out.format = 'any';
  const description = [field.description, field.unit ? `Satuan: ${field.unit}` : null].filter(Boolean).join(' — ');
  if (description) out.description = description;
  // Custom properties are allowed by the spec; these keep what the data dictionary shows.
  if (field.title_en) out['title_en'] = field.title_en;
  if (field.description_en) out['description_en'] = field.description_en;
  if (field.unit) out['unit'] = field.unit;
  const c = field.constraints;
  if (c) {
    const constraints: Json = {};
    if (c.required !== undefined) constraints.required = c.required;
    if (c.unique !== undefined) constraints.unique = c.unique;
    if (c.minimum !== undefined) constraints.minimum = bound(field, c.minimum);
    if (c.maximum !== undefined) constraints.maximum = bound(field, c.maximum);
    if (c.enum) constraints.enum = c.enum;
    if (c.pattern) constraints.pattern = c.pattern;
    if (Object.keys(constraints).length > 0) out.constraints = constraints;
  }
  return out;
}

/** Minimum/maximum must have the field's own type: numbers for numeric fields, ISO text for dates. */
function bound(field: FieldSpec, value: string | number): string | number {
  if ((field.type === 'integer' || field.type === 'number') && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return value;
}

export function tableSchema(detail: DatasetDetail): Json {
  const { fields, primary_key } = detail.manifest.schema;
  const schema: Json = { $schema: PROFILES.schema, fields: fields.map(tableSchemaField), missingValues: [''] };
  if (primary_key.length > 0) schema.primaryKey = primary_key;
  return schema;
}

export function dataPackage(site: Site, detail: DatasetDetail): Json {
  const m = detail.manifest;
  const meta = m.metadata;
  const license = licenseInfo(meta.license);
  const opd = site.opd(meta.organization);
  const schema = tableSchema(detail);
  const created = detail.versions.at(-1)?.published_at ?? m.published_at;
  const sourceUrl = /^https?:\/\//.test(m.lineage.source.location) ? m.lineage.source.location : undefined;
  return {
    $schema: PROFILES.package,
    name: m.dataset,
    id: datasetPageUrl(site.base, m.dataset),
    title: meta.title,
    description: meta.description,
    homepage: datasetPageUrl(site.base, m.dataset),
    version: m.version,
    created,
    keywords: [...(meta.tags ?? []), ...(meta.topics ?? [])],
    licenses: [{ name: license.spdx, ...(license.url ? { path: license.url } : {}), title: license.title }],
    sources: [{ title: meta.source_attribution, ...(sourceUrl ? { path: sourceUrl } : {}) }],
    contributors: [
      { title: opd.name, roles: ['publisher'], organization: site.cityName },
      { title: meta.contact_point.name, email: meta.contact_point.email, roles: ['contact'] },
    ],
    resources: [
      {
        $schema: PROFILES.resource,
        name: m.dataset,
        type: 'table',
        path: downloadUrl(site.base, m.dataset, 'csv'),
        format: 'csv',
        mediatype: FORMAT_INFO.csv.mediaType,
        encoding: 'utf-8',
        title: `${meta.title} (CSV)`,
        dialect: { $schema: PROFILES.dialect, header: true, delimiter: ',', quoteChar: '"' },
        schema,
      },
      {
        $schema: PROFILES.resource,
        name: `${m.dataset}-parquet`,
        type: 'table',
        path: downloadUrl(site.base, m.dataset, 'parquet'),
        format: 'parquet',
        mediatype: FORMAT_INFO.parquet.mediaType,
        title: `${meta.title} (Parquet)`,
        schema,
      },
    ],
    // Satu Data Indonesia metadata, kept as custom properties (allowed by the spec).
    satu_data: {
      organization: meta.organization,
      update_frequency: meta.update_frequency,
      temporal_coverage: meta.temporal_coverage,
      spatial_coverage: meta.spatial_coverage,
      data_type: meta.data_type,
      classification: meta.classification,
      presentation_level: meta.presentation_level,
      ...(meta.standard_code ? { standard_code: meta.standard_code } : {}),
      synthetic: meta.synthetic === true,
      rows: m.data.rows,
    },
  };
}
