import { open, stat, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * Reading a file that another writer (DuckDB's COPY, the Arrow converter) is still appending to: what is there is
 * read at once, a reader that catches up waits for more, and the end comes once `done` settles and everything
 * written has been read. The first bytes of a large export leave while the rest is still being written, so a cold
 * download costs about the export, not export + transfer.
 */
export interface GrowingFile {
  /** Reads into `buffer` at `position`; 0 bytes means the end of the file (the writer is done). Throws the writer's failure. */
  read(buffer: Buffer, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

export async function openGrowingFile(file: string, done: Promise<void>, finalFile: string = file): Promise<GrowingFile> {
  let finished = false;
  let failure: unknown;
  done.then(
    () => (finished = true),
    (error: unknown) => {
      finished = true;
      failure = error;
    },
  );
  const handle = await openWhenThere();
  return {
    async read(buffer, length, position) {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, length, position);
        if (bytesRead > 0) return bytesRead;
        if (finished) {
          if (failure) throw failure;
          // The writer is done: one more read catches anything appended since the last one.
          return (await handle.read(buffer, 0, length, position)).bytesRead;
        }
        await Promise.race([sleep(10), done.catch(() => {})]);
      }
    },
    close: () => handle.close(),
  };

  // The writer may finish (and rename its file to `finalFile`) before this reader first looks, or between a
  // look and the open: an open that finds nothing looks again.
  async function openWhenThere(): Promise<FileHandle> {
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
}

/** A growing file as a Node stream (a fresh buffer per chunk: for consumers that keep the chunks, e.g. gzip). */
export function growingFileStream(file: string, done: Promise<void>, finalFile: string = file, chunkSize = 1 << 20): Readable {
  async function* read() {
    const reader = await openGrowingFile(file, done, finalFile);
    try {
      let position = 0;
      for (;;) {
        const buffer = Buffer.allocUnsafe(chunkSize);
        const bytesRead = await reader.read(buffer, chunkSize, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await reader.close();
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
