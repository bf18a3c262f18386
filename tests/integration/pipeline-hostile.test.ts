import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCurrent } from '../../src/lib/server/lake/read.ts';
import { extractSource } from '../../src/lib/server/pipelines/extract.ts';
import type { SourceSpec } from '../../src/lib/server/pipelines/spec.ts';
import { openStaging } from '../../src/lib/server/pipelines/staging.ts';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { readPublished } from '../helpers/read-parquet.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * A pipeline spec and its transform.sql are untrusted input (issue 8 finding 6): officials will write them through
 * the site. Each attack here once published a file's content or quoted it in a report; now each is refused with a
 * message naming what is not allowed, and nothing is published. The list only grows.
 */

const KECAMATAN = 'kecamatan,jumlah\nAndir,1\nCibiru,2\n';

function projectWith(transform: string, spec: Record<string, unknown> = {}): TestProject {
  const project = createProject();
  project.writeFile('datasets/data.csv', KECAMATAN);
  project.addPipeline('uji-serang', baseSpec(spec), transform);
  return project;
}

/** A restricted dataset in the same lake, as aduan-warga is in the demo. */
async function withRestricted(project: TestProject): Promise<void> {
  project.writeFile('datasets/rahasia.csv', 'kecamatan,jumlah\nRahasia,99\n');
  project.addPipeline('data-rahasia', baseSpec({ classification: 'terbatas', source: { path: 'datasets/rahasia.csv', format: 'csv' } }));
  expect((await project.run('data-rahasia')).record.status).toBe('published');
}

