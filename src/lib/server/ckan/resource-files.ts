import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { cachedExportPath } from '../export/materialize.ts';
import type { DatasetDetail } from '../catalog/queries.ts';
import type { Manifest } from '../lake/manifest.ts';
import type { Site } from '../opendata/site.ts';
import { packageDict } from './package.ts';
import { DOWNLOAD_FORMATS, type DownloadFormat } from '../opendata/formats.ts';

/**
 * What CKAN calls a resource's `size` and `hash` (`sha256:…`), for the current version's whole-file downloads. The
 * Parquet download is the lake file itself, so both are in the manifest. The other formats are written on first
 * download (or by the prewarm after a publish) and then kept; once such a file exists its sha256 is computed once,
 * streamed in the background, and remembered for that immutable file. Until then size and hash are null, as CKAN
 * shows for a resource whose file it has not measured.
 */
export interface ResourceFile {
  size: number | null;
  sha256: string | null;
}

const hashes = new Map<string, Promise<string>>();
const MAX_REMEMBERED = 2000;

export async function resourceFiles(manifest: Manifest): Promise<Record<DownloadFormat, ResourceFile>> {
  const source = { dataset: manifest.dataset, version: manifest.version, fields: manifest.schema.fields };
  const entries = await Promise.all(
    DOWNLOAD_FORMATS.map(async (format): Promise<[DownloadFormat, ResourceFile]> => {
      if (format === 'parquet') return [format, { size: manifest.data.bytes, sha256: manifest.data.sha256 }];
      const file = cachedExportPath(source, format);
      const size = await stat(file).then((s) => s.size, () => null);
      const sha256 = size === null ? null : await knownHash(file);
      // Both or neither, so that a resource changes once (when its file is measured), not twice.
      return [format, sha256 === null ? { size: null, sha256: null } : { size, sha256 }];
    }),
  );
  return Object.fromEntries(entries) as Record<DownloadFormat, ResourceFile>;
}

/** The hash when it is ready; otherwise starts it and answers null (an API call never waits for a large file). */
async function knownHash(file: string): Promise<string | null> {
  let pending = hashes.get(file);
  if (!pending) {
    if (hashes.size >= MAX_REMEMBERED) hashes.delete(hashes.keys().next().value!);
    pending = sha256Of(file);
    hashes.set(file, pending);
    pending.catch(() => hashes.delete(file));
  }
  // Both already settled when the hash is done: race() then answers with the hash, which comes first.
  return Promise.race([pending, Promise.resolve(null)]).catch(() => null);
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** A package dict with what is known of its files: what package_show, package_search and the lists answer. */
export async function measuredPackage(site: Site, detail: DatasetDetail): Promise<Record<string, unknown>> {
  return packageDict(site, detail, await resourceFiles(detail.manifest));
}
