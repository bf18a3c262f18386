import { describe, expect, test } from 'vitest';
import { readCurrent, readCurrentManifest, versionDataPath } from '../../src/lib/server/lake/read.ts';
import { baseSpec, createProject } from '../helpers/pipeline-project.ts';
import { queryDirect } from '../helpers/read-parquet.ts';

/**
 * The profile a dataset page shows (distinct counts, most frequent values, nulls, mean) is taken from the cheapest
 * place that knows it: the Parquet footer, one grouping query for low-cardinality columns, bitmaps for integer
 * keys and integer columns with close bounds. Each value is compared with an independent DuckDB reading the published file.
 */
const ROWS = 250_000; // above 200,000 rows, distinct counts that are not exact are flagged as estimates
const KECAMATAN = ['Andir', 'Antapani', 'Arcamanik', 'Astanaanyar', 'Cibiru', 'Cicendo', 'Cidadap', 'Coblong', 'Gedebage', 'Regol', 'Sukajadi', 'Sukasari'];

function bigCsv(): string {
  const lines = ['id,kecamatan,tanggal,aktif,nilai,jumlah,catatan'];
  for (let i = 0; i < ROWS; i++) {
    // A permutation of 1..ROWS (7919 is prime to ROWS): unique, but not in rising order.
    const id = ((i * 7919) % ROWS) + 1;
    const kecamatan = i % 97 === 0 ? '' : KECAMATAN[((i % 12) + Math.floor(i / 5000)) % 12 % (1 + (i % 12))];
    const tanggal = `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}`;
    const aktif = i % 3 === 0 ? 'true' : 'false';
    lines.push(`${id},${kecamatan},${tanggal},${aktif},${((i * 37) % 100_003) / 10},${(i * 7) % 100_003},laporan warga nomor ${i % 5000} tentang jalan rusak`);
  }
  return lines.join('\n') + '\n';
}

const fields = [
  { name: 'id', type: 'integer', title: 'ID', constraints: { required: true } },
  { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
  { name: 'tanggal', type: 'date', title: 'Tanggal' },
  { name: 'aktif', type: 'boolean', title: 'Aktif' },
  { name: 'nilai', type: 'number', title: 'Nilai', constraints: { minimum: 0 } },
  { name: 'jumlah', type: 'integer', title: 'Jumlah' },
  { name: 'catatan', type: 'string', title: 'Catatan' },
];

async function publishedFile(id: string): Promise<string> {
  return versionDataPath(id, (await readCurrent(id))!.version).replaceAll("'", "''");
}

describe('the profile of a large file', () => {
  test('exact distinct counts and top values for low-cardinality columns, flagged estimates for the rest', { timeout: 180_000 }, async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', bigCsv());
    project.addPipeline('uji-profil', baseSpec({ schema: { primary_key: ['id'], fields } }));
    const outcome = await project.run('uji-profil');
    expect(outcome.record.report).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const manifest = (await readCurrentManifest('uji-profil'))!;
    const file = await publishedFile('uji-profil');
    const column = (name: string) => manifest.profile.find((p) => p.name === name)!;

    const [truth] = await queryDirect(
      `SELECT count(*) AS n, count(DISTINCT kecamatan) AS kec, count(*) - count(kecamatan) AS kec_nulls, count(DISTINCT tanggal) AS tgl,
              count(DISTINCT aktif) AS akt, avg(nilai) AS mean, count(DISTINCT jumlah) AS jml FROM read_parquet('${file}')`,
    );
    expect(manifest.data.rows).toBe(ROWS);
    expect(column('id')).toMatchObject({ nulls: 0, distinct: ROWS, distinct_approximate: false, min: 1, max: ROWS });
    expect(column('kecamatan')).toMatchObject({ distinct: Number(truth!.kec), distinct_approximate: false, nulls: Number(truth!.kec_nulls) });
    expect(column('kecamatan').nulls).toBeGreaterThan(0);
    expect(column('tanggal')).toMatchObject({ distinct: Number(truth!.tgl), distinct_approximate: false, top: null });
    expect(column('aktif')).toMatchObject({ distinct: 2, distinct_approximate: false });
    expect(column('nilai').distinct_approximate).toBe(true);
    // Too many values for a dictionary, but close bounds: counted exactly in a bitmap.
    expect(column('jumlah')).toMatchObject({ distinct: Number(truth!.jml), distinct_approximate: false });
    expect(column('catatan').distinct_approximate).toBe(true);
    expect(column('nilai').mean).toBeCloseTo(Number(truth!.mean), 5);

    const top = async (name: string) =>
      (await queryDirect(`SELECT CAST(${name} AS VARCHAR) AS value, count(*) AS n FROM read_parquet('${file}') WHERE ${name} IS NOT NULL GROUP BY ALL ORDER BY n DESC, value LIMIT 10`)).map(
        (r) => ({ value: String(r.value), count: Number(r.n) }),
      );
    expect(column('kecamatan').top).toEqual(await top('kecamatan'));
    expect(column('kecamatan').top).toHaveLength(10);
    expect(column('aktif').top).toEqual(await top('aktif'));
    expect(column('aktif').top).toEqual([
      { value: 'false', count: ROWS - Math.ceil(ROWS / 3) },
      { value: 'true', count: Math.ceil(ROWS / 3) },
    ]);
  });
});

