import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { Bool, DateDay, Field, Float64, Int64, makeData, RecordBatch, RecordBatchStreamWriter, Schema, Struct, TimestampMicrosecond, Utf8, type DataType, type Data } from 'apache-arrow';
import type { FieldSpec } from '../pipelines/spec.ts';

/**
 * Arrow IPC stream from a DuckDB stream (DuckDB cannot COPY to Arrow). Columns are built straight into typed
 * arrays with an explicit schema: inferred vectors would turn BIGINT and dates into dictionary strings
 * (FIELD-NOTES), and every batch must share the first batch's schema.
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

export async function writeArrowFile(
  conn: DuckDBConnection,
  select: { sql: string; values: string[] },
  fields: FieldSpec[],
  file: string,
): Promise<void> {
  const schema = new Schema(fields.map((f) => new Field(f.name, arrowType(f.type), true)));
  const writer = new RecordBatchStreamWriter();
  const out = createWriteStream(file);
  const piping = new Promise<void>((resolve, reject) => {
    writer.toNodeStream().on('error', reject).pipe(out).on('finish', resolve).on('error', reject);
  });
  const result = await conn.stream(select.sql, select.values as never);
  let columns: DuckDBValue[][] = fields.map(() => []);
  let rows = 0;
  const flush = async () => {
    if (rows === 0) return;
    writer.write(recordBatch(schema, fields, columns, rows));
    columns = fields.map(() => []);
    rows = 0;
    if (out.writableNeedDrain) await once(out, 'drain');
  };
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (let c = 0; c < fields.length; c++) columns[c]!.push(...chunk.getColumnValues(c));
    rows += chunk.rowCount;
    if (rows >= BATCH_ROWS) await flush();
  }
  await flush();
  // An empty result still carries its schema, so readers see the columns.
  writer.finish();
  await piping;
}

function recordBatch(schema: Schema, fields: FieldSpec[], columns: DuckDBValue[][], length: number): RecordBatch {
  const children = fields.map((f, i) => columnData(f.type, schema.fields[i]!.type, columns[i]!, length));
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}

function columnData(type: FieldSpec['type'], arrow: DataType, values: DuckDBValue[], length: number): Data {
  const nullBitmap = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  const valid = (i: number) => {
    if (values[i] === null || values[i] === undefined) {
      nullCount++;
      return false;
    }
    nullBitmap[i >> 3]! |= 1 << (i & 7);
    return true;
  };
  switch (type) {
    case 'integer': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) if (valid(i)) data[i] = BigInt(values[i] as bigint);
      return makeData({ type: arrow as Int64, length, nullCount, nullBitmap, data });
    }
    case 'number': {
      const data = new Float64Array(length);
      for (let i = 0; i < length; i++) if (valid(i)) data[i] = Number(values[i]);
      return makeData({ type: arrow as Float64, length, nullCount, nullBitmap, data });
    }
    case 'boolean': {
      const data = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (valid(i) && values[i] === true) data[i >> 3]! |= 1 << (i & 7);
      return makeData({ type: arrow as Bool, length, nullCount, nullBitmap, data });
    }
    case 'date': {
      const data = new Int32Array(length);
      for (let i = 0; i < length; i++) if (valid(i)) data[i] = (values[i] as unknown as { days: number }).days;
      return makeData({ type: arrow as DateDay, length, nullCount, nullBitmap, data });
    }
    case 'datetime': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) if (valid(i)) data[i] = (values[i] as unknown as { micros: bigint }).micros;
      return makeData({ type: arrow as TimestampMicrosecond, length, nullCount, nullBitmap, data });
    }
    default: {
      const encoder = new TextEncoder();
      const parts: Uint8Array[] = [];
      const valueOffsets = new Int32Array(length + 1);
      let offset = 0;
      for (let i = 0; i < length; i++) {
        if (valid(i)) {
          const bytes = encoder.encode(String(values[i]));
          parts.push(bytes);
          offset += bytes.length;
        }
        valueOffsets[i + 1] = offset;
      }
      const data = new Uint8Array(offset);
      let at = 0;
      for (const p of parts) {
        data.set(p, at);
        at += p.length;
      }
      return makeData({ type: arrow as Utf8, length, nullCount, nullBitmap, valueOffsets, data });
    }
  }
}
