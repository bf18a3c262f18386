import { describe, expect, test } from 'vitest';
import { readCurrent } from '../../src/lib/server/lake/read.ts';
import { baseSpec, createProject } from '../helpers/pipeline-project.ts';

const csv = [
  'kecamatan,jumlah,kategori,tanggal',
  'Andir,10,A,2026-11-01', // row 1
  'Cibiru,-5,B,2026-11-02', // row 2: below minimum, out of range
  ',7,Z,2026-11-03', // row 3: required missing, not accepted
  'Andir,12,A,2026-11-04', // row 4: duplicate key
  'Regol,x,A,2026-11-05', // row 5: not an integer
].join('\n');

const schema = {
  primary_key: ['kecamatan'],
  fields: [
    { name: 'kecamatan', type: 'string', title: 'Kecamatan', constraints: { required: true, pattern: '[A-Z][a-z]+' } },
    { name: 'jumlah', type: 'integer', title: 'Jumlah', constraints: { minimum: 0 } },
    { name: 'kategori', type: 'string', title: 'Kategori', constraints: { enum: ['A', 'B'] } },
    { name: 'tanggal', type: 'date', title: 'Tanggal' },
  ],
};

function byRule(report: { rule: string; count: number; examples: { row?: number; found?: string; expected?: string }[] }[], rule: string) {
  const r = report.find((x) => x.rule === rule);
  if (!r) throw new Error(`no report for ${rule}: ${report.map((x) => x.rule).join(', ')}`);
  return r;
}

describe('validation reports name the row, column, expected and found value', () => {
  test('schema types and constraints', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', csv);
    project.addPipeline('uji-cek', baseSpec({ schema }));
    const { record, exitCode } = await project.run('uji-cek');
    expect(exitCode).toBe(1);
    expect(record.status).toBe('failed');
    expect(byRule(record.report, 'type').examples).toEqual([
      { rule: 'type', column: 'jumlah', row: 5, expected: 'integer', found: 'x', message: 'value does not fit the field type' },
    ]);
    expect(byRule(record.report, 'required').examples[0]).toMatchObject({ column: 'kecamatan', row: 3 });
    expect(byRule(record.report, 'minimum').examples[0]).toMatchObject({ column: 'jumlah', row: 2, expected: '>= 0', found: '-5' });
    expect(byRule(record.report, 'enum').examples[0]).toMatchObject({ column: 'kategori', row: 3, expected: 'one of: A, B', found: 'Z' });
    expect(byRule(record.report, 'primary_key').examples.map((e) => e.row)).toEqual([1, 3, 4]);
    expect(await readCurrent('uji-cek')).toBeNull();
  });

  test('checks: not_null, unique, accepted_values, range, row_count, freshness', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', csv.replace('Regol,x', 'Regol,3'));
    project.addPipeline(
      'uji-cek',
      baseSpec({
        schema: { primary_key: [], fields: schema.fields.map((f) => ({ ...f, constraints: undefined })) },
        checks: [
          { type: 'not_null', columns: ['kecamatan'] },
          { type: 'unique', columns: ['kecamatan'], name: 'kecamatan unik' },
          { type: 'accepted_values', column: 'kategori', values: ['A', 'B'] },
          { type: 'range', column: 'jumlah', min: 0, max: 11 },
          { type: 'row_count', min: 30 },
          { type: 'freshness', column: 'tanggal', max_age_days: 7 },
          { type: 'unique', columns: ['kecamatan', 'jumlah'], severity: 'warn', name: 'pasangan unik' },
        ],
      }),
    );
    const { record, exitCode } = await project.run('uji-cek', { now: new Date('2026-11-28T00:00:00Z') });
    expect(exitCode).toBe(1);
    expect(byRule(record.report, 'not_null:kecamatan#1').examples.map((e) => e.row)).toEqual([3]);
    expect(byRule(record.report, 'kecamatan unik').examples.map((e) => [e.row, e.found])).toEqual([
      [1, 'Andir'],
      [4, 'Andir'],
    ]);
    expect(byRule(record.report, 'accepted_values:kategori#3').examples.map((e) => [e.row, e.found])).toEqual([[3, 'Z']]);
    expect(byRule(record.report, 'range:jumlah#4').examples.map((e) => [e.row, e.found])).toEqual([
      [2, '-5'],
      [4, '12'],
    ]);
    expect(byRule(record.report, 'row_count:table#5').examples[0]).toMatchObject({ expected: '>= 30 rows', found: '5 rows' });
    expect(byRule(record.report, 'freshness:tanggal#6').examples[0]).toMatchObject({ found: '2026-11-05 (23 days old)' });
    expect(record.report.find((r) => r.rule === 'pasangan unik')).toBeUndefined();
    expect(record.checks.map((c) => c.status)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail', 'fail', 'pass']);
  });

  test('a warning does not stop publishing', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,10\nCibiru,500\n');
    project.addPipeline('uji-warn', baseSpec({ checks: [{ type: 'range', column: 'jumlah', max: 100, severity: 'warn' }] }));
    const { record, exitCode } = await project.run('uji-warn');
    expect(exitCode).toBe(0);
    expect(record.status).toBe('published');
    expect(record.report[0]).toMatchObject({ severity: 'warn', count: 1 });
  });

  test('more than 100 violations: the first 100 are kept and the total is counted', async () => {
    const project = createProject();
    const lines = ['kecamatan,jumlah', ...Array.from({ length: 250 }, (_, i) => `K${i},${i % 2 === 0 ? 'x' : i}`)];
    project.writeFile('datasets/data.csv', lines.join('\n'));
    project.addPipeline('uji-banyak', baseSpec());
    const { record } = await project.run('uji-banyak');
    const type = byRule(record.report, 'type');
    expect(type.count).toBe(125);
    expect(type.examples).toHaveLength(100);
    expect(type.examples[0]).toMatchObject({ row: 1, found: 'x' });
    expect(type.examples[99]).toMatchObject({ row: 199 });
  });

  test('relationships: values must exist in another published dataset', async () => {
    const project = createProject();
    project.writeFile('datasets/kecamatan.csv', 'kecamatan,jumlah\nAndir,1\nCibiru,2\n');
    project.addPipeline('kecamatan-ref', baseSpec({ source: { path: 'datasets/kecamatan.csv', format: 'csv' } }));
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\nCibiru,2\nAntah Berantah,3\n');
    const spec = baseSpec({ checks: [{ type: 'relationships', column: 'kecamatan', to: 'kecamatan-ref', field: 'kecamatan' }] });
    project.addPipeline('uji-relasi', spec);

    const before = await project.run('uji-relasi');
    expect(before.exitCode).toBe(1);
    expect(before.record.report[0]!.examples[0]).toMatchObject({ expected: 'a published dataset "kecamatan-ref"', found: 'not published' });

    const cli = await project.cli(['run', '--all']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('kecamatan-ref: published');
    expect(cli.stdout).toContain('row 3: expected a value of kecamatan-ref.kecamatan, found "Antah Berantah"');
  });

  test('the CLI prints violations in Indonesian by default', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,sepuluh\n');
    project.addPipeline('uji-cli', baseSpec());
    const result = await project.cli(['validate', 'uji-cli'], { KOTA_LOCALE: 'id' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('uji-cli: gagal pemeriksaan');
    expect(result.stdout).toContain('baris 1: diharapkan integer, ditemukan "sepuluh"');
  });
});
