import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * Streams a file that another writer (DuckDB's COPY) is still appending to: sends what is there, waits for
 * more, and ends once `done` settles and everything written has been read. The first bytes of a large export
 * leave while DuckDB is still writing the rest, so a cold download costs about the COPY, not COPY + transfer.
 */
export function growingFileStream(file: string, done: Promise<void>, finalFile: string = file, chunkSize = 1 << 20): Readable {
  let finished = false;
  let failure: unknown;
  done.then(
    () => (finished = true),
    (error: unknown) => {
      finished = true;
      failure = error;
    },
  );
  async function* read() {
    // The writer may finish (and rename its file to `finalFile`) before this reader first looks, or between a
    // look and the open: an open that finds nothing looks again.
    const handle = await openWhenThere();
    try {
      let position = 0;
      for (;;) {
        const buffer = Buffer.allocUnsafe(chunkSize);
        const { bytesRead } = await handle.read(buffer, 0, chunkSize, position);
        if (bytesRead > 0) {
          position += bytesRead;
          yield buffer.subarray(0, bytesRead);
          continue;
        }
        if (finished) {
          if (failure) throw failure;
          // The writer is done: one more read catches anything appended since the last one.
          const tail = await handle.read(buffer, 0, chunkSize, position);
          if (tail.bytesRead === 0) return;
          position += tail.bytesRead;
          yield buffer.subarray(0, tail.bytesRead);
          continue;
        }
        await Promise.race([sleep(10), done.catch(() => {})]);
      }
    } finally {
      await handle.close();
    }
  }
  async function openWhenThere() {
    let path = file;
    for (;;) {
      if (finished) {
        if (failure) throw failure;
        if (!(await exists(file))) {
          if (await exists(finalFile)) path = finalFile;
          else throw new Error(`export file ${file} was never written`);
        }
      }
      try {
        return await open(path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await sleep(10);
      }
    }
  }
  return Readable.from(read(), { objectMode: false });
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
