import { catalogGeneration } from '../catalog/generation.ts';
import type { ReaderPageFamily } from '../http/reader-pages.ts';
import { DATASET_ID } from '../lake/schema.ts';

const ROWS_OR_FACETS = /^\/api\/v1\/datasets\/([^/]+)\/(?:rows|facets)$/;

/**
 * The data API's pages of rows and facets as callers without an account get them, kept like the reader pages
 * (http/reader-pages.ts) and answered before Astro runs: the same page asked again (a table paged back, a notebook
 * re-run, many readers of one link) costs a Map lookup instead of the middleware, the route and the JSON.
 *
 * An answer shows one published version's rows, chosen by the catalog index (the current version, or `?version=`),
 * and whether the caller may see it (restricted datasets answer callers without an account 404, never kept): the
 * catalog's generation moves whenever a sync changes either. Filters vary without end, so an answer is kept when
 * it is asked a second time (a filter asked once would only take room from answers asked again; its CPU cost was
 * within noise in paired runs), and the family has a budget of its own and drops its own oldest answers, never the
 * pages of the other families. A request with `If-None-Match` goes to the route, which answers
 * 304 when the ETag matches.
 */
export const apiReaderAnswers: ReaderPageFamily = {
  name: 'api-data',
  matches(pathname) {
    const m = ROWS_OR_FACETS.exec(pathname);
    return m !== null && DATASET_ID.test(m[1]!);
  },
  version: () => Promise.resolve(String(catalogGeneration())),
  contentType: 'application/json',
  budgetBytes: 16 * 1024 * 1024,
  keepOnSecondAsk: true,
};
