import { CkanError, invalid } from './envelope.ts';

/**
 * The part of Solr's query syntax that CKAN clients send to package_search (`fq`, field clauses inside
 * `q`, `sort`), parsed into plain values. Supported: `field:value`, `field:"two words"`, `field:(a OR b)`,
 * `+field:…` / `-field:…`, `AND` between clauses, and ranges `metadata_modified:[2026-01-01T00:00:00Z TO *]`
 * (what ckanext-harvest sends for incremental harvests). Clauses are combined with AND, as in CKAN.
 */
export const FQ_FIELDS = ['organization', 'owner_org', 'tags', 'groups', 'res_format', 'license_id', 'name', 'id', 'dataset_type', 'type', 'capacity', 'state', 'metadata_modified'] as const;
export type FqField = (typeof FQ_FIELDS)[number];

export interface Clause {
  field: FqField;
  negate: boolean;
  /** Any of these values matches (one value unless `(a OR b)`). */
  values: string[];
  /** For `[from TO to]`; `null` for an open end (`*`). */
  range?: { from: string | null; to: string | null };
}

const CLAUSE = /([+-]?)([A-Za-z_.]+):("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\([^)]*\)|[^\s()]+)/y;

/** Splits text into field clauses and the remaining free text. Unknown fields are an error in `fq`, text in `q`. */
export function parseClauses(input: string, parameter: 'fq' | 'q'): { clauses: Clause[]; text: string } {
  const clauses: Clause[] = [];
  const words: string[] = [];
  let i = 0;
  while (i < input.length) {
    if (/\s/.test(input[i]!)) {
      i++;
      continue;
    }
    CLAUSE.lastIndex = i;
    const m = CLAUSE.exec(input);
    const field = m?.[2]?.toLowerCase();
    if (m && field && (FQ_FIELDS as readonly string[]).includes(field)) {
      clauses.push(clause(field as FqField, m[1] === '-', m[3]!, parameter));
      i = CLAUSE.lastIndex;
      continue;
    }
    if (m && parameter === 'fq' && m[0] !== '*:*') {
      throw invalid('fq', `cannot filter on "${m[2]}"; supported fields are ${FQ_FIELDS.join(', ')}`);
    }
    const end = input.slice(i).search(/\s/);
    const word = end < 0 ? input.slice(i) : input.slice(i, i + end);
    i += word.length;
    if (word === 'AND' || word === '&&' || word === '*:*' || word === '*') continue;
    if (parameter === 'fq') throw invalid('fq', `expected field:value clauses, found "${word}"`);
    words.push(word);
  }
  return { clauses, text: words.join(' ') };
}

function clause(field: FqField, negate: boolean, raw: string, parameter: string): Clause {
  if (raw.startsWith('[')) {
    const m = /^\[\s*(\S+)\s+TO\s+(\S+)\s*\]$/i.exec(raw);
    if (!m || field !== 'metadata_modified') throw invalid(parameter, `ranges are supported on metadata_modified only, as [from TO to]; found ${field}:${raw}`);
    const end = (v: string) => (v === '*' ? null : normaliseDate(v, parameter));
    return { field, negate, values: [], range: { from: end(m[1]!), to: end(m[2]!) } };
  }
  if (raw.startsWith('(')) {
    const values = raw.slice(1, -1).split(/\s+OR\s+|\s+/).map(unquote).filter((v) => v && v !== 'OR');
    return { field, negate, values };
  }
  return { field, negate, values: [unquote(raw)] };
}

function unquote(v: string): string {
  const s = v.trim();
  return s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s.replace(/\\(.)/g, '$1');
}

/** Solr dates (`2026-01-01T00:00:00Z`, `NOW`) to ISO text that compares with our ISO timestamps. */
function normaliseDate(value: string, parameter: string): string {
  if (value === 'NOW') return new Date().toISOString();
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalid(parameter, `not a date: ${value}; use e.g. 2026-01-01T00:00:00Z`);
  return new Date(t).toISOString();
}

/** `id asc` is what ckanext-harvest pages with; id and name are the same here. */
export const SORT_FIELDS = ['score', 'metadata_modified', 'title_string', 'name', 'id', 'title'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export interface SortKey {
  field: SortField;
  desc: boolean;
}

export const DEFAULT_SORT = 'score desc, metadata_modified desc';

export function parseSort(text: string): SortKey[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [field = '', direction = 'asc', ...rest] = part.split(/\s+/);
      const dir = direction.toLowerCase();
      if (!(SORT_FIELDS as readonly string[]).includes(field) || (dir !== 'asc' && dir !== 'desc') || rest.length > 0) {
        throw new CkanError('Validation Error', `sort: cannot sort by "${part}"; use "<field> asc|desc" with field one of ${SORT_FIELDS.join(', ')}`, {
          sort: [`Invalid sort "${part}"`],
        });
      }
      return { field: field as SortField, desc: dir === 'desc' };
    });
}
