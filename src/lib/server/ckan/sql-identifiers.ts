/**
 * Renames double-quoted identifiers in SQL text, and nothing else: string literals ('…', E'…', $tag$…$tag$) and
 * comments (-- …, nested /* … *\/) are copied as they are, so `SELECT '"taman-kota.csv"'` keeps its text. One
 * linear pass; the caller has already capped the length. What it gets wrong can only make a query fail: the result
 * still goes through the SQL sandbox, which checks DuckDB's own parse of it.
 */
export function renameQuotedIdentifiers(sql: string, rename: (name: string) => string | null): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    let end: number;
    if (c === '"') {
      end = closing(sql, i + 1, '"');
      const name = sql.slice(i + 1, end - 1).replaceAll('""', '"');
      const renamed = end <= n && sql[end - 1] === '"' ? rename(name) : null;
      out += renamed === null ? sql.slice(i, end) : `"${renamed.replaceAll('"', '""')}"`;
      i = end;
      continue;
    }
    if (c === "'") end = closing(sql, i + 1, "'");
    else if ((c === 'E' || c === 'e') && next === "'" && !isWordChar(sql[i - 1])) end = escapedString(sql, i + 2);
    else if (c === '-' && next === '-') end = lineEnd(sql, i + 2);
    else if (c === '/' && next === '*') end = blockCommentEnd(sql, i + 2);
    else if (c === '$' && !isWordChar(sql[i - 1])) end = dollarQuoteEnd(sql, i);
    else end = i + 1;
    out += sql.slice(i, end);
    i = end;
  }
  return out;
}

/** Index just past the closing quote of a '…' or "…" run (a doubled quote is part of it), or the end of the text. */
function closing(sql: string, from: number, quote: string): number {
  let i = from;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function escapedString(sql: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql[i] === "'") {
      if (sql[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end < 0 ? sql.length : end + 1;
}

function blockCommentEnd(sql: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < sql.length && depth > 0) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
    } else i++;
  }
  return i;
}

/** `$$…$$` or `$tag$…$tag$`; a `$1` or `$name` parameter is just copied. */
function dollarQuoteEnd(sql: string, from: number): number {
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(from, from + 64))?.[0];
  if (!tag) return from + 1;
  const end = sql.indexOf(tag, from + tag.length);
  return end < 0 ? sql.length : end + tag.length;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}
