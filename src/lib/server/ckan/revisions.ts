import type { DatasetDetail } from '../catalog/queries.ts';
import type { Site } from '../opendata/site.ts';

/**
 * package_revision_list as CKAN 2.8 answered it (a list of revision dicts, newest first). A dataset's revisions
 * here are its published versions, which never change: each names its version id, when it was published, the
 * rows it holds, its Parquet's sha256, and where to download that exact version.
 */
export function packageRevisionList(site: Site, detail: DatasetDetail): Record<string, unknown>[] {
  const dataset = detail.manifest.dataset;
  const author = site.opd(detail.manifest.metadata.organization).name;
  return [...detail.versions]
    .sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at) || b.version.localeCompare(a.version))
    .map((v) => ({
      id: v.version,
      timestamp: v.published_at,
      author,
      message: `Versi ${v.version}: ${v.rows} baris`,
      approved_timestamp: v.published_at,
      rows: v.rows,
      hash: `sha256:${v.sha256}`,
      url: `${site.base}/api/v1/datasets/${encodeURIComponent(dataset)}/versions/${encodeURIComponent(v.version)}/download.parquet`,
    }));
}
