import { DuckDBTypeId, JsonDuckDBValueConverter, type DuckDBMaterializedResult, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

/**
 * A page of rows as JSON text, one object per row, written straight from DuckDB's result vectors.
 *
 * Why not DuckDB's own `to_json(struct_pack(…))`: on a page of 51 rows × 9 columns it cost ~0.8 ms of DuckDB CPU,
 * as much as finding and reading the rows, plus ~0.2 ms to read the text back (measured in process on the 1 M-row
 * bench table, medians of interleaved rounds: page 1.82 → 1.27 ms CPU in all). Why not the binding's own
 * conversion (`getRowsJson`): it builds a value object per cell and costs more than this again.
 *
 * The text holds the values the API has always given (tests/unit/row-json.test.ts against DuckDB's to_json, and
 * tests/integration/query-rows.test.ts):
 * whole numbers beyond JavaScript's safe range as strings, NaN and ±Infinity as the strings "NaN", "Infinity",
 * "-Infinity", dates and timestamps as DuckDB's text. A number may be spelled as JavaScript spells it (`100000`
 * for DuckDB's `100000.0`): the same value to any JSON reader.
 */
type CellWriter = (value: unknown) => string;

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** 1000-01-01 and 10000-01-01 in ms since the epoch: within these, JS's ISO text is DuckDB's text. */
const ISO_FROM_MS = -30_610_224_000_000;
const ISO_TO_MS = 253_402_300_800_000;
const DAY_MS = 86_400_000;

const bigintCell: CellWriter = (v) => {
  const n = v as bigint;
  return n >= -SAFE && n <= SAFE ? String(n) : `"${n}"`;
};
const numberCell: CellWriter = (v) => {
  const n = v as number;
  if (Number.isFinite(n)) return JSON.stringify(n);
  return Number.isNaN(n) ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"';
};
/** DuckDB's DATE 'infinity' and '-infinity' (the binding's own text gives a date in the year 5881580 for them). */
const DATE_INFINITY = 2_147_483_647;
/** Day number → its quoted text: a page's dates repeat, and formatting one costs more than a lookup. */
const dayTexts = new Map<number, string>();
function dayText(days: number): string | null {
  let text = dayTexts.get(days);
  if (text !== undefined) return text;
  const ms = days * DAY_MS;
  if (ms < ISO_FROM_MS || ms >= ISO_TO_MS) return null;
  if (dayTexts.size >= 20_000) dayTexts.clear();
  text = new Date(ms).toISOString().slice(0, 10);
  dayTexts.set(days, text);
  return text;
}
const dateCell: CellWriter = (v) => {
  const days = (v as { days: number }).days;
  const text = dayText(days);
  if (text !== null) return `"${text}"`;
  if (days === DATE_INFINITY) return '"infinity"';
  if (days === -DATE_INFINITY) return '"-infinity"';
  return JSON.stringify(String(v));
};
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
const timestampCell: CellWriter = (v) => {
  const micros = Number((v as { micros: bigint }).micros);
  // Whole seconds only: DuckDB writes fractions without trailing zeros (".5"), which the library's text does too.
  if (micros % 1_000_000 === 0) {
    const seconds = micros / 1_000_000;
    const days = Math.floor(seconds / 86_400);
    const day = dayText(days);
    if (day !== null) {
      const inDay = seconds - days * 86_400;
      return `"${day} ${two(Math.floor(inDay / 3600))}:${two(Math.floor(inDay / 60) % 60)}:${two(inDay % 60)}"`;
    }
  }
  return JSON.stringify(String(v));
};

function writerFor(type: DuckDBType): CellWriter {
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
      return bigintCell;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return numberCell;
    case DuckDBTypeId.BOOLEAN:
      return (v) => (v ? 'true' : 'false');
    case DuckDBTypeId.VARCHAR:
      return (v) => JSON.stringify(v);
    case DuckDBTypeId.DATE:
      return dateCell;
    case DuckDBTypeId.TIMESTAMP:
      return timestampCell;
    default:
      // Anything else (no published column has such a type today): the binding's JSON conversion.
      return (v) => JSON.stringify(JsonDuckDBValueConverter(v as DuckDBValue, type, JsonDuckDBValueConverter));
  }
}

/**
 * The first `names.length` columns of `result` as one JSON object per row (keys from `names`), and the columns
 * after them (row number, sort value) as the binding's JSON values, row by row.
 */
export function rowsAsJson(result: DuckDBMaterializedResult, names: readonly string[]): { rows: string[]; extra: unknown[][] } {
  const keys = names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  const writers = names.map((_, i) => writerFor(result.columnType(i)));
  const extraTypes = Array.from({ length: result.columnCount - names.length }, (_, i) => result.columnType(names.length + i));
  const rows: string[] = [];
  const extra: unknown[][] = [];
  const chunks = result.chunkCount;
  for (let c = 0; c < chunks; c++) {
    const chunk = result.getChunk(c);
    const vectors = names.map((_, i) => chunk.getColumnVector(i));
    const extraVectors = extraTypes.map((_, i) => chunk.getColumnVector(names.length + i));
    const count = chunk.rowCount;
    for (let r = 0; r < count; r++) {
      let text = names.length === 0 ? '{' : '';
      for (let i = 0; i < vectors.length; i++) {
        const value = vectors[i]!.getItem(r);
        text += keys[i]! + (value === null ? 'null' : writers[i]!(value));
      }
      rows.push(`${text}}`);
      extra.push(extraVectors.map((vector, i) => {
        const value = vector.getItem(r);
        return value === null ? null : JsonDuckDBValueConverter(value, extraTypes[i]!, JsonDuckDBValueConverter);
      }));
    }
  }
  return { rows, extra };
}
