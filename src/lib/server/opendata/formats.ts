/**
 * The download formats every public dataset is offered in, as the native API serves them
 * (`/api/v1/datasets/<id>/download.<format>`), with the vocabulary each open standard names them by:
 * IANA media types (DCAT, Data Package, CKAN `mimetype`), CKAN's `format` label, and the EU
 * Publications Office file-type authority that DCAT-AP uses for `dct:format`.
 */
export const DOWNLOAD_FORMATS = ['csv', 'json', 'ndjson', 'parquet', 'arrow', 'xlsx'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

export interface FormatInfo {
  /** CKAN's `format` label (upper case, as CKAN shows it and facets on it). */
  label: string;
  mediaType: string;
  /** http://publications.europa.eu/resource/authority/file-type/<code> */
  euFileType: string;
  title: { id: string; en: string };
}

export const FORMAT_INFO: Record<DownloadFormat, FormatInfo> = {
  csv: { label: 'CSV', mediaType: 'text/csv', euFileType: 'CSV', title: { id: 'CSV (teks berpemisah koma)', en: 'CSV (comma-separated text)' } },
  json: { label: 'JSON', mediaType: 'application/json', euFileType: 'JSON', title: { id: 'JSON (larik objek)', en: 'JSON (array of objects)' } },
  ndjson: { label: 'NDJSON', mediaType: 'application/x-ndjson', euFileType: 'JSON', title: { id: 'NDJSON (satu objek per baris)', en: 'NDJSON (one object per line)' } },
  parquet: { label: 'Parquet', mediaType: 'application/vnd.apache.parquet', euFileType: 'PARQUET', title: { id: 'Apache Parquet', en: 'Apache Parquet' } },
  arrow: { label: 'Arrow', mediaType: 'application/vnd.apache.arrow.stream', euFileType: 'BIN', title: { id: 'Apache Arrow IPC stream', en: 'Apache Arrow IPC stream' } },
  xlsx: {
    label: 'XLSX',
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    euFileType: 'XLSX',
    title: { id: 'Excel (XLSX)', en: 'Excel (XLSX)' },
  },
};

export function isDownloadFormat(value: string): value is DownloadFormat {
  return (DOWNLOAD_FORMATS as readonly string[]).includes(value);
}

/** The current version's download in one format (what "latest" means to a harvester or a notebook). */
export function downloadUrl(base: string, dataset: string, format: DownloadFormat): string {
  return `${base}/api/v1/datasets/${encodeURIComponent(dataset)}/download.${format}`;
}

export function datasetPageUrl(base: string, dataset: string): string {
  return `${base}/datasets/${encodeURIComponent(dataset)}`;
}
