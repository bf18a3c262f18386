/**
 * Which number columns are quantities (digits grouped as the page's language writes them: 1.600 in Indonesian,
 * 1,600 in English) and which are identifiers or years, written as they are ("2025", not "2.025"; a kode wilayah
 * stays as published). Shared by the data table, the facets and the chart axes.
 */
const IDENTIFIER = /(^|_)(id|kode|code|tahun|year|no|nomor|number|nik|nip|npsn|nib|kodepos|rt|rw)($|_)/;

export function isMeasure(column: { name: string; type: string } | undefined | null, primaryKey: readonly string[] = []): boolean {
  if (!column || (column.type !== 'integer' && column.type !== 'number')) return false;
  return !primaryKey.includes(column.name) && !IDENTIFIER.test(column.name);
}
