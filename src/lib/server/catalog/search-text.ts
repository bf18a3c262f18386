import type { Manifest } from '../lake/manifest.ts';

/**
 * What the search index reads from a manifest, and how text becomes terms. Indonesian and English text
 * go into the same fields, so a query in either language finds the dataset; column names in snake_case
 * split into words ("jumlah_penduduk" → "jumlah", "penduduk") by the punctuation tokenizer.
 */
export const SEARCH_FIELDS = ['title', 'tags', 'organization', 'description', 'slug', 'columns'] as const;

/** Title > tags and topics > organization and description > id and columns (the order). */
export const FIELD_BOOSTS: Record<(typeof SEARCH_FIELDS)[number], number> = {
  title: 5,
  tags: 3,
  organization: 2,
  description: 1.5,
  slug: 1,
  columns: 1,
};

/** Words that appear in almost every dataset and only dilute ranking, in both languages. */
const STOPWORDS = new Set([
  'dan', 'di', 'ke', 'dari', 'per', 'untuk', 'dengan', 'atau', 'pada', 'dalam', 'ini', 'itu', 'adalah', 'oleh',
  'menurut', 'tiap', 'setiap', 'sebagai', 'juga', 'yang', 'para', 'data', 'dataset',
  'the', 'of', 'and', 'in', 'for', 'by', 'a', 'an', 'to', 'on', 'or', 'with', 'is', 'are', 'from', 'at', 'as', 'each',
]);

/** Lower case, accents folded ("Kécamatan" matches "kecamatan"), stopwords and single letters dropped. */
export function processTerm(term: string): string | null {
  const folded = term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (folded.length < 2 || STOPWORDS.has(folded)) return null;
  return folded;
}

/** Prefix matching for every term ("pendudu" → "penduduk"); typo tolerance once a word is long enough to tell apart. */
export function fuzziness(term: string): number | false {
  return term.length >= 4 ? 0.2 : false;
}

/** Words of a query as MiniSearch splits them (on spaces and punctuation). */
const WORD_SEPARATOR = /[\n\r\p{Z}\p{P}]+/u;

/**
 * The words of a query, each with its swapped-neighbour spellings: MiniSearch's fuzzy match counts edit
 * distance (Levenshtein), where "sampha" is two edits from "sampah"; people type a swapped pair as one slip.
 * Only words long enough for typo tolerance get variants (a short word's swap is usually another word).
 */
export function transpositions(word: string): string[] {
  const term = processTerm(word);
  if (!term || fuzziness(term) === false) return [];
  const variants = new Set<string>();
  for (let i = 0; i + 1 < term.length; i++) {
    if (term[i] === term[i + 1]) continue;
    variants.add(term.slice(0, i) + term[i + 1] + term[i] + term.slice(i + 2));
  }
  return [...variants];
}

export function queryWords(q: string): string[] {
  return q.split(WORD_SEPARATOR).filter((w) => processTerm(w) !== null);
}

export interface SearchDocument {
  id: string;
  title: string;
  tags: string;
  organization: string;
  description: string;
  slug: string;
  columns: string;
}

export function searchDocument(manifest: Manifest, organizationNames: string[]): SearchDocument {
  const m = manifest.metadata;
  const join = (parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' \n ');
  return {
    id: manifest.dataset,
    title: join([m.title, m.title_en]),
    tags: join([...(m.tags ?? []), ...(m.topics ?? [])]),
    organization: join([m.organization, ...organizationNames]),
    description: join([m.description, m.description_en]),
    slug: manifest.dataset,
    columns: join(
      manifest.schema.fields.flatMap((f) => [f.name, f.title, f.title_en, f.description, f.description_en, f.unit]),
    ),
  };
}