describe('an integer key checked without sorting', () => {
  const spec = (primaryKey: string[], extra: Record<string, unknown> = {}) =>
    baseSpec({
      schema: {
        primary_key: primaryKey,
        fields: [
          { name: 'id', type: 'integer', title: 'ID', ...extra },
          { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
        ],
      },
    });

  test('a repeated key is found with its rows, wherever it is', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'id,kecamatan\n5,Andir\n3,Cibiru\n9,Regol\n3,Coblong\n7,Sukasari\n');
    project.addPipeline('uji-kunci', spec(['id']));
    const outcome = await project.run('uji-kunci');
    expect(outcome.exitCode).toBe(1);
    const report = outcome.record.report.find((r) => r.rule === 'primary_key')!;
    expect(report.count).toBe(2);
    expect(report.examples.map((e) => [e.row, e.found])).toEqual([
      [2, '3'],
      [4, '3'],
    ]);
  });

  test('an empty key breaks a primary key; empty values in a unique column do not', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'id,kecamatan\n5,Andir\n,Cibiru\n9,Regol\n,Coblong\n');
    project.addPipeline('uji-kunci-kosong', spec(['id']));
    const outcome = await project.run('uji-kunci-kosong');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.record.report.find((r) => r.rule === 'primary_key')!.examples.map((e) => e.row)).toEqual([2, 4]);

    project.addPipeline('uji-unik', spec([], { constraints: { unique: true } }));
    const unique = await project.run('uji-unik');
    expect(unique.record.report).toEqual([]);
    expect(unique.exitCode).toBe(0);
    expect((await readCurrentManifest('uji-unik'))!.profile.find((p) => p.name === 'id')).toMatchObject({ nulls: 2, distinct: 2 });
  });

  test('a negative, widely spread key is checked the same way', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'id,kecamatan\n-1000000,Andir\n2000000,Cibiru\n-1000000,Regol\n');
    project.addPipeline('uji-kunci-lebar', spec(['id']));
    const outcome = await project.run('uji-kunci-lebar');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.record.report.find((r) => r.rule === 'primary_key')!.examples.map((e) => e.row)).toEqual([1, 3]);
  });
});

describe('rules on a low-cardinality column, counted on its values', () => {
  test('values outside the allowed list or pattern are counted and shown with their rows', async () => {
    const project = createProject();
    const rows = ['kecamatan,kategori,kode'];
    for (let i = 0; i < 300; i++) rows.push(`K${i},${i === 17 || i === 250 ? 'Z' : 'ABC'[i % 3]},${i === 99 ? 'x-1' : `K-${i % 4}`}`);
    project.writeFile('datasets/data.csv', rows.join('\n') + '\n');
    project.addPipeline(
      'uji-daftar',
      baseSpec({
        schema: {
          primary_key: ['kecamatan'],
          fields: [
            { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
            { name: 'kategori', type: 'string', title: 'Kategori', constraints: { enum: ['A', 'B', 'C'] } },
            { name: 'kode', type: 'string', title: 'Kode', constraints: { pattern: 'K-[0-9]' } },
          ],
        },
        checks: [{ type: 'accepted_values', column: 'kategori', values: ['A', 'B'], severity: 'warn', name: 'tanpa C' }],
      }),
    );
    const outcome = await project.run('uji-daftar');
    expect(outcome.exitCode).toBe(1);
    const report = (rule: string) => outcome.record.report.find((r) => r.rule === rule)!;
    expect(report('enum')).toMatchObject({ count: 2, examples: [{ row: 18, found: 'Z' }, { row: 251, found: 'Z' }] });
    expect(report('pattern')).toMatchObject({ count: 1, examples: [{ row: 100, found: 'x-1' }] });
    // 99 rows of C (row 18 holds Z instead) and the two Z.
    expect(report('tanpa C').count).toBe(101);
  });
});