describe('transform.sql goes through the SQL policy', () => {
  const refused: [string, string, string][] = [
    ['read_text of a system file', "SELECT trim(content) AS kecamatan, 1 AS jumlah FROM read_text('/etc/hostname')", 'table functions such as read_text'],
    ['read_csv of a system file', "SELECT column0 AS kecamatan, 1 AS jumlah FROM read_csv('/etc/passwd', header = false)", 'table functions such as read_csv'],
    ['a glob over the lake', "SELECT name AS kecamatan, 1 AS jumlah FROM glob('/**')", 'table functions such as glob'],
    ['settings as a table', 'SELECT name AS kecamatan, 1 AS jumlah FROM duckdb_settings()', 'table functions such as duckdb_settings'],
    ['a system view', 'SELECT name AS kecamatan, 1 AS jumlah FROM pg_settings', 'unknown table "pg_settings"'],
    ['a qualified system table', 'SELECT table_name AS kecamatan, 1 AS jumlah FROM information_schema.tables', 'unknown table "information_schema.tables"'],
    ['a setting read by a function', "SELECT current_setting('allowed_paths')::VARCHAR AS kecamatan, 1 AS jumlah FROM source", 'current_setting() is not allowed'],
    ['a table of the runner', 'SELECT * FROM typed', 'unknown table "typed"'],
    ['a CTE named after the system view it reads', 'WITH pg_settings AS (SELECT * FROM pg_settings) SELECT name AS kecamatan, 1 AS jumlah FROM pg_settings', 'unknown table "pg_settings"'],
    ['a materialized CTE over a system table', 'WITH duckdb_tables AS MATERIALIZED (SELECT * FROM duckdb_tables) SELECT table_name AS kecamatan, 1 AS jumlah FROM duckdb_tables', 'unknown table "duckdb_tables"'],
    ['COPY to a file', "COPY source TO '/tmp/kota-bocor.csv'", 'COPY statements are not allowed'],
    ['ATTACH of a database', "ATTACH '/tmp/kota-bocor.duckdb'", 'ATTACH statements are not allowed'],
    ['SET after a comment', '-- harmless\nSET enable_external_access = true', 'SET statements are not allowed'],
    ['two statements', 'SELECT * FROM source; DROP TABLE source', 'expected one SELECT statement, found 2 statements'],
  ];

  test.each(refused)('%s is refused (exit 2) and publishes nothing', async (_name, transform, message) => {
    const project = projectWith(transform);
    const outcome = await project.run('uji-serang');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.status).toBe('error');
    expect(outcome.record.error).toContain(`transform.sql: `);
    expect(outcome.record.error).toContain(message);
    expect(outcome.record.error).not.toContain(hostname());
    expect(await readCurrent('uji-serang')).toBeNull();
  });

  test("another dataset's Parquet in the lake cannot be read, even by its exact path", async () => {
    const project = createProject();
    await withRestricted(project);
    const current = (await readCurrent('data-rahasia'))!.version;
    const file = path.join(project.dataDir, 'lake/data-rahasia', current, 'data.parquet');
    project.writeFile('datasets/data.csv', KECAMATAN);
    project.addPipeline('uji-serang', baseSpec(), `SELECT kecamatan, jumlah FROM read_parquet('${file}')`);
    const outcome = await project.run('uji-serang');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toContain('table functions such as read_parquet');
    expect(await readCurrent('uji-serang')).toBeNull();
  });

  test('a dataset listed under inputs: is readable by its name; one that is not listed is an unknown table', async () => {
    const project = createProject();
    project.writeFile('datasets/luas.csv', 'kecamatan,luas\nAndir,4\nCibiru,6\n');
    project.addPipeline('uji-luas', baseSpec({
      source: { path: 'datasets/luas.csv', format: 'csv' },
      schema: { primary_key: ['kecamatan'], fields: [{ name: 'kecamatan', type: 'string', title: 'Kecamatan' }, { name: 'luas', type: 'integer', title: 'Luas' }] },
    }));
    expect((await project.run('uji-luas')).record.status).toBe('published');
    project.writeFile('datasets/data.csv', KECAMATAN);
    const join = 'SELECT s.kecamatan, s.jumlah * l.luas AS jumlah FROM source s JOIN "uji-luas" l USING (kecamatan) ORDER BY 1';
    project.addPipeline('uji-gabung', baseSpec(), join);
    const undeclared = await project.run('uji-gabung');
    expect(undeclared.exitCode).toBe(2);
    expect(undeclared.record.error).toContain('unknown table "uji-luas"; transform.sql reads "source"');
    expect(undeclared.record.error).toContain('inputs:');

    project.addPipeline('uji-gabung', baseSpec({ inputs: ['uji-luas'] }), join);
    const declared = await project.run('uji-gabung');
    expect(declared.record).toMatchObject({ status: 'published', error: null });
    expect(await readPublished('uji-gabung')).toEqual([
      { kecamatan: 'Andir', jumlah: '4' },
      { kecamatan: 'Cibiru', jumlah: '12' },
    ]);
    // A new version of the input is a new input: the run is not "unchanged".
    project.writeFile('datasets/luas.csv', 'kecamatan,luas\nAndir,5\nCibiru,6\n');
    await project.run('uji-luas');
    expect((await project.run('uji-gabung')).record.status).toBe('published');
    expect((await readPublished('uji-gabung'))[0]).toEqual({ kecamatan: 'Andir', jumlah: '5' });
  });

  test('a terbuka dataset cannot read a terbatas one, as an input or through a relationships check', async () => {
    const project = createProject();
    await withRestricted(project);
    project.writeFile('datasets/data.csv', KECAMATAN);
    project.addPipeline('uji-serang', baseSpec({ inputs: ['data-rahasia'] }), 'SELECT kecamatan, jumlah FROM "data-rahasia"');
    const input = await project.run('uji-serang');
    expect(input.exitCode).toBe(2);
    expect(input.record.error).toContain('inputs[0]: "data-rahasia" is terbatas (restricted); a terbuka (public) dataset cannot read it');
    project.addPipeline('uji-serang', baseSpec({ checks: [{ type: 'relationships', column: 'kecamatan', to: 'data-rahasia', field: 'kecamatan' }] }));
    const check = await project.run('uji-serang');
    expect(check.exitCode).toBe(2);
    expect(check.record.error).toContain('checks[0] (relationships): "data-rahasia" is terbatas');
    expect(await readCurrent('uji-serang')).toBeNull();
    // A terbatas dataset may read another terbatas one.
    project.addPipeline('uji-serang', baseSpec({ classification: 'terbatas', inputs: ['data-rahasia'] }), 'SELECT kecamatan, jumlah FROM "data-rahasia"');
    expect((await project.run('uji-serang')).record.status).toBe('published');
  });
});

