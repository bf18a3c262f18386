import { z } from 'zod';
import { savedQueriesSchema } from '../query/saved-query-schema.ts';

/**
 * The vocabulary of a published dataset, shared by everything that reads the lake (catalog, query, export, APIs,
 * charts) and by the pipeline spec that produces it. Serving code imports this module, never the ingest code.
 * Metadata follows what Satu Data Indonesia asks of a regional dataset (Perpres 39/2019: metadata standar,
 * variabel, kode referensi) and what CKAN/DCAT harvesters need. Keys are snake_case, as in the YAML.
 */

export const DATASET_ID = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
export const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a column name in lowercase snake_case, e.g. jumlah_penduduk');

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
    /**
     * Values that mean "missing" in this column only, replacing source.null_values for it (so that `0` can mean
     * missing in a price column without blanking real zeros elsewhere). Empty cells are always missing.
     */
    null_values: z.array(z.string()).optional(),
    constraints: constraintsSchema.optional(),
  })
  .strict();

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

/** Administrative levels that have reference boundaries (Kemendagri codes: 32.73.xx, 32.73.xx.xxxx). */
export const REGION_LEVELS = ['kecamatan', 'kelurahan'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/**
 * The default map on the dataset page: `value` summed per area (rows counted when absent) over the rows that
 * match `filter` (equality per column, e.g. the latest year), so a multi-year table maps one period.
 */
export const regionMapSchema = z
  .object({
    title: z.string().min(1),
    title_en: z.string().optional(),
    value: identifier.optional(),
    filter: z.record(identifier, z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .strict();

/** The column holding a Kemendagri region code, so the dataset can be joined to boundaries and mapped. */
export const regionSchema = z.object({ field: identifier, level: z.enum(REGION_LEVELS), map: regionMapSchema.optional() }).strict();

export const metadataSchema = {
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
  /** Which column holds a kecamatan or kelurahan code (joined to the boundaries for a map). */
  region: regionSchema.optional(),
  /** Saved queries over this dataset (query/saved-query-schema.ts); no default, so specs without any keep their version ids. */
  queries: savedQueriesSchema.optional(),
};


export type FieldSpec = z.infer<typeof fieldSchema>;
export type ChartSpec = z.infer<typeof chartSchema>;
export type RegionSpec = z.infer<typeof regionSchema>;
export type RegionMapSpec = z.infer<typeof regionMapSchema>;
export type DatasetMetadata = z.output<z.ZodObject<typeof metadataSchema>>;

/** The descriptive part of a spec, copied into every manifest. */
export const METADATA_KEYS = Object.keys(metadataSchema) as (keyof typeof metadataSchema)[];
