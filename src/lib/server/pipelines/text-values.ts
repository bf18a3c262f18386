import { quoteList, quoteLiteral } from '../db/sql.ts';

/**
 * SQL that reads values the way OPD files write them: numbers with `Rp`, `%`, spaces, non-breaking spaces and
 * thousands separators; dates day-first (`13-09-2025`, `13/09/2025 10:00`, `2025-9-3`) or with Indonesian or
 * English month names (`13 September 2025`, `13 Sep 2025`, `Sept`, `Agu`, `Des`); and "missing" spelled out.
 * Each function takes a SQL text expression and returns a SQL expression; NULL where the value does not fit.
 */

/** Whitespace DuckDB's regular expressions do not count as \s: no-break, narrow no-break and thin spaces. */
const SPACES = '[\\s\u00a0\u202f\u2009]';

/**
 * "Rp 1.234.567,50" → 1234567.5 whatever the file's decimal mark (rupiah amounts are written the Indonesian way);
 * otherwise thousands separators are removed only in well-formed groups of the file's convention, so "12,5" with
 * decimal "," is 12.5 and "1,234,567.5" with decimal "." is 1234567.5. A percent sign is dropped ("12,5%" → 12.5),
 * as is the rupiah ",-" for "no cents".
 */
export function numberText(text: string, decimal: '.' | ','): string {
  const squeezed = `regexp_replace(${text}, ${quoteLiteral(SPACES)}, '', 'g')`;
  const bare = `regexp_replace(regexp_replace(${squeezed}, '^([+-]?)(rp\\.?|idr)', '\\1', 'i'), '([.,]-|%)$', '')`;
  const rupiah = `regexp_matches(${squeezed}, '^[+-]?rp', 'i')`;
  return `CASE WHEN ${rupiah} THEN ${plainNumber(bare, ',')} ELSE ${plainNumber(bare, decimal)} END`;
}

function plainNumber(text: string, decimal: '.' | ','): string {
  if (decimal === ',') {
    return `replace(CASE WHEN regexp_full_match(${text}, '[+-]?[0-9]{1,3}([.][0-9]{3})+(,[0-9]+)?') THEN replace(${text}, '.', '') ELSE ${text} END, ',', '.')`;
  }
  return `CASE WHEN regexp_full_match(${text}, '[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?') THEN replace(${text}, ',', '') ELSE ${text} END`;
}

const MONTHS: [number, string[]][] = [
  [1, ['januari', 'january', 'jan']],
  [2, ['februari', 'pebruari', 'february', 'feb', 'peb']],
  [3, ['maret', 'march', 'mar']],
  [4, ['april', 'apr']],
  [5, ['mei', 'may']],
  [6, ['juni', 'june', 'jun']],
  [7, ['juli', 'july', 'jul']],
  [8, ['agustus', 'august', 'agust', 'agu', 'agt', 'ags', 'aug']],
  [9, ['september', 'sept', 'sep']],
  [10, ['oktober', 'october', 'okt', 'oct']],
  [11, ['november', 'nopember', 'nov', 'nop']],
  [12, ['desember', 'december', 'des', 'dec']],
];

/** Day first, as Indonesians write dates; with "-", "/", "." or spaces; optionally followed by a time. */
const DATE_FORMATS = ['%Y-%m-%d', '%d-%m-%Y', '%d/%m/%Y', '%d.%m.%Y', '%d %m %Y', '%Y/%m/%d'];
const TIME_SUFFIXES = ['', ' %H:%M', ' %H:%M:%S', 'T%H:%M:%S'];
const FORMATS = DATE_FORMATS.flatMap((d) => TIME_SUFFIXES.map((t) => d + t));

/** "13 Sept 2025" → "13 9 2025", so one list of numeric formats covers month names in both languages. */
function monthsAsNumbers(text: string): string {
  let expr = `lower(trim(${text}))`;
  for (const [month, words] of MONTHS) expr = `regexp_replace(${expr}, '\\b(${words.join('|')})\\b\\.?', '${month}')`;
  return expr;
}

/** A timestamp from ISO text (also "2025-9-3") or any of the day-first forms above. */
export function timestampText(text: string): string {
  return `COALESCE(TRY_CAST(${text} AS TIMESTAMP), TRY_STRPTIME(${monthsAsNumbers(text)}, ${quoteList(FORMATS)}))`;
}

export function dateText(text: string): string {
  return `COALESCE(TRY_CAST(${text} AS DATE), CAST(TRY_STRPTIME(${monthsAsNumbers(text)}, ${quoteList(FORMATS)}) AS DATE))`;
}

/** True where the raw value is one of the "missing" spellings (whole value, any case, spaces around ignored). */
export function missingText(text: string, nulls: readonly string[]): string {
  const list = [...new Set(['', ...nulls.map((v) => v.trim().toLowerCase())])];
  return `(lower(trim(${text})) IN (${list.map(quoteLiteral).join(', ')}))`;
}