describe('source paths', () => {
  test('a link in datasets/ to /etc/passwd is refused before it is read, and nothing of it is reported', async () => {
    const project = createProject();
    symlinkSync('/etc/passwd', path.join(project.root, 'datasets/data.csv'));
    project.addPipeline('uji-serang', baseSpec());
    const outcome = await project.run('uji-serang');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toBe('source.path: "datasets/data.csv" is a link to a file outside datasets/; expected a file under datasets/ in the project');
    const firstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    expect(JSON.stringify(outcome.record)).not.toContain(firstLine.split(':')[0] + ':');
    expect(await readCurrent('uji-serang')).toBeNull();
  });

  test('a link to a folder outside datasets/ is refused too', async () => {
    const project = createProject();
    symlinkSync('/etc', path.join(project.root, 'datasets/etc'));
    project.addPipeline('uji-serang', baseSpec({ source: { path: 'datasets/etc/passwd', format: 'csv' } }));
    const outcome = await project.run('uji-serang');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toContain('is a link to a file outside datasets/');
  });

  test.each(['../../../etc/passwd', 'kota.config.yaml', 'data/lake/x/current.json', '/etc/passwd'])('source.path %s outside datasets/ is refused', async (where) => {
    const project = createProject();
    project.addPipeline('uji-serang', baseSpec({ source: { path: where, format: 'csv' } }));
    const outcome = await project.run('uji-serang');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toBe(`source.path: expected a file under datasets/ in the project, found "${where}"`);
  });

  test('a source swapped for a link after it was checked fails the run', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', KECAMATAN);
    Object.assign(process.env, project.env());
    const source = await extractSource(baseSpec().source as SourceSpec, path.join(project.dataDir, 'tmp/uji'));
    await source.verifyUnchanged!();
    rmSync(path.join(project.root, 'datasets/data.csv'));
    symlinkSync('/etc/passwd', path.join(project.root, 'datasets/data.csv'));
    await expect(source.verifyUnchanged!()).rejects.toThrow('source.path: "datasets/data.csv" was replaced while it was being read; run again');
  });

  test('a link inside datasets/ to another file there is fine', async () => {
    const project = createProject();
    project.writeFile('datasets/asli/data.csv', KECAMATAN);
    symlinkSync(path.join(project.root, 'datasets/asli/data.csv'), path.join(project.root, 'datasets/data.csv'));
    project.addPipeline('uji-tautan', baseSpec());
    expect((await project.run('uji-tautan')).record.status).toBe('published');
  });
});

describe("the runner's engine (the second wall)", () => {
  test('reads only the files it is given, writes only its own folders and cannot be reconfigured', async () => {
    const root = makeTempDir('kota-staging-');
    try {
      const source = path.join(root, 'data.csv');
      const staged = path.join(root, 'staging');
      const { writeFileSync, mkdirSync } = await import('node:fs');
      writeFileSync(source, KECAMATAN);
      mkdirSync(staged);
      const staging = await openStaging(path.join(root, 'scratch'), { readFiles: [source], writeDirs: [staged] });
      const q = (sql: string) => staging.conn.runAndReadAll(sql).then((r) => r.getRowObjectsJson());
      try {
        expect(await q(`SELECT count(*)::INTEGER AS n FROM read_csv('${source}')`)).toEqual([{ n: 2 }]);
        await q(`COPY (SELECT 1 AS x) TO '${staged}/data.parquet' (FORMAT parquet)`);
        expect(await q(`SELECT x FROM read_parquet('${staged}/data.parquet')`)).toEqual([{ x: 1 }]);
        for (const attack of [
          "SELECT * FROM read_text('/etc/hostname')",
          `SELECT * FROM read_csv('${root}/../${path.basename(root)}/data.csv.other')`,
          `COPY (SELECT 1) TO '${root}/elsewhere.csv'`,
          "ATTACH '/tmp/kota-bocor.duckdb'",
          "SELECT * FROM glob('/etc/*')",
        ]) {
          await expect(q(attack), attack).rejects.toThrow(/Permission Error|disabled by configuration/);
        }
        await expect(q('SET enable_external_access = true')).rejects.toThrow(/configuration has been locked/);
        await expect(q("INSTALL spatial")).rejects.toThrow();
      } finally {
        staging.close();
      }
    } finally {
      removeDir(root);
    }
  });
});

describe('bad specs say what is wrong, never with a stack trace', () => {
  test('a YAML alias bomb: "too many aliases" with the file (exit 2)', async () => {
    const project = createProject();
    project.addPipeline('uji-bom', baseSpec());
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    project.writeFile('pipelines/uji-bom/pipeline.yaml', bomb.join('\n') + '\n');
    const cli = await project.cli(['run', 'uji-bom']);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toContain('pipelines/uji-bom/pipeline.yaml: invalid pipeline spec');
    expect(cli.stdout).toContain('(YAML) too many aliases');
    expect(cli.stdout + cli.stderr).not.toMatch(/\n\s+at /);
  });
});
