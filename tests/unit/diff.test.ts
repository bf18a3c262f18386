import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffRows, diffVersions, type ChangedRow } from '../../src/lib/server/catalog/diff.ts';
import type { Manifest } from '../../src/lib/server/lake/manifest.ts';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { publishTestVersion } from '../helpers/lake.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/** Version diffs over constructed versions: each case knows exactly which rows were added, removed and changed. */
let root: string;
const fields: FieldSpec[] = [
  { name: 'kode', type: 'string', title: 'Kode' },
  { name: 'nama', type: 'string', title: 'Nama' },
  { name: 'jumlah', type: 'integer', title: 'Jumlah' },
];
const withLuas: FieldSpec[] = [...fields.filter((f) => f.name !== 'nama'), { name: 'luas', type: 'number', title: 'Luas' }];

let v1: Manifest;
let v2: Manifest;
let v3: Manifest;
let plain1: Manifest;
let plain2: Manifest;

beforeAll(async () => {
  root = makeTempDir('kota-diff-');
  process.env.DATA_DIR = path.join(root, 'data');
  const publish = (id: string, f: FieldSpec[], rows: Record<string, string | number | null>[], pk: string[], n: number) =>
    publishTestVersion(process.env.DATA_DIR!, { id, fields: f, rows, primaryKey: pk, publishedAt: `2026-01-0${n}T00:00:00.000Z`, metadata: { title: `Uji ${n}` } });
  v1 = await publish('uji-diff', fields, [
    { kode: 'A', nama: 'Andir', jumlah: 10 },
    { kode: 'B', nama: 'Bojongloa', jumlah: 20 },
    { kode: 'C', nama: 'Cibiru', jumlah: 30 },
    { kode: 'D', nama: 'Dago', jumlah: null },
  ], ['kode'], 1);
  // B removed, C changed (jumlah), D changed (null → 5), E added, A unchanged.
  v2 = await publish('uji-diff', fields, [
    { kode: 'A', nama: 'Andir', jumlah: 10 },
    { kode: 'C', nama: 'Cibiru', jumlah: 31 },
    { kode: 'D', nama: 'Dago', jumlah: 5 },
    { kode: 'E', nama: 'Embong', jumlah: 50 },
  ], ['kode'], 2);
  // nama dropped, luas added: only jumlah is compared.
  v3 = await publish('uji-diff', withLuas, [
    { kode: 'A', jumlah: 10, luas: 1.5 },
    { kode: 'C', jumlah: 31, luas: 2.5 },
    { kode: 'D', jumlah: 6, luas: null },
    { kode: 'E', jumlah: 50, luas: 4 },
  ], ['kode'], 3);
  plain1 = await publish('uji-diff-tanpa-kunci', fields, [
    { kode: 'A', nama: 'Andir', jumlah: 10 },
    { kode: 'A', nama: 'Andir', jumlah: 10 },
    { kode: 'B', nama: 'Bojongloa', jumlah: 20 },
  ], [], 4);
  plain2 = await publish('uji-diff-tanpa-kunci', fields, [
    { kode: 'A', nama: 'Andir', jumlah: 10 },
    { kode: 'B', nama: 'Bojongloa', jumlah: 21 },
    { kode: 'C', nama: 'Cibiru', jumlah: 30 },
  ], [], 5);
});

afterAll(() => removeDir(root));

describe('version diff by primary key', () => {
  test('counts added, removed and changed rows', async () => {
    expect(await diffVersions(v1, v2)).toEqual({
      from: v1.version, to: v2.version, primaryKey: ['kode'], columnsAdded: [], columnsRemoved: [], added: 1, removed: 1, changed: 2,
    });
  });

  test('lists each kind of row, changed cells named', async () => {
    const added = await diffRows(v1, v2, 'added', { limit: 10, offset: 0 });
    expect(added.columns).toEqual(['kode', 'nama', 'jumlah']);
    expect(added.rows).toEqual([{ kode: 'E', nama: 'Embong', jumlah: '50' }]);
    const removed = await diffRows(v1, v2, 'removed', { limit: 10, offset: 0 });
    expect(removed.rows).toEqual([{ kode: 'B', nama: 'Bojongloa', jumlah: '20' }]);
    const changed = (await diffRows(v1, v2, 'changed', { limit: 10, offset: 0 })).rows as ChangedRow[];
    expect(changed.map((r) => [r.key.kode, r.changed, r.before.jumlah, r.after.jumlah])).toEqual([
      ['C', ['jumlah'], '30', '31'],
      ['D', ['jumlah'], null, '5'],
    ]);
  });

  test('pages through rows in key order', async () => {
    const second = await diffRows(v1, v2, 'changed', { limit: 1, offset: 1 });
    expect((second.rows as ChangedRow[]).map((r) => r.key.kode)).toEqual(['D']);
  });

  test('columns added and removed; only shared columns decide "changed"', async () => {
    const diff = await diffVersions(v2, v3);
    expect(diff).toMatchObject({ columnsAdded: ['luas'], columnsRemoved: ['nama'], added: 0, removed: 0, changed: 1 });
    const changed = (await diffRows(v2, v3, 'changed', { limit: 10, offset: 0 })).rows as ChangedRow[];
    expect(changed).toEqual([{ key: { kode: 'D' }, before: { kode: 'D', jumlah: '5' }, after: { kode: 'D', jumlah: '6' }, changed: ['jumlah'] }]);
  });

  test('a version compared with itself has no changes', async () => {
    expect(await diffVersions(v2, v2)).toMatchObject({ added: 0, removed: 0, changed: 0 });
  });
});

describe('version diff without a primary key', () => {
  test('compares whole rows as multisets: a duplicate removed counts, a changed row is one added and one removed', async () => {
    const diff = await diffVersions(plain1, plain2);
    expect(diff).toMatchObject({ primaryKey: [], added: 2, removed: 2, changed: null });
    const added = await diffRows(plain1, plain2, 'added', { limit: 10, offset: 0 });
    expect(added.rows).toEqual([
      { kode: 'B', nama: 'Bojongloa', jumlah: '21' },
      { kode: 'C', nama: 'Cibiru', jumlah: '30' },
    ]);
    const removed = await diffRows(plain1, plain2, 'removed', { limit: 10, offset: 0 });
    expect(removed.rows).toEqual([
      { kode: 'A', nama: 'Andir', jumlah: '10' },
      { kode: 'B', nama: 'Bojongloa', jumlah: '20' },
    ]);
    expect((await diffRows(plain1, plain2, 'changed', { limit: 10, offset: 0 })).rows).toEqual([]);
  });
});
