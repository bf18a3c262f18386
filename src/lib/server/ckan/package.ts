import type { DatasetDetail } from '../catalog/queries.ts';
import type { Manifest } from '../lake/manifest.ts';
import { datasetPageUrl, DOWNLOAD_FORMATS, downloadUrl, FORMAT_INFO, type DownloadFormat } from '../opendata/formats.ts';
import { licenseInfo } from '../opendata/licenses.ts';
import type { Site } from '../opendata/site.ts';
import type { z } from 'zod';
import type { CkanPackage, CkanResource } from '../api/schemas.ts';
import type { ResourceFile } from './resource-files.ts';
import { packageId, resourceId } from './resource-id.ts';

/**
 * Our manifest as a CKAN package dict (the shape package_show returns in CKAN 2.10), so a CKAN client
 * reads titles, organisations, tags, licences and resources where it expects them. The Satu Data
 * Indonesia fields that CKAN has no core field for travel as `extras`, with ckanext-dcat's key names
 * where one exists (temporal_start, frequency, contact_email…) so DCAT harvesters map them too.
 */
type Dict = Record<string, unknown>;

/** CKAN names groups with a slug; our topics are free text ("pelayanan publik"). */
export function topicSlug(topic: string): string {
  return topic.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function organizationDict(site: Site, code: string, packageCount?: number): Dict {
  const opd = site.opd(code);
  const dict: Dict = {
    id: code,
    name: code,
    title: opd.name,
    display_name: opd.name,
    description: opd.name_en ?? '',
    image_url: '',
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
  };
  if (packageCount !== undefined) dict.package_count = packageCount;
  return dict;
}

export function groupDict(topic: string, packageCount?: number): Dict & { name: string } {
  const slug = topicSlug(topic);
  const dict: Dict & { name: string } = {
    id: slug,
    name: slug,
    title: topic,
    display_name: topic,
    description: '',
    image_url: '',
    type: 'group',
    is_organization: false,
    state: 'active',
    approval_status: 'approved',
  };
  if (packageCount !== undefined) dict.package_count = packageCount;
  return dict;
}

export function tagDict(tag: string): Dict & { name: string } {
  return { id: tag, name: tag, display_name: tag, state: 'active', vocabulary_id: null };
}

/** `file`: size and sha256 of the download when known (./resource-files.ts); without it, only the Parquet's. */
export function resourceDict(site: Site, manifest: Manifest, format: DownloadFormat, position: number, created: string, file?: ResourceFile): z.input<typeof CkanResource> {
  const info = FORMAT_INFO[format];
  const meta = manifest.metadata;
  const known = file ?? (format === 'parquet' ? { size: manifest.data.bytes, sha256: manifest.data.sha256 } : { size: null, sha256: null });
  return {
    id: resourceId(site.regionCode, manifest.dataset, format),
    package_id: packageId(site.regionCode, manifest.dataset),
    name: `${meta.title} (${info.label})`,
    description: `${info.title.id}. Versi terbaru; ${manifest.data.rows} baris.`,
    format: info.label,
    mimetype: info.mediaType,
    url: downloadUrl(site.base, manifest.dataset, format),
    url_type: null,
    size: known.size,
    hash: known.sha256 ? `sha256:${known.sha256}` : '',
    created,
    last_modified: manifest.published_at,
    metadata_modified: manifest.published_at,
    position,
    state: 'active',
    datastore_active: true,
    alias: `${manifest.dataset}.${format}`,
  };
}

export function extras(manifest: Manifest): { key: string; value: string }[] {
  const m = manifest.metadata;
  const pairs: [string, string | undefined | null][] = [
    ['title_en', m.title_en],
    ['description_en', m.description_en],
    ['frequency', m.update_frequency],
    ['temporal_start', m.temporal_coverage.start],
    ['temporal_end', m.temporal_coverage.end],
    ['spatial', m.spatial_coverage.name],
    ['spatial_region_code', m.spatial_coverage.region_code],
    ['contact_name', m.contact_point.name],
    ['contact_email', m.contact_point.email],
    ['data_type', m.data_type],
    ['classification', m.classification],
    ['presentation_level', m.presentation_level],
    ['standard_code', m.standard_code],
    ['source_attribution', m.source_attribution],
    ['language', m.language ?? 'id'],
    ['synthetic', m.synthetic ? 'true' : 'false'],
    ['license_spdx', m.license],
    ['version', manifest.version],
    ['rows', String(manifest.data.rows)],
    ['primary_key', manifest.schema.primary_key.join(',')],
  ];
  return pairs.filter((p): p is [string, string] => typeof p[1] === 'string' && p[1] !== '').map(([key, value]) => ({ key, value }));
}

/**
 * `id` is a UUID derived from the dataset id (never changes, distinct between cities) and `name` the dataset id;
 * the actions accept either, as CKAN does. `files`: what is known of each download (./resource-files.ts).
 */
export function packageDict(site: Site, detail: DatasetDetail, files?: Partial<Record<DownloadFormat, ResourceFile>>): z.input<typeof CkanPackage> {
  const m = detail.manifest;
  const meta = m.metadata;
  const license = licenseInfo(meta.license);
  const created = detail.versions.at(-1)?.published_at ?? m.published_at;
  const tags = (meta.tags ?? []).map(tagDict);
  const resources = DOWNLOAD_FORMATS.map((format, i) => resourceDict(site, m, format, i, created, files?.[format]));
  return {
    id: packageId(site.regionCode, m.dataset),
    name: m.dataset,
    title: meta.title,
    notes: meta.description,
    url: datasetPageUrl(site.base, m.dataset),
    type: 'dataset',
    state: 'active',
    private: false,
    version: m.version,
    author: site.opd(meta.organization).name,
    author_email: null,
    maintainer: meta.contact_point.name,
    maintainer_email: meta.contact_point.email,
    license_id: license.ckanId,
    license_title: license.title,
    license_url: license.url,
    isopen: license.open,
    metadata_created: created,
    metadata_modified: m.published_at,
    owner_org: meta.organization,
    organization: organizationDict(site, meta.organization),
    groups: (meta.topics ?? []).map((topic) => groupDict(topic)),
    tags,
    num_tags: tags.length,
    resources,
    num_resources: resources.length,
    extras: extras(m),
    relationships_as_object: [],
    relationships_as_subject: [],
  };
}
