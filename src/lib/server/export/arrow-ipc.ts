/**
 * Joining Arrow IPC streams. parquet-wasm turns each Parquet row group into a complete IPC stream (schema, record
 * batches, end marker); one download is one stream, so the first schema message is kept, the others (identical:
 * one file, one schema) are dropped and the end marker is written once, after the last row group.
 */
export const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/**
 * An IPC stream's schema message and the messages after it, without the end marker. Every message starts with
 * the continuation 0xFFFFFFFF and the length of its (padded) metadata; a schema message has no body.
 */
export function splitStream(stream: Uint8Array): { head: Uint8Array; batches: Uint8Array } {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (stream.byteLength < 16 || view.getUint32(0, true) !== 0xffffffff) throw new Error('not an Arrow IPC stream');
  const schemaEnd = 8 + view.getInt32(4, true);
  const ends = view.getUint32(stream.byteLength - 8, true) === 0xffffffff && view.getInt32(stream.byteLength - 4, true) === 0;
  return { head: stream.subarray(0, schemaEnd), batches: stream.subarray(schemaEnd, ends ? stream.byteLength - 8 : stream.byteLength) };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
