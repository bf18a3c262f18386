/** The one place that quotes SQL identifiers and literals. Values are bound as parameters wherever DuckDB allows it;
 *  literals are only for the places it does not (file paths in table functions, COPY targets, options). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('NUL byte in SQL literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A DuckDB list literal of strings, e.g. for nullstr=[…]. */
export function quoteList(values: readonly string[]): string {
  return `[${values.map(quoteLiteral).join(', ')}]`;
}
