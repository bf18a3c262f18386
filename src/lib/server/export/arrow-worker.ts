// A worker thread that converts Parquet row groups to Arrow IPC with parquet-wasm (started by ./arrow-workers.ts).
// It writes its bytes into the download file itself, at the position the server gives it once the row groups
// before it are written, so the ~90 MB of IPC bytes of a 1 M-row download never pass through the server's own
// heap: their garbage is collected here, in a heap of a few MB, instead of in the server's (where each full
// collection marks ~50 MB of live objects; 0.3–0.6 s of GC per download when the conversion ran there).
import { openAsBlob, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { ParquetFile } from 'parquet-wasm/node';
import { splitStream } from './arrow-ipc.ts';

export type ArrowWorkerRequest =
  /** How many row groups the file has. */
  | { type: 'groups'; job: number; parquet: string }
  /** Convert one row group (-1: none, for a file without row groups: the schema only). */
  | { type: 'convert'; job: number; parquet: string; group: number; batchRows: number }
  /** Write the converted group at `position` of the open file `fd` (the schema message first when `withHead`). */
  | { type: 'write'; job: number; fd: number; position: number; withHead: boolean };

export type ArrowWorkerReply =
  | { type: 'groups'; job: number; count: number }
  | { type: 'converted'; job: number; head: Uint8Array; size: number }
  | { type: 'written'; job: number }
  | { type: 'failed'; job: number; message: string };

let open: { path: string; file: ParquetFile } | null = null;
let converted: { head: Uint8Array; batches: Uint8Array } | null = null;

async function parquetFile(file: string): Promise<ParquetFile> {
  if (open?.path === file) return open.file;
  open?.file.free();
  open = null;
  open = { path: file, file: await ParquetFile.fromFile(await openAsBlob(file)) };
  return open.file;
}

async function handle(request: ArrowWorkerRequest): Promise<ArrowWorkerReply> {
  try {
    if (request.type === 'groups') return { type: 'groups', job: request.job, count: (await parquetFile(request.parquet)).metadata().numRowGroups() };
    if (request.type === 'convert') {
      const file = await parquetFile(request.parquet);
      const table = await file.read(request.group < 0 ? { limit: 0 } : { rowGroups: [request.group], batchSize: request.batchRows });
      converted = splitStream(table.intoIPCStream());
      return { type: 'converted', job: request.job, head: converted.head.slice(), size: converted.batches.byteLength };
    }
    const bytes = converted!;
    converted = null;
    let position = request.position;
    const put = (data: Uint8Array) => {
      for (let offset = 0; offset < data.byteLength; ) {
        const n = writeSync(request.fd, data, offset, data.byteLength - offset, position);
        offset += n;
        position += n;
      }
    };
    if (request.withHead) put(bytes.head);
    put(bytes.batches);
    return { type: 'written', job: request.job };
  } catch (error) {
    converted = null;
    return { type: 'failed', job: request.job, message: (error as Error).message };
  }
}

// One request at a time, in order: the server sends the next only after this one's reply.
parentPort!.on('message', (request: ArrowWorkerRequest) => {
  void handle(request).then((reply) => parentPort!.postMessage(reply));
});
