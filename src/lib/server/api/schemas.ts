import { z } from 'zod';
import { QUALITY_CRITERIA } from '../catalog/quality.ts';
import { chartSchema, FIELD_TYPES, fieldSchema, metadataSchema } from '../lake/schema.ts';
import { DOWNLOAD_FORMATS } from '../opendata/formats.ts';
import { PARAM_TYPES } from '../query/saved-query-schema.ts';

/**
 * The API's answers as zod schemas. The functions that build them are typed by these schemas (z.input), so the
 * compiler holds code and schema together; ./openapi.ts turns the same schemas into the document's components
 * (z.toJSONSchema); and tests/integration/api-openapi-responses.test.ts validates real responses against that
 * document. Each schema's `id` is its name under #/components/schemas.
 */
const url = z.url();
const int = z.int();
const timestamp = z.string().describe('ISO 8601 date-time');

export const Organization = z.object({ code: z.string(), name: z.string(), name_en: z.string().nullable() }).meta({ id: 'Organization' });

export const Quality = z
  .object({ score: int, max: int, criteria: z.array(z.object({ key: z.enum(QUALITY_CRITERIA), met: z.boolean() })) })
  .meta({ id: 'Quality', description: 'Metadata quality: one point per criterion met.' });

export const DatasetLinks = z
  .object({ self: url, html: url, rows: url, downloads: z.object(Object.fromEntries(DOWNLOAD_FORMATS.map((f) => [f, url])) as Record<(typeof DOWNLOAD_FORMATS)[number], typeof url>) })
  .meta({ id: 'DatasetLinks' });

export const DatasetSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    title_en: z.string().nullable(),
    description: z.string(),
    description_en: z.string().nullable(),
    organization: Organization,
    topics: z.array(z.string()),
    tags: z.array(z.string()),
    license: z.string().describe('SPDX id'),
    synthetic: z.boolean().describe('Generated sample data, not real figures.'),
    version: z.string(),
    published_at: timestamp,
    rows: int,
    bytes: int,
    links: DatasetLinks,
  })
  .meta({ id: 'DatasetSummary' });

export const DatasetHit = DatasetSummary.extend({ quality: Quality, downloads: int, score: z.number().optional().describe('Relevance, with q only.') }).meta({ id: 'DatasetHit' });

export const DatasetList = z
  .object({
    total: int,
    page: int,
    per_page: int,
    results: z.array(DatasetHit),
    facets: z.record(z.string(), z.array(z.object({ value: z.string(), count: int }))).describe('Per facet: values with counts.'),
    next: url.nullable(),
    prev: url.nullable(),
  })
  .meta({ id: 'DatasetList' });

const ColumnProfile = z.object({
  name: z.string(),
  type: z.enum(FIELD_TYPES),
  storage_type: z.string(),
  nulls: int,
  distinct: int,
  distinct_approximate: z.boolean(),
  min: z.union([z.string(), z.number()]).nullable(),
  max: z.union([z.string(), z.number()]).nullable(),
  mean: z.number().nullable(),
  top: z.array(z.object({ value: z.string(), count: int })).nullable(),
});

const CheckResult = z.object({ name: z.string(), type: z.string(), severity: z.enum(['error', 'warn']), status: z.enum(['pass', 'fail']), failures: int });

const VersionEntry = z.object({ version: z.string(), published_at: timestamp, rows: int, bytes: int, sha256: z.string(), run_id: z.string().nullable(), current: z.boolean(), links: DatasetLinks });

const { organization: _organization, ...describedMetadata } = metadataSchema;

export const DatasetDetail = z
  .object({
    id: z.string(),
    version: z.string(),
    published_at: timestamp,
    ...describedMetadata,
    organization: Organization,
    rows: int,
    bytes: int,
    sha256: z.string(),
    schema: z.object({ fields: z.array(fieldSchema), primary_key: z.array(z.string()) }),
    profile: z.array(ColumnProfile),
    checks: z.array(CheckResult),
    charts: z.array(chartSchema),
    lineage: z.object({
      source: z.object({ location: z.string(), format: z.string(), sha256: z.string(), bytes: int, fetched_at: timestamp }),
      run_id: z.string(),
      started_at: timestamp,
      references: z.record(z.string(), z.string()),
    }),
    quality: Quality,
    versions: z.array(VersionEntry),
    links: DatasetLinks,
  })
  .meta({ id: 'DatasetDetail' });

export const RowsPage = z
  .object({
    dataset: z.string(),
    version: z.string(),
    columns: z.array(z.object({ name: z.string(), type: z.enum(FIELD_TYPES) })),
    total: int.describe('Rows matching the filters (exact).'),
    rows: z.array(z.record(z.string(), z.unknown()).describe('One row: column name → value.')),
    next: url.nullable().describe('URL of the next page; null on the last page.'),
  })
  .meta({ id: 'RowsPage' });

