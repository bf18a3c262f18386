/** Download formats: what each is called, how it is served and how DuckDB writes it (when it can). */
export const EXPORT_FORMATS = ['csv', 'json', 'ndjson', 'parquet', 'arrow', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface FormatInfo {
  contentType: string;
  /** Worth compressing on the fly when the client accepts gzip/br. */
  text: boolean;
  /** DuckDB COPY options, when DuckDB can write the format itself. */
  copy: string | null;
}

export const FORMATS: Record<ExportFormat, FormatInfo> = {
  csv: { contentType: 'text/csv; charset=utf-8', text: true, copy: 'FORMAT csv, HEADER true' },
  json: { contentType: 'application/json; charset=utf-8', text: true, copy: 'FORMAT json, ARRAY true' },
  ndjson: { contentType: 'application/x-ndjson; charset=utf-8', text: true, copy: 'FORMAT json' },
  parquet: { contentType: 'application/vnd.apache.parquet', text: false, copy: 'FORMAT parquet, COMPRESSION zstd' },
  arrow: { contentType: 'application/vnd.apache.arrow.stream', text: false, copy: null },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', text: false, copy: null },
};

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Excel's sheet limit, less the header row. */
export const XLSX_MAX_ROWS = 1_048_575;
