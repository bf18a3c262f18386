import {
  Bool,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';

/**
 * A SQL result as an Arrow IPC stream. Types are mapped explicitly from DuckDB's column types, because
 * inferred vectors turn BIGINT and timestamps into dictionary-encoded strings (FIELD-NOTES). Values arrive
 * in DuckDB's JSON form: 64-bit integers and decimals as strings, dates and timestamps as ISO-like text.
 */
export const ARROW_STREAM_TYPE = 'application/vnd.apache.arrow.stream';

type Column = { name: string; type: string };
type Converter = { type: DataType; convert: (value: unknown) => unknown };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function converter(duckType: string, values: unknown[]): Converter {
  const t = duckType.toUpperCase();
  if (t === 'BOOLEAN') return { type: new Bool(), convert: (v) => v };
  if (['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT'].includes(t)) return { type: new Int32(), convert: Number };
  if (['BIGINT', 'UINTEGER', 'UBIGINT', 'HUGEINT', 'UHUGEINT'].includes(t)) {
    // sum() of a BIGINT is a HUGEINT; it is Int64 unless a value really needs more than 64 bits.
    const fits = values.every((v) => v === null || (BigInt(v as string) >= INT64_MIN && BigInt(v as string) <= INT64_MAX));
    return fits ? { type: new Int64(), convert: (v) => BigInt(v as string | number) } : { type: new Utf8(), convert: String };
  }
  if (t === 'FLOAT' || t === 'DOUBLE' || t.startsWith('DECIMAL')) return { type: new Float64(), convert: Number };
  if (t === 'DATE') return { type: new DateDay(), convert: (v) => Date.parse(`${v}T00:00:00Z`) };
  if (t.startsWith('TIMESTAMP')) {
    // Microseconds as DuckDB stores them; timestamps without a zone are read as UTC. Built by hand below:
    // apache-arrow's builder takes epoch milliseconds and would drop the microseconds.
    return { type: new TimestampMicrosecond(), convert: (v) => timestampMicros(String(v)) };
  }
  return { type: new Utf8(), convert: (v) => (typeof v === 'string' ? v : JSON.stringify(v)) };
}

/** "2024-01-02 03:04:05.123456+07" → microseconds since the epoch (exact below the millisecond). */
function timestampMicros(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(?:([+-]\d{2})(?::?(\d{2}))?)?$/.exec(text.trim());
  if (!m) return BigInt(Math.round(Date.parse(text) * 1000));
  const zone = m[4] ? `${m[4]}:${m[5] ?? '00'}` : 'Z';
  const fraction = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(Date.parse(`${m[1]}T${m[2]}${zone}`)) * 1000n + BigInt(fraction);
}

/** A 64-bit column from BigInts, with its validity bitmap, without going through a builder. */
function int64Data(type: DataType, values: (bigint | null)[]): Data {
  const data = new BigInt64Array(values.length);
  const validity = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else {
      data[i] = v;
      validity[i >> 3]! |= 1 << (i & 7);
    }
  });
  return makeData({ type: type as TimestampMicrosecond, length: values.length, nullCount, nullBitmap: validity, data });
}

export function sqlResultToArrow(columns: Column[], rows: Record<string, unknown>[]): Uint8Array {
  const fields: Field[] = [];
  const children = columns.map((column) => {
    const raw = rows.map((r) => r[column.name] ?? null);
    const { type, convert } = converter(column.type, raw);
    fields.push(new Field(column.name, type, true));
    const values = raw.map((v) => (v === null ? null : convert(v)));
    if (type instanceof TimestampMicrosecond) return int64Data(type, values as (bigint | null)[]);
    return vectorFromArray(values, type).data[0]!;
  });
  const schema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children });
  return tableToIPC(new Table([new RecordBatch(schema, data)]), 'stream');
}