export const SqlResult = z
  .object({
    columns: z.array(z.object({ name: z.string(), type: z.string().describe('DuckDB type') })),
    rows: z.array(z.record(z.string(), z.unknown())),
    truncated: z.boolean().describe('True when rows were cut: by max_rows, or by the size cap of one answer.'),
    truncated_by: z.enum(['rows', 'bytes']).nullable(),
    elapsed_ms: int,
  })
  .meta({ id: 'SqlResult' });

export const OrganizationList = z
  .object({ organizations: z.array(Organization.extend({ datasets: int, links: z.object({ datasets: url }) })) })
  .meta({ id: 'OrganizationList' });

export const TopicList = z.object({ topics: z.array(z.object({ topic: z.string(), datasets: int, links: z.object({ datasets: url }) })) }).meta({ id: 'TopicList' });

export const SavedQuery = z
  .object({
    name: z.string(),
    dataset: z.string().nullable().describe('The dataset that defines it; null for the portal\'s own.'),
    title: z.string(),
    title_en: z.string().nullable(),
    description: z.string(),
    description_en: z.string().nullable(),
    sql: z.string(),
    params: z.array(z.object({ name: z.string(), type: z.enum(PARAM_TYPES), title: z.string(), title_en: z.string().nullable(), default: z.string().nullable() })),
    links: z.object({ self: url, html: url, downloads: z.record(z.string(), url) }),
  })
  .meta({ id: 'SavedQuery' });

export const SavedQueryList = z.object({ queries: z.array(SavedQuery) }).meta({ id: 'SavedQueryList' });

export const AccountMe = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    roles: z.array(z.object({ role: z.string(), scope: z.string() })),
    tokenScopes: z.array(z.string()).nullable().describe('The token\'s scopes; null with a session cookie.'),
  })
  .meta({ id: 'AccountMe' });

export const Health = z.object({ status: z.literal('ok'), datasets: int, last_sync: timestamp.nullable() }).meta({ id: 'Health' });

export const ApiError = z
  .object({
    error: z.object({
      status: int,
      code: z.string().describe('Stable, language-independent: invalid_parameters, not_found_dataset, sql.timeout, …'),
      message: z.string().describe('What went wrong and what to do about it, in the reader\'s language (?lang=en).'),
      problems: z.array(z.object({ parameter: z.string(), code: z.string(), message: z.string() })).optional().describe('The details: each parameter at fault, and why.'),
    }),
  })
  .meta({ id: 'Error' });

/** CKAN's envelope (ckan/views/api.py) and the parts of its dicts clients rely on; CKAN dicts carry more keys. */
export const CkanResource = z
  .looseObject({
    id: z.uuid(),
    package_id: z.uuid(),
    name: z.string(),
    format: z.string(),
    mimetype: z.string(),
    url,
    size: int.nullable(),
    hash: z.string().describe('sha256:<hex> of the file, or empty until measured'),
    last_modified: timestamp,
    position: int,
    datastore_active: z.boolean(),
  })
  .meta({ id: 'CkanResource' });

export const CkanPackage = z
  .looseObject({
    id: z.uuid().describe('Stable UUID derived from the dataset id'),
    name: z.string().describe('The dataset id'),
    title: z.string(),
    notes: z.string(),
    license_id: z.string(),
    metadata_created: timestamp,
    metadata_modified: timestamp,
    owner_org: z.string(),
    tags: z.array(z.looseObject({ name: z.string() })),
    groups: z.array(z.looseObject({ name: z.string() })),
    resources: z.array(CkanResource),
    extras: z.array(z.object({ key: z.string(), value: z.string() })),
  })
  .meta({ id: 'CkanPackage' });

export const CkanSuccess = z.object({ help: url, success: z.literal(true), result: z.unknown() }).meta({ id: 'CkanSuccess' });
export const CkanFailure = z
  .object({ help: url, success: z.literal(false), error: z.looseObject({ __type: z.string(), message: z.string() }) })
  .meta({ id: 'CkanFailure', description: 'Validation errors also name each field: {"limit": ["Invalid integer"]}.' });

export const JsonLd = z.looseObject({ '@context': z.unknown() }).meta({ id: 'JsonLd', description: 'DCAT-AP JSON-LD.' });
export const DataPackage = z
  .looseObject({ name: z.string(), resources: z.array(z.looseObject({ name: z.string(), path: url, schema: z.looseObject({ fields: z.array(z.looseObject({ name: z.string(), type: z.string() })) }) })) })
  .meta({ id: 'DataPackage', description: 'Frictionless Data Package v2 with a Table Schema.' });

/** Everything the OpenAPI document names under components/schemas. */
export const COMPONENT_SCHEMAS = [
  ApiError, Organization, Quality, DatasetLinks, DatasetSummary, DatasetHit, DatasetList, DatasetDetail, RowsPage, SqlResult,
  OrganizationList, TopicList, SavedQuery, SavedQueryList, AccountMe, Health, CkanSuccess, CkanFailure, CkanPackage, CkanResource,
  JsonLd, DataPackage,
];
