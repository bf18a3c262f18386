import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { isBuildFresh, sourceHash, stampFile } from '../../src/cli/build-stamp.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

const root = makeTempDir('kota-stamp-');
// This test lays out its own dist/; a KOTA_DIST_DIR from the caller's shell must not move it.
delete process.env.KOTA_DIST_DIR;
afterAll(() => removeDir(root));

test('the stamp tracks every build input and goes stale on an edit, an added file or a rename', () => {
  mkdirSync(path.join(root, 'src/pages'), { recursive: true });
  mkdirSync(path.join(root, 'dist/server'), { recursive: true });
  writeFileSync(path.join(root, 'src/pages/index.astro'), 'a');
  writeFileSync(path.join(root, 'astro.config.mjs'), 'export default {}');
  writeFileSync(path.join(root, 'dist/server/entry.mjs'), '');
  expect(isBuildFresh(root)).toBe(false);

  writeFileSync(stampFile(root), sourceHash(root));
  expect(isBuildFresh(root)).toBe(true);

  const edits: (() => void)[] = [
    () => writeFileSync(path.join(root, 'src/pages/index.astro'), 'b'),
    () => writeFileSync(path.join(root, 'public-not-an-input.txt'), 'ignored'),
    () => writeFileSync(path.join(root, 'src/pages/about.astro'), 'c'),
    () => writeFileSync(path.join(root, 'tsconfig.json'), '{}'),
  ];
  const fresh = edits.map((edit) => {
    edit();
    const result = isBuildFresh(root);
    writeFileSync(stampFile(root), sourceHash(root));
    return result;
  });
  expect(fresh).toEqual([false, true, false, false]);
});
