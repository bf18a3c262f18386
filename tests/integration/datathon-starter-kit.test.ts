import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { DuckDBInstance } from '@duckdb/node-api';
import JSZip from 'jszip';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { saveChallenge } from '../../src/lib/server/datathon/challenges.ts';
import { createEvent } from '../../src/lib/server/datathon/events.ts';
import { starterKit } from '../../src/lib/server/datathon/starter-kit.server.ts';
import { readCurrentManifest } from '../../src/lib/server/lake/read.ts';
import { eventInput, makeUser, publishDatasets } from '../helpers/datathon.ts';
import { useBackend } from '../helpers/store.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/** A challenge's starter kit, unzipped and read back: Parquet by DuckDB, CSV rows, the notebook as JSON. */
let backend: Awaited<ReturnType<typeof useBackend>>;
let scratch: string;
let challengeId = '';

beforeAll(async () => {
  backend = await useBackend('sqlite');
  scratch = makeTempDir('kota-kit-');
  await publishDatasets(backend.dataDir);
  const admin = await makeUser('Admin', { role: 'admin' });
  await createEvent(admin, 'kit-uji', eventInput('registration', Date.now()));
  const saved = await saveChallenge(admin, 'kit-uji', { title: 'Sekolah dan penduduk', problem: 'Di mana sekolah kurang?', opd: 'disdik', datasets: ['penduduk-uji', 'sekolah-uji'] });
  challengeId = saved.ok ? saved.id : '';
});
afterAll(async () => {
  await backend?.cleanup();
  removeDir(scratch);
});

test('the kit holds each dataset as Parquet and CSV at its current version, with dictionary, README, notebook and R script', async () => {
  const kit = (await starterKit(challengeId, 'http://localhost:4321'))!;
  expect(kit.filename).toBe(`starter-kit-${challengeId}.zip`);
  const zip = await JSZip.loadAsync(await buffer(kit.stream));
  const root = `starter-kit-${challengeId}`;
  const names = Object.keys(zip.files).filter((n) => !n.endsWith('/')).map((n) => n.slice(root.length + 1)).sort();
  expect(names).toEqual([
    'README.md',
    'data/penduduk-uji.csv',
    'data/penduduk-uji.parquet',
    'data/sekolah-uji.csv',
    'data/sekolah-uji.parquet',
    'dictionary/penduduk-uji.csv',
    'dictionary/sekolah-uji.csv',
    'starter.R',
    'starter.ipynb',
  ]);

  // Parquet read back by DuckDB
  const parquet = path.join(scratch, 'penduduk.parquet');
  writeFileSync(parquet, await zip.file(`${root}/data/penduduk-uji.parquet`)!.async('nodebuffer'));
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const rows = (await conn.runAndReadAll(`SELECT kecamatan, jumlah FROM read_parquet('${parquet}') ORDER BY kecamatan`)).getRowObjectsJson();
  expect(rows).toEqual([
    { kecamatan: 'Coblong', jumlah: '10' },
    { kecamatan: 'Sukajadi', jumlah: '7' },
  ]);
  const csv = await zip.file(`${root}/data/sekolah-uji.csv`)!.async('string');
  expect(csv.trim().split(/\r?\n/)).toEqual(['kecamatan,jumlah', 'Coblong,10', 'Sukajadi,7']);

  // the notebook is valid nbformat JSON that loads exactly the files in the kit
  const nb = JSON.parse(await zip.file(`${root}/starter.ipynb`)!.async('string'));
  expect(nb.nbformat).toBe(4);
  const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code').map((c: { source: string[] }) => c.source.join('')).join('\n');
  expect(code).toContain('pd.read_parquet("data/penduduk-uji.parquet")');
  expect(code).toContain('pd.read_parquet("data/sekolah-uji.parquet")');
  const r = await zip.file(`${root}/starter.R`)!.async('string');
  expect(r).toContain('read.csv("data/sekolah-uji.csv"');

  // the README cites each version; the dictionary lists the columns
  const version = (await readCurrentManifest('penduduk-uji'))!.version;
  const readme = await zip.file(`${root}/README.md`)!.async('string');
  expect(readme).toContain(`versi ${version}. http://localhost:4321/datasets/penduduk-uji/versions/${version}`);
  const dictionary = await zip.file(`${root}/dictionary/penduduk-uji.csv`)!.async('string');
  expect(dictionary).toContain('"jumlah","integer","Jumlah","orang",""');
});

test('an unknown challenge has no kit', async () => {
  expect(await starterKit('tidak-ada', 'http://localhost:4321')).toBeNull();
});
