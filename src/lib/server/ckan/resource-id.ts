import { createHash } from 'node:crypto';
import { DATASET_ID } from '../lake/schema.ts';
import { DOWNLOAD_FORMATS, isDownloadFormat, type DownloadFormat } from '../opendata/formats.ts';

/**
 * CKAN resource ids. Each dataset has one resource per download format, always pointing at the current
 * version, so the id must not change when a new version is published. It is a UUIDv5 (RFC 9562, SHA-1)
 * in the URL namespace of the name `kota-terbuka:<region code>:<dataset>/<format>`: a real UUID, as CKAN
 * clients expect, the same on every run and every server, and distinct between cities that publish a
 * dataset under the same id. The readable alias `<dataset>.<format>` (e.g. `penduduk-kecamatan.csv`) is
 * accepted wherever a resource id is.
 */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A package's CKAN id: the UUIDv5 of `kota-terbuka:<region code>:<dataset>` (its `name` is the dataset id). */
export function packageId(regionCode: string, dataset: string): string {
  return uuidV5(`kota-terbuka:${regionCode}:${dataset}`);
}

export function resourceId(regionCode: string, dataset: string, format: DownloadFormat): string {
  return uuidV5(`kota-terbuka:${regionCode}:${dataset}/${format}`);
}

export interface ResourceRef {
  dataset: string;
  format: DownloadFormat;
}

/** Reads an alias (`<dataset>.<format>`) without any lookup; null when the text is not one. */
export function parseAlias(id: string): ResourceRef | null {
  const dot = id.lastIndexOf('.');
  if (dot < 0) return null;
  const dataset = id.slice(0, dot);
  const format = id.slice(dot + 1);
  return DATASET_ID.test(dataset) && isDownloadFormat(format) ? { dataset, format } : null;
}

/** Finds which dataset and format a resource id names, among the given dataset ids. */
export function resolveResourceId(id: string, regionCode: string, datasets: readonly string[]): ResourceRef | null {
  const alias = parseAlias(id);
  if (alias) return alias;
  const wanted = id.toLowerCase();
  for (const dataset of datasets) {
    for (const format of DOWNLOAD_FORMATS) if (resourceId(regionCode, dataset, format) === wanted) return { dataset, format };
  }
  return null;
}
