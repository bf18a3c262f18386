/**
 * A counter that changes whenever the catalog index changes (sync.ts bumps it after a sync that updated
 * or removed a dataset). Readers that keep in-memory copies of the catalog, like the search index,
 * compare it with the generation they were built from instead of re-reading the index on every request.
 */
// On globalThis: `astro dev` may re-import modules, and the sync loop must bump the counter readers see.
const state = ((globalThis as { [key: symbol]: unknown })[Symbol.for('kota-terbuka.catalog-generation')] ??= { n: 0 }) as {
  n: number;
};

export function catalogGeneration(): number {
  return state.n;
}

export function bumpCatalogGeneration(): void {
  state.n++;
}
