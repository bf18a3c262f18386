import { listPublicDatasets, type DatasetSummary } from '../catalog/queries.ts';
import { publicDataset } from '../catalog/access.ts';
import { knownLicenses } from '../opendata/licenses.ts';
import type { Site } from '../opendata/site.ts';
import { invalid, notFound } from './envelope.ts';
import { groupDict, organizationDict, tagDict, topicSlug } from './package.ts';
import { measuredPackage } from './resource-files.ts';
import { bool, integer, list, required, text, type Params } from './params.ts';

/**
 * The listing actions: package_list, organization_list/show, group_list (our topics), tag_list. Counts are
 * over public datasets only. Organisations are every OPD in the deployment config, as CKAN lists every
 * organisation whether or not it has published yet.
 */
export async function packageList(p: Params): Promise<string[]> {
  const ids = (await listPublicDatasets()).map((d) => d.id).sort();
  return page(ids, p);
}

function page<T>(items: T[], p: Params): T[] {
  const offset = integer(p, 'offset', 0, { min: 0 });
  const limit = integer(p, 'limit', items.length, { min: 0 });
  return items.slice(offset, offset + limit);
}

type Sortable = { name: string; title: string; package_count: number };

/** CKAN's `sort` for organisation and group lists: "title asc" by default; name, title or package_count. */
function sortList<T extends Sortable>(items: T[], p: Params): T[] {
  const raw = text(p, 'sort')?.trim() || 'title asc';
  const [field = '', dir = 'asc'] = raw.split(/\s+/);
  if (!['name', 'title', 'package_count'].includes(field) || !['asc', 'desc'].includes(dir.toLowerCase())) {
    throw invalid('sort', `cannot sort by "${raw}"; use name, title or package_count with asc or desc`);
  }
  const collator = new Intl.Collator('id-ID', { sensitivity: 'base' });
  const key = field as keyof Sortable;
  const sorted = [...items].sort((a, b) => (key === 'package_count' ? a.package_count - b.package_count : collator.compare(a[key], b[key])) || a.name.localeCompare(b.name));
  return dir.toLowerCase() === 'desc' ? sorted.reverse() : sorted;
}

function orgCounts(datasets: DatasetSummary[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of datasets) counts.set(d.organization, (counts.get(d.organization) ?? 0) + 1);
  return counts;
}

export async function organizationList(site: Site, p: Params): Promise<unknown[]> {
  const counts = orgCounts(await listPublicDatasets());
  const wanted = list(p, 'organizations');
  const codes = new Set([...site.opds.map((o) => o.code), ...counts.keys()]);
  const items = [...codes]
    .filter((code) => !wanted || wanted.includes(code))
    .map((code) => ({ name: code, title: site.opd(code).name, package_count: counts.get(code) ?? 0 }));
  const sorted = page(sortList(items, p), p);
  if (!bool(p, 'all_fields', false)) return sorted.map((o) => o.name);
  return sorted.map((o) => organizationDict(site, o.name, bool(p, 'include_dataset_count', true) ? o.package_count : undefined));
}

export async function organizationShow(site: Site, p: Params): Promise<unknown> {
  const id = required(p, 'id');
  const datasets = await listPublicDatasets();
  const known = site.opds.some((o) => o.code === id) || datasets.some((d) => d.organization === id);
  if (!known) throw notFound(`organization "${id}"`);
  const own = datasets.filter((d) => d.organization === id);
  const dict = organizationDict(site, id, own.length);
  if (bool(p, 'include_datasets', false)) {
    const details = await Promise.all(own.slice(0, 1000).map((d) => publicDataset(d.id)));
    dict.packages = await Promise.all(details.filter((d) => d !== null).map((d) => measuredPackage(site, d)));
  }
  return dict;
}

function topicCounts(datasets: DatasetSummary[]): Map<string, { title: string; count: number }> {
  const topics = new Map<string, { title: string; count: number }>();
  for (const d of datasets) {
    for (const topic of new Set(d.topics)) {
      const slug = topicSlug(topic);
      const entry = topics.get(slug) ?? { title: topic, count: 0 };
      entry.count++;
      topics.set(slug, entry);
    }
  }
  return topics;
}

export async function groupList(p: Params): Promise<unknown[]> {
  const topics = topicCounts(await listPublicDatasets());
  const items = [...topics].map(([name, t]) => ({ name, title: t.title, package_count: t.count }));
  const sorted = page(sortList(items, p), p);
  if (!bool(p, 'all_fields', false)) return sorted.map((g) => g.name);
  return sorted.map((g) => groupDict(g.title, g.package_count));
}

export async function groupShow(site: Site, p: Params): Promise<unknown> {
  const id = topicSlug(required(p, 'id'));
  const datasets = await listPublicDatasets();
  const topic = topicCounts(datasets).get(id);
  if (!topic) throw notFound(`group "${id}"`);
  const dict = groupDict(topic.title, topic.count);
  if (bool(p, 'include_datasets', false)) {
    const own = datasets.filter((d) => d.topics.some((t) => topicSlug(t) === id));
    const details = await Promise.all(own.map((d) => publicDataset(d.id)));
    dict.packages = await Promise.all(details.filter((d) => d !== null).map((d) => measuredPackage(site, d)));
  }
  return dict;
}

export async function tagList(p: Params): Promise<unknown[]> {
  const tags = new Set<string>();
  for (const d of await listPublicDatasets()) for (const tag of d.tags) tags.add(tag);
  const query = text(p, 'query')?.toLowerCase();
  const names = [...tags].filter((t) => !query || t.toLowerCase().includes(query)).sort((a, b) => a.localeCompare(b));
  return bool(p, 'all_fields', false) ? names.map(tagDict) : names;
}

/** Full package dicts, newest first (CKAN's current_package_list_with_resources; older harvesters use it). */
export async function currentPackagesWithResources(site: Site, p: Params): Promise<unknown[]> {
  const datasets = (await listPublicDatasets()).sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at) || a.id.localeCompare(b.id));
  const offset = integer(p, 'offset', 0, { min: 0 });
  const limit = integer(p, 'limit', datasets.length, { min: 0 });
  const details = await Promise.all(datasets.slice(offset, offset + limit).map((d) => publicDataset(d.id)));
  return Promise.all(details.filter((d) => d !== null).map((d) => measuredPackage(site, d)));
}

/** CKAN's license_list: the licences of the register, in CKAN's dict shape. */
export function licenseList(): unknown[] {
  return knownLicenses().map((l) => ({ id: l.ckanId, title: l.title, url: l.url ?? '', od_conformance: l.open ? 'approved' : 'not reviewed', status: 'active', spdx: l.spdx }));
}
