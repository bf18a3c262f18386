import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { Bool, DateDay, Field, Float64, Int64, makeData, RecordBatch, RecordBatchStreamWriter, Schema, Struct, TimestampMicrosecond, Utf8, type Data, type DataType } from 'apache-arrow';
import type { FieldSpec } from '../lake/schema.ts';

/**
 * Arrow IPC stream from a DuckDB stream (DuckDB cannot COPY to Arrow). Fixed-width columns are copied from
 * DuckDB's vectors into Arrow buffers as whole typed arrays; only text is converted value by value. The schema is
 * explicit: inferred vectors would turn BIGINT and dates into dictionary strings (FIELD-NOTES), and every batch
 * must share the first batch's schema.
 */
const BATCH_ROWS = 65_536;

export function arrowType(type: FieldSpec['type']): DataType {
  switch (type) {
    case 'integer': return new Int64();
    case 'number': return new Float64();
    case 'boolean': return new Bool();
    case 'date': return new DateDay();
    case 'datetime': return new TimestampMicrosecond();
    default: return new Utf8();
  }
}

/** What the node-api vectors hold internally: a typed view of DuckDB's buffer and the validity mask. */
interface RawVector {
  items?: ArrayLike<number | bigint> & { length: number };
  validity: { itemValid(i: number): boolean };
}

class ColumnBuilder {
  private nullBitmap: Uint8Array;
  private nullCount = 0;
  private fixed: Float64Array | BigInt64Array | Int32Array | null;
  private bits: Uint8Array | null = null;
  private text: { offsets: Int32Array; bytes: Buffer; used: number } | null = null;
  private readonly arrow: DataType;

  constructor(type: FieldSpec['type'], arrow: DataType, capacity: number) {
    this.arrow = arrow;
    this.nullBitmap = new Uint8Array((capacity + 7) >> 3);
    this.fixed =
      type === 'integer' || type === 'datetime' ? new BigInt64Array(capacity) : type === 'number' ? new Float64Array(capacity) : type === 'date' ? new Int32Array(capacity) : null;
    if (type === 'boolean') this.bits = new Uint8Array((capacity + 7) >> 3);
    if (this.fixed === null && this.bits === null) this.text = { offsets: new Int32Array(capacity + 1), bytes: Buffer.allocUnsafe(1 << 16), used: 0 };
  }

  append(vector: DuckDBVector, at: number, count: number): void {
    const raw = vector as unknown as RawVector;
    for (let i = 0; i < count; i++) {
      if (raw.validity.itemValid(i)) this.nullBitmap[(at + i) >> 3]! |= 1 << ((at + i) & 7);
      else this.nullCount++;
    }
    if (this.fixed && raw.items) {
      (this.fixed as Float64Array).set(raw.items as Float64Array, at);
      return;
    }
    if (this.bits) {
      for (let i = 0; i < count; i++) if (vector.getItem(i) === true) this.bits[(at + i) >> 3]! |= 1 << ((at + i) & 7);
      return;
    }
    const text = this.text!;
    for (let i = 0; i < count; i++) {
      const value = raw.validity.itemValid(i) ? String(vector.getItem(i)) : '';
      const needed = text.used + Buffer.byteLength(value);
      if (needed > text.bytes.length) {
        const grown = Buffer.allocUnsafe(Math.max(needed, text.bytes.length * 2));
        text.bytes.copy(grown, 0, 0, text.used);
        text.bytes = grown;
      }
      text.used += text.bytes.write(value, text.used);
      text.offsets[at + i + 1] = text.used;
    }
  }

  build(length: number): Data {
    const base = { length, nullCount: this.nullCount, nullBitmap: this.nullBitmap.subarray(0, (length + 7) >> 3) };
    if (this.fixed) return makeData({ type: this.arrow as Int64, ...base, data: (this.fixed as BigInt64Array).subarray(0, length) });
    if (this.bits) return makeData({ type: this.arrow as Bool, ...base, data: this.bits.subarray(0, (length + 7) >> 3) });
    const text = this.text!;
    return makeData({ type: this.arrow as Utf8, ...base, valueOffsets: text.offsets.subarray(0, length + 1), data: new Uint8Array(text.bytes.buffer, text.bytes.byteOffset, text.used) });
  }
}

export async function writeArrowFile(conn: DuckDBConnection, select: { sql: string; values: string[] }, fields: FieldSpec[], file: string): Promise<void> {
  const schema = new Schema(fields.map((f) => new Field(f.name, arrowType(f.type), true)));
  const writer = new RecordBatchStreamWriter();
  const out = createWriteStream(file);
  const piping = new Promise<void>((resolve, reject) => {
    writer.toNodeStream().on('error', reject).pipe(out).on('finish', resolve).on('error', reject);
  });
  const fresh = () => fields.map((f, i) => new ColumnBuilder(f.type, schema.fields[i]!.type, BATCH_ROWS));
  let builders = fresh();
  let rows = 0;
  const flush = async () => {
    if (rows === 0) return;
    const children = builders.map((b) => b.build(rows));
    writer.write(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children })));
    builders = fresh();
    rows = 0;
    if (out.writableNeedDrain) await once(out, 'drain');
  };
  const result = await conn.stream(select.sql, select.values as never);
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    let offset = 0;
    while (offset < chunk.rowCount) {
      const take = Math.min(chunk.rowCount - offset, BATCH_ROWS - rows);
      for (let c = 0; c < fields.length; c++) {
        const vector = chunk.getColumnVector(c);
        builders[c]!.append(offset === 0 && take === chunk.rowCount ? vector : vector.slice(offset, take), rows, take);
      }
      rows += take;
      offset += take;
      if (rows === BATCH_ROWS) await flush();
    }
  }
  await flush();
  // An empty result still carries its schema, so readers see the columns.
  writer.finish();
  await piping;
}
