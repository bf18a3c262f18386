import { z } from 'zod';

/**
 * The pipeline spec: `pipelines/<id>/pipeline.yaml`. Metadata follows what Satu Data Indonesia asks
 * of a regional dataset (Perpres 39/2019: metadata standar, variabel, kode referensi) and what
 * CKAN/DCAT harvesters need. Keys are snake_case, as in the YAML.
 */

export const DATASET_ID = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a column name in lowercase snake_case, e.g. jumlah_penduduk');

export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'geometry'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const constraintsSchema = z
  .object({
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
    minimum: z.union([z.number(), z.string()]).optional(),
    maximum: z.union([z.number(), z.string()]).optional(),
    enum: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).optional(),
    pattern: z.string().optional(),
  })
  .strict();

export const fieldSchema = z
  .object({
    name: identifier,
    /** Column name in the source when it differs (e.g. "Jumlah Penduduk"). */
    source: z.string().optional(),
    type: z.enum(FIELD_TYPES),
    title: z.string().min(1),
    title_en: z.string().optional(),
    /** Concept/definition (konsep/definisi) of the variable. */
    description: z.string().optional(),
    description_en: z.string().optional(),
    unit: z.string().optional(),
    /** Date/datetime format in the source, strptime style (e.g. %d/%m/%Y). */
    format: z.string().optional(),
    constraints: constraintsSchema.optional(),
  })
  .strict();

const sourceSchema = z
  .object({
    /** A path relative to the project root (under datasets/) or an http(s) URL. */
    path: z.string().optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    format: z.enum(['csv', 'tsv', 'xlsx', 'json', 'ndjson', 'geojson']),
    /** utf-8, windows-1252, iso-8859-1…; detected when absent (UTF-8 if valid, else Windows-1252). */
    encoding: z.string().optional(),
    /** Detected by DuckDB's sniffer when absent. */
    delimiter: z.string().length(1).optional(),
    /** "," for Indonesian-style decimals; defaults to "," when the delimiter is ";". */
    decimal: z.enum(['.', ',']).optional(),
    quote: z.string().length(1).optional(),
    header: z.boolean().default(true),
    /** Lines (CSV) or rows (XLSX) above the header, such as a title row. */
    skip_rows: z.number().int().min(0).default(0),
    null_values: z.array(z.string()).default(['', '-', 'NA', 'N/A']),
    /** XLSX: sheet name or 1-based index. */
    sheet: z.union([z.string(), z.number().int().min(1)]).optional(),
    /** JSON: dotted path to the array of records inside the document, e.g. "data.items". */
    records_path: z.string().optional(),
    timeout_ms: z.number().int().positive().default(30_000),
    retries: z.number().int().min(0).max(10).default(3),
    max_bytes: z.number().int().positive().default(512 * 1024 * 1024),
  })
  .strict()
  .refine((s) => Boolean(s.path) !== Boolean(s.url), { message: 'give exactly one of source.path or source.url' });

const base = { name: z.string().optional(), severity: z.enum(['error', 'warn']).default('error') };
export const checkSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('not_null'), columns: z.array(identifier).min(1) }).strict(),
  z.object({ ...base, type: z.literal('unique'), columns: z.array(identifier).min(1) }).strict(),
  z
    .object({ ...base, type: z.literal('accepted_values'), column: identifier, values: z.array(z.union([z.string(), z.number()])).min(1) })
    .strict(),
  z
    .object({ ...base, type: z.literal('range'), column: identifier, min: z.number().optional(), max: z.number().optional() })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'a range check needs min, max or both' }),
  z
    .object({ ...base, type: z.literal('row_count'), min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'a row_count check needs min, max or both' }),
  z.object({ ...base, type: z.literal('freshness'), column: identifier, max_age_days: z.number().positive() }).strict(),
  z
    .object({
      ...base,
      type: z.literal('relationships'),
      column: identifier,
      /** Id of another published dataset and the column its values must exist in. */
      to: z.string().regex(DATASET_ID, 'a dataset id'),
      field: identifier,
    })
    .strict(),
]);

export const chartSchema = z
  .object({
    title: z.string(),
    title_en: z.string().optional(),
    mark: z.enum(['bar', 'line', 'dot', 'area', 'cell']),
    x: identifier,
    y: identifier.optional(),
    color: identifier.optional(),
    facet: identifier.optional(),
  })
  .strict();

const metadataSchema = {
  title: z.string().min(3),
  title_en: z.string().optional(),
  description: z.string().min(10),
  description_en: z.string().optional(),
  /** Producing OPD: a code from kota.config.yaml. */
  organization: z.string(),
  topics: z.array(z.string().min(2)).min(1),
  tags: z.array(z.string().min(1)).default([]),
  /** SPDX identifier, e.g. CC-BY-4.0, CC0-1.0, ODbL-1.0. */
  license: z.string().regex(/^[A-Za-z0-9.+-]+$/, 'an SPDX licence id such as CC-BY-4.0'),
  /** Jadwal pemutakhiran. */
  update_frequency: z.enum(['harian', 'mingguan', 'bulanan', 'triwulanan', 'semesteran', 'tahunan', 'tidak_tentu']),
  contact_point: z.object({ name: z.string(), email: z.email() }).strict(),
  temporal_coverage: z
    .object({ start: z.iso.date(), end: z.iso.date().optional() })
    .strict()
    .refine((t) => !t.end || t.start <= t.end, { message: 'temporal_coverage.start must not be after end' }),
  spatial_coverage: z.object({ name: z.string(), region_code: z.string().regex(/^\d{2}(\.?\d{2}){0,3}$/, 'a BPS/Kemendagri code') }).strict(),
  data_type: z.enum(['statistik', 'geospasial', 'keuangan']),
  classification: z.enum(['terbuka', 'terbatas', 'tertutup']),
  /** Tingkat penyajian, e.g. kota, kecamatan, kelurahan, titik. */
  presentation_level: z.string(),
  /** Kode standar data, where one exists. */
  standard_code: z.string().optional(),
  /** Attribution of the original source, shown with the data. */
  source_attribution: z.string().min(3),
  language: z.enum(['id', 'en']).default('id'),
  /** True for generated sample data: shown as such everywhere. */
  synthetic: z.boolean().default(false),
};

export const pipelineSpecSchema = z
  .object({
    ...metadataSchema,
    source: sourceSchema,
    schema: z
      .object({ fields: z.array(fieldSchema).min(1), primary_key: z.array(identifier).default([]) })
      .strict(),
    checks: z.array(checkSchema).default([]),
    charts: z.array(chartSchema).default([]),
    /** Cron expression (5 or 6 fields) for the server's scheduler; omit for manual runs only. */
    schedule: z.string().optional(),
  })
  .strict();

export type PipelineSpec = z.infer<typeof pipelineSpecSchema>;
export type FieldSpec = z.infer<typeof fieldSchema>;
export type CheckSpec = z.infer<typeof checkSchema>;
export type ChartSpec = z.infer<typeof chartSchema>;
export type SourceSpec = PipelineSpec['source'];

/** The descriptive part of a spec, copied into every manifest. */
export const METADATA_KEYS = Object.keys(metadataSchema) as (keyof typeof metadataSchema)[];
