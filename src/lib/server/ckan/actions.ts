import { countPublicDatasets } from '../catalog/queries.ts';
import type { Site } from '../opendata/site.ts';
import { datastoreSearch } from './datastore.ts';
import { datastoreSearchSql, refuseOversizeSqlBody } from './datastore-sql.ts';
import { CkanError } from './envelope.ts';
import { currentPackagesWithResources, groupList, groupShow, licenseList, organizationList, organizationShow, packageList, tagList } from './lists.ts';
import { publicPackage, publicResource } from './lookup.ts';
import { resourceDict } from './package.ts';
import { measuredPackage, resourceFiles } from './resource-files.ts';
import { packageRevisionList } from './revisions.ts';
import { packageSearch } from './package-search.ts';
import { required, type Params } from './params.ts';
import { DOWNLOAD_FORMATS } from '../opendata/formats.ts';

/**
 * The CKAN Action API v3 actions this portal answers (read-only: nothing here writes). Each entry is the
 * function and the one-line help text help_show returns.
 */
type Action = {
  help: string;
  run: (site: Site, p: Params) => Promise<unknown>;
  /** Judges the request before its body is read: the error that refuses it unread, or null. */
  screen?: (request: Request) => CkanError | null;
};

export const CKAN_VERSION = '2.10.4';

export const ACTIONS: Record<string, Action> = {
  package_list: { help: 'Names of all public datasets. Parameters: limit, offset.', run: (_s, p) => packageList(p) },
  current_package_list_with_resources: {
    help: 'Full datasets with their resources, most recently modified first. Parameters: limit, offset.',
    run: currentPackagesWithResources,
  },
  package_show: {
    help: 'One dataset (package) with its resources. Parameters: id (dataset id).',
    run: async (site, p) => measuredPackage(site, await publicPackage(required(p, 'id'), site.regionCode)),
  },
  package_revision_list: {
    help: 'The published versions of one dataset, newest first (CKAN 2.8\'s revision list; here each revision is a version). Parameters: id.',
    run: async (site, p) => packageRevisionList(site, await publicPackage(required(p, 'id'), site.regionCode)),
  },
  package_search: {
    help: 'Search datasets. Parameters: q, fq (organization:, tags:, groups:, res_format:, license_id:, metadata_modified:[a TO b]), rows, start, sort, facet.field (JSON list), facet.limit, fl.',
    run: packageSearch,
  },
  organization_list: { help: 'Organisations (OPD). Parameters: all_fields, sort, limit, offset, organizations.', run: organizationList },
  organization_show: { help: 'One organisation. Parameters: id, include_datasets.', run: organizationShow },
  group_list: { help: 'Groups (the catalog\'s topics). Parameters: all_fields, sort, limit, offset.', run: (_s, p) => groupList(p) },
  group_show: { help: 'One group (topic). Parameters: id, include_datasets.', run: groupShow },
  license_list: { help: 'The licences datasets may carry, with CKAN and SPDX ids.', run: async () => licenseList() },
  site_read: { help: 'Whether the site may be read: always true (the API is public, read-only).', run: async () => true },
  tag_list: { help: 'Tags of public datasets. Parameters: query, all_fields.', run: (_s, p) => tagList(p) },
  resource_show: {
    help: 'One resource (a download format of a dataset). Parameters: id (resource id or <dataset>.<format>).',
    run: async (site, p) => {
      const { detail, format } = await publicResource(required(p, 'id'), site.regionCode);
      const created = detail.versions.at(-1)?.published_at ?? detail.manifest.published_at;
      const files = await resourceFiles(detail.manifest);
      return resourceDict(site, detail.manifest, format, DOWNLOAD_FORMATS.indexOf(format), created, files[format]);
    },
  },
  datastore_search: {
    help: 'Rows of a resource. Parameters: resource_id, q, filters (JSON object), limit, offset, fields, sort, include_total, records_format (objects, lists, csv, tsv).',
    run: datastoreSearch,
  },
  datastore_search_sql: {
    help: 'Read-only SQL over public datasets; tables are named by dataset id or by resource id. Parameters: sql.',
    run: datastoreSearchSql,
    screen: refuseOversizeSqlBody,
  },
  status_show: {
    help: 'Site information and the CKAN version this API is compatible with.',
    run: async (site) => ({
      site_title: site.portalName,
      site_url: site.base,
      site_description: `Portal data terbuka ${site.cityName}`,
      ckan_version: CKAN_VERSION,
      error_emails_to: null,
      locale_default: 'id',
      extensions: ['datastore', 'dcat'],
      package_count: await countPublicDatasets(),
    }),
  },
  help_show: {
    help: 'Help text of an action. Parameters: name.',
    run: async (_s, p) => {
      const name = required(p, 'name');
      const action = ACTIONS[name];
      if (!action) throw new CkanError('Not Found Error', `Not found: action "${name}"`);
      return action.help;
    },
  },
};

export function findAction(name: string): Action | null {
  return Object.hasOwn(ACTIONS, name) ? ACTIONS[name]! : null;
}

export function unknownAction(name: string): CkanError {
  return new CkanError('Bad request', `Bad request - Action name not known: ${name}. Known actions: ${Object.keys(ACTIONS).join(', ')}`);
}

