import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCurrent } from '../../src/lib/server/lake/read.ts';
import { baseSpec, createProject, REPO_ROOT, type TestProject } from '../helpers/pipeline-project.ts';
import { readPublished } from '../helpers/read-parquet.ts';

/**
 * An empty or shrunken source must not replace good data (issue 8 finding 8): a header-only CSV once published
 * 0 rows over 64 with exit 0, and a 0-byte file exited 1 instead of 2.
 */
const rows = (n: number) => ['kecamatan,jumlah', ...Array.from({ length: n }, (_, i) => `Kecamatan ${i + 1},${i}`)].join('\n') + '\n';

async function published64(spec: Record<string, unknown> = {}): Promise<{ project: TestProject; version: string }> {
  const project = createProject();
  project.writeFile('datasets/data.csv', rows(64));
  project.addPipeline('uji-kosong', baseSpec(spec));
  const first = await project.run('uji-kosong');
  expect(first.record.status).toBe('published');
  return { project, version: first.record.version! };
}

describe('empty sources', () => {
  test('a header-only CSV is refused (exit 1) and the 64-row version keeps serving', async () => {
    const { project, version } = await published64();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\n');
    const outcome = await project.run('uji-kosong');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.record.status).toBe('failed');
    expect(outcome.record.report).toEqual([
      {
        rule: 'empty',
        severity: 'error',
        count: 1,
        examples: [
          {
            rule: 'empty',
            expected: 'at least 1 row (publish.allow_empty: true in pipeline.yaml publishes an empty result)',
            found: '0 rows',
            message: 'the result has no rows',
          },
        ],
      },
    ]);
    expect((await readCurrent('uji-kosong'))!.version).toBe(version);
    expect(await readPublished('uji-kosong')).toHaveLength(64);
  });

  test('the CLI says so in Indonesian by default', async () => {
    const { project } = await published64();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\n');
    const cli = await project.cli(['run', 'uji-kosong'], { KOTA_LOCALE: 'id' });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('uji-kosong: gagal pemeriksaan');
    expect(cli.stdout).toContain('Aturan empty: 1 pelanggaran');
    expect(cli.stdout).toContain('diharapkan paling sedikit 1 baris (publish.allow_empty: true di pipeline.yaml menerbitkan hasil kosong), ditemukan 0 baris');
  });

  test('a 0-byte file is a bad source: exit 2', async () => {
    const { project, version } = await published64();
    project.writeFile('datasets/data.csv', '');
    const outcome = await project.run('uji-kosong');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toBe('source.path: "datasets/data.csv" is empty (0 bytes); expected a file with a header and rows');
    expect((await readCurrent('uji-kosong'))!.version).toBe(version);
  });

  test('publish.allow_empty: true publishes an empty first version', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\n');
    project.addPipeline('uji-kosong', baseSpec({ publish: { allow_empty: true } }));
    const outcome = await project.run('uji-kosong');
    expect(outcome.record).toMatchObject({ status: 'published', rows: 0 });
    expect(await readPublished('uji-kosong')).toEqual([]);
  });
});

describe('a sharp drop in rows is held', () => {
  test('64 → 20 rows (69% fewer) is held with a message naming --force; --force publishes it', async () => {
    const { project, version } = await published64();
    project.writeFile('datasets/data.csv', rows(20));
    const held = await project.cli(['run', 'uji-kosong']);
    expect(held.code).toBe(1);
    expect(held.stdout).toContain('Rule row_drop: 1 violation(s)');
    expect(held.stdout).toContain(`expected at most 50% fewer rows than the current version ${version} (64 rows); run again with --force to publish anyway, found 20 rows (68.8% fewer)`);
    expect((await readCurrent('uji-kosong'))!.version).toBe(version);

    const forced = await project.cli(['run', 'uji-kosong', '--force']);
    expect(forced.code).toBe(0);
    expect(await readPublished('uji-kosong')).toHaveLength(20);
  });

  test('64 → 40 rows (37.5% fewer) publishes', async () => {
    const { project } = await published64();
    project.writeFile('datasets/data.csv', rows(40));
    expect((await project.run('uji-kosong')).record.status).toBe('published');
  });

  test('the share is configurable: per spec (publish.max_row_drop) and per deployment (pipelines.max_row_drop)', async () => {
    const strict = await published64({ publish: { max_row_drop: 0.2 } });
    strict.project.writeFile('datasets/data.csv', rows(40));
    const held = await strict.project.run('uji-kosong');
    expect(held.exitCode).toBe(1);
    expect(held.record.report[0]!.examples[0]!.expected).toContain('at most 20% fewer rows');

    const lenient = await published64();
    const config = readFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), 'utf8').replace('max_row_drop: 0.5', 'max_row_drop: 0.9');
    lenient.project.writeFile('kota.config.yaml', config);
    lenient.project.writeFile('datasets/data.csv', rows(20));
    const cli = await lenient.project.cli(['run', 'uji-kosong']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('uji-kosong: published');
  });

  test('validate reports the hold too, and publishes nothing', async () => {
    const { project, version } = await published64();
    project.writeFile('datasets/data.csv', rows(10));
    const cli = await project.cli(['validate', 'uji-kosong']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('row_drop');
    expect((await readCurrent('uji-kosong'))!.version).toBe(version);
  });
});
