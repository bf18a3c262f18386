import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/**
 * Compares a screenshot with its committed reference. `UPDATE_SCREENSHOTS=1` writes the reference instead (after
 * a change that is meant to alter pages: `npm run screenshots:update`). On a mismatch the actual image and a diff
 * (changed pixels in red) are written under tests/.tmp/screenshots/ and the message says where.
 */
export const REFERENCE_DIR = path.join(import.meta.dirname, 'screenshots');
const OUTPUT_DIR = path.resolve(import.meta.dirname, '../.tmp/screenshots');
/** Per-pixel colour distance pixelmatch ignores (anti-aliasing noise), and the share of pixels allowed to differ. */
const THRESHOLD = 0.1;
export const MAX_DIFF_RATIO = 0.002;

export function updating(): boolean {
  return process.env.UPDATE_SCREENSHOTS === '1';
}

export type Comparison = { status: 'updated' } | { status: 'match'; ratio: number } | { status: 'mismatch'; message: string };

export function compareScreenshot(name: string, actual: Buffer): Comparison {
  const reference = path.join(REFERENCE_DIR, `${name}.png`);
  if (updating()) {
    mkdirSync(REFERENCE_DIR, { recursive: true });
    writeFileSync(reference, actual);
    return { status: 'updated' };
  }
  if (!existsSync(reference)) {
    return { status: 'mismatch', message: `${name}: no reference at ${path.relative(process.cwd(), reference)}; run \`npm run screenshots:update\` and commit it` };
  }
  const expected = PNG.sync.read(readFileSync(reference));
  const got = PNG.sync.read(actual);
  if (expected.width !== got.width || expected.height !== got.height) {
    const saved = save(name, actual, null);
    return { status: 'mismatch', message: `${name}: size changed from ${expected.width}×${expected.height} to ${got.width}×${got.height} px (actual: ${saved})` };
  }
  const diff = new PNG({ width: got.width, height: got.height });
  const changed = pixelmatch(expected.data, got.data, diff.data, got.width, got.height, { threshold: THRESHOLD });
  const ratio = changed / (got.width * got.height);
  if (ratio <= MAX_DIFF_RATIO) return { status: 'match', ratio };
  const saved = save(name, actual, PNG.sync.write(diff));
  return { status: 'mismatch', message: `${name}: ${changed} pixels differ (${(ratio * 100).toFixed(2)}%, allowed ${(MAX_DIFF_RATIO * 100).toFixed(2)}%); see ${saved}` };
}

function save(name: string, actual: Buffer, diff: Buffer | null): string {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.actual.png`);
  writeFileSync(file, actual);
  if (diff) writeFileSync(path.join(OUTPUT_DIR, `${name}.diff.png`), diff);
  return path.relative(process.cwd(), file);
}
