import type { Locale } from '../../i18n/index.ts';
import { t } from '../../i18n/index.ts';
import { publicDataset } from '../catalog/access.ts';
import { localized } from '../catalog/present.ts';
import { catalogGeneration } from '../catalog/generation.ts';
import { listPublicDatasets } from '../catalog/queries.ts';
import { deployment } from '../config/deployment.ts';
import { valueProblem } from './filters.ts';
import type { BoundParam } from './sandbox-engine.ts';
import type { SavedQuerySpec } from './saved-query-schema.ts';
import { SqlError } from './sql-error.ts';

/**
 * The saved queries a reader can run: the deployment's own (`/sql/<name>`, `/api/v1/queries/<name>`) and those of
 * each public dataset (`/datasets/<id>/queries/<name>`, `/api/v1/datasets/<id>/queries/<name>`). Read once per
 * catalog generation. Parameters come from the URL (or a POST body), are checked against their type and bound.
 */
export interface SavedQuery extends SavedQuerySpec {
  /** The dataset that defines it, or null for the deployment's own. */
  dataset: string | null;
  /** Path of its page; the API URL is `/api/v1` + the same path with /sql/ as /queries/. */
  page: string;
  api: string;
}

let cache: { generation: number; value: Promise<SavedQuery[]> } | undefined;

export function savedQueries(): Promise<SavedQuery[]> {
  const generation = catalogGeneration();
  if (cache?.generation !== generation) {
    const value = loadSavedQueries();
    value.catch(() => (cache = undefined));
    cache = { generation, value };
  }
  return cache.value;
}

async function loadSavedQueries(): Promise<SavedQuery[]> {
  const own = deployment().queries.map((q) => ({ ...q, dataset: null, page: `/sql/${q.name}`, api: `/api/v1/queries/${q.name}` }));
  const perDataset = await Promise.all(
    (await listPublicDatasets()).map(async ({ id }) => {
      const queries = (await publicDataset(id))?.manifest.metadata.queries ?? [];
      const base = `/datasets/${encodeURIComponent(id)}/queries`;
      return queries.map((q) => ({ ...q, dataset: id, page: `${base}/${q.name}`, api: `/api/v1${base}/${q.name}` }));
    }),
  );
  return [...own, ...perDataset.flat()];
}

export async function findSavedQuery(dataset: string | null, name: string): Promise<SavedQuery> {
  const found = (await savedQueries()).find((q) => q.dataset === dataset && q.name === name);
  if (!found) throw new SqlError(404, 'unknown_query', { name: dataset ? `${dataset}/${name}` : name });
  return found;
}

/** The request's values for the query's parameters (or their defaults), type-checked; the first problem is thrown. */
export function bindSavedQueryParams(query: SavedQuery, values: URLSearchParams): BoundParam[] {
  return query.params.map((param) => {
    const raw = values.get(param.name);
    const value = raw === null || raw === '' ? param.default : raw;
    if (value === undefined) throw new SqlError(400, 'param_missing', { name: param.name });
    if (param.type !== 'string' && valueProblem({ name: param.name, type: param.type, title: param.title }, value)) {
      throw new SqlError(400, 'param_type', { name: param.name, expected: param.type, value });
    }
    return { name: param.name, type: param.type, value };
  });
}

/** The parameter's label in the reader's language, for forms. */
export function paramLabel(locale: Locale, param: SavedQuery['params'][number]): string {
  return `${localized(locale, param.title, param.title_en)} (${t(locale, `sqlpage.param_type.${param.type}`)})`;
}
