import { z } from 'zod';
import { chartSchema, DATASET_ID, fieldSchema, identifier, metadataSchema } from '../lake/schema.ts';

/**
 * The pipeline spec: `pipelines/<id>/pipeline.yaml`: the dataset's metadata and schema (the shared vocabulary in
 * lake/schema.ts) plus what only ingest needs: the source, the checks and the schedule.
 */

/** What OPD files write for "no data". */
export const DEFAULT_NULL_VALUES = ['', '-', '–', '—', 'NA', 'N/A', '#N/A', 'tidak ada data'];

const sourceSchema = z
  .object({
    /** A path relative to the project root (under datasets/) or an http(s) URL. */
    path: z.string().optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    format: z.enum(['csv', 'tsv', 'xlsx', 'json', 'ndjson', 'geojson']),
    /**
     * utf-8, windows-1252, iso-8859-1, utf-16le…, or `mixed` (each line UTF-8 when it is valid UTF-8, otherwise
     * Windows-1252: files appended to by different tools). Detected when absent.
     */
    encoding: z.string().optional(),
    /** Detected when absent (; , tab |), or taken from Excel's `sep=;` first line. */
    delimiter: z.string().length(1).optional(),
    /** "," for Indonesian-style decimals; defaults to "," when the delimiter is ";". */
    decimal: z.enum(['.', ',']).optional(),
    quote: z.string().length(1).optional(),
    header: z.boolean().default(true),
    /** Lines (CSV) or rows (XLSX) above the header, such as a title row. Detected for CSV when absent. */
    skip_rows: z.number().int().min(0).optional(),
    /** Lines of notes below the data (CSV), e.g. "Sumber: …". Detected when absent; 0 turns detection off. */
    footer_rows: z.number().int().min(0).optional(),
    /** Rows with more values than the header has columns: `error` (default) names them, `ignore` drops the extra values. */
    extra_fields: z.enum(['error', 'ignore']).default('error'),
    /** Values that mean "missing", matched whole and ignoring case; a field's own `null_values` replaces this list for it. */
    null_values: z.array(z.string()).default(DEFAULT_NULL_VALUES),
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

const base = {
  name: z.string().optional(),
  /** What the check promises, as a sentence for the public (e.g. "Setiap fasilitas punya kode unik"); generated when absent. */
  title: z.string().min(3).optional(),
  title_en: z.string().min(3).optional(),
  severity: z.enum(['error', 'warn']).default('error'),
};
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

export const pipelineSpecSchema = z
  .object({
    ...metadataSchema,
    source: sourceSchema,
    schema: z
      .object({ fields: z.array(fieldSchema).min(1), primary_key: z.array(identifier).default([]) })
      .strict(),
    checks: z.array(checkSchema).default([]),
    charts: z.array(chartSchema).default([]),
    /**
     * Other published datasets transform.sql may read, each as a relation named by its id (its current version).
     * Nothing else is readable: no files, no other dataset.
     */
    inputs: z.array(z.string().regex(DATASET_ID, 'a dataset id')).default([]),
    publish: z
      .object({
        /** Publish a result with no rows (refused by default: an empty export usually means a broken source). */
        allow_empty: z.boolean().default(false),
        /** Hold a version with more than this share fewer rows than the current one (default: kota.config.yaml). */
        max_row_drop: z.number().min(0).max(1).optional(),
      })
      .strict()
      .default({ allow_empty: false }),
    /** Cron expression (5 or 6 fields) for the server's scheduler; omit for manual runs only. */
    schedule: z.string().optional(),
    /** A scheduled run still going after this long is stopped and recorded as an error (default: kota.config.yaml). */
    run_timeout_minutes: z.number().positive().optional(),
  })
  .strict();

export type PipelineSpec = z.infer<typeof pipelineSpecSchema>;
export type CheckSpec = z.infer<typeof checkSchema>;
export type SourceSpec = PipelineSpec['source'];

