import { open, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** fsync a file or folder so a rename that follows survives a power cut, not only a crash. */
export async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replace `file` with `content` atomically: readers see the old or the new file, never a mix. */
export async function writeFileAtomic(file: string, content: string, tag: string = String(process.pid)): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${tag}.tmp`);
  await writeFile(tmp, content);
  await fsyncPath(tmp);
  await rename(tmp, file);
  await fsyncPath(path.dirname(file));
}
