import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { listVersions, readCurrent, versionDataPath } from '../../src/lib/server/lake/read.ts';
import { sha256File } from '../../src/lib/server/pipelines/extract.ts';
import { baseSpec, createProject, REPO_ROOT, type TestProject } from '../helpers/pipeline-project.ts';
import { readPublished } from '../helpers/read-parquet.ts';

function lakeSnapshot(project: TestProject, id: string): Record<string, string> {
  const dir = path.join(project.dataDir, 'lake', id);
  const snapshot: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else snapshot[path.relative(dir, full)] = readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return snapshot;
}

async function publishedTwice(): Promise<{ project: TestProject; v1: string; v2: string }> {
  const project = createProject();
  project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\n');
  project.addPipeline('uji-lake', baseSpec());
  const first = await project.run('uji-lake');
  project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\nCibiru,2\n');
  const second = await project.run('uji-lake');
  return { project, v1: first.record.version!, v2: second.record.version! };
}

/** Runs the CLI with a pause point and kills it there with SIGKILL. */
async function killAt(project: TestProject, point: string): Promise<void> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'src/cli/pipeline.ts'), 'run', 'uji-lake'], {
    cwd: project.root,
    env: { ...process.env, ...project.env(), KOTA_PAUSE_AT: point },
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes(`PAUSED ${point}`) && resolve());
    child.on('exit', (code) => reject(new Error(`runner exited (${code}) before reaching ${point}`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('exit', resolve));
}

describe('the lake', () => {
  test('invariant 1: published versions never change and their id is derived from content', async () => {
    const { project, v1, v2 } = await publishedTwice();
    expect(v1).toMatch(/^[0-9a-f]{16}$/);
    expect(v2).not.toBe(v1);
    const v1Sha = await sha256File(versionDataPath('uji-lake', v1));
    const v1Manifest = readFileSync(path.join(project.dataDir, 'lake/uji-lake', v1, 'manifest.json'), 'utf8');
    // A third version, then a return to the first content: v1's files are reused, not rewritten.
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\n');
    const third = await project.run('uji-lake');
    expect(third.record.version).toBe(v1);
    expect(await sha256File(versionDataPath('uji-lake', v1))).toBe(v1Sha);
    expect(readFileSync(path.join(project.dataDir, 'lake/uji-lake', v1, 'manifest.json'), 'utf8')).toBe(v1Manifest);
    expect((await listVersions('uji-lake')).map((m) => m.version).sort()).toEqual([v1, v2].sort());

    // The same content in another lake gets the same id.
    const other = createProject();
    other.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\n');
    other.addPipeline('uji-lake', baseSpec());
    expect((await other.run('uji-lake')).record.version).toBe(v1);
  });

  test('a metadata change publishes a new version even when the data is the same', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\n');
    project.addPipeline('uji-meta', baseSpec());
    const first = await project.run('uji-meta');
    project.addPipeline('uji-meta', baseSpec({ description: 'Deskripsi yang diperbarui; tetap data contoh, bukan statistik resmi.' }));
    const second = await project.run('uji-meta');
    expect(second.record.status).toBe('published');
    expect(second.record.version).not.toBe(first.record.version);
  });

  test('invariant 3: re-running on an unchanged source publishes nothing', async () => {
    const { project, v2 } = await publishedTwice();
    const before = lakeSnapshot(project, 'uji-lake');
    const pointerMtime = statSync(path.join(project.dataDir, 'lake/uji-lake/current.json')).mtimeMs;
    const again = await project.run('uji-lake');
    expect(again.record.status).toBe('unchanged');
    expect(again.record.version).toBe(v2);
    expect(lakeSnapshot(project, 'uji-lake')).toEqual(before);
    expect(statSync(path.join(project.dataDir, 'lake/uji-lake/current.json')).mtimeMs).toBe(pointerMtime);
    const cli = await project.cli(['run', '--all']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('uji-lake: unchanged');
    expect(cli.stdout).toContain('Done: 0 published, 1 unchanged, 0 failed checks, 0 errors.');
  });

  test('invariant 2: a bad source or a failed check changes nothing that is published', async () => {
    const { project, v2 } = await publishedTwice();
    const before = lakeSnapshot(project, 'uji-lake');
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,satu\n');
    expect((await project.run('uji-lake')).exitCode).toBe(1);
    rmSync(path.join(project.root, 'datasets/data.csv'));
    const missing = await project.run('uji-lake');
    expect(missing.exitCode).toBe(2);
    expect(missing.record.error).toContain('source.path: cannot read "datasets/data.csv": ENOENT');
    expect(lakeSnapshot(project, 'uji-lake')).toEqual(before);
    expect((await readCurrent('uji-lake'))!.version).toBe(v2);
  });

  test.each(['after-staging-written', 'after-version-renamed', 'before-pointer-renamed'])(
    'invariant 2: a runner killed with SIGKILL %s leaves the previous version serving',
    async (point) => {
      const { project, v2 } = await publishedTwice();
      project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\nCibiru,2\nRegol,3\n');
      await killAt(project, point);

      expect((await readCurrent('uji-lake'))!.version).toBe(v2);
      expect(await readPublished('uji-lake')).toHaveLength(2);
      for (const m of await listVersions('uji-lake')) expect(await sha256File(versionDataPath('uji-lake', m.version))).toBe(m.data.sha256);

      const next = await project.run('uji-lake');
      expect(next.exitCode).toBe(0);
      expect(next.record.status).toBe('published');
      expect(await readPublished('uji-lake')).toHaveLength(3);
      expect(readdirSync(path.join(project.dataDir, 'lake/uji-lake')).filter((e) => e.startsWith('.'))).toEqual([]);
    },
  );

  test('issue 8 finding 14: a version renamed by a publish killed before the pointer switch is never listed, and the next run removes it', async () => {
    const { project, v1, v2 } = await publishedTwice();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\nCibiru,2\nRegol,3\n');
    await killAt(project, 'after-version-renamed');
    const folders = () => readdirSync(path.join(project.dataDir, 'lake/uji-lake'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    const orphan = folders().find((v) => v !== v1 && v !== v2 && !v.startsWith('.'))!;
    expect(orphan).toMatch(/^[0-9a-f]{16}$/);
    expect((await listVersions('uji-lake')).map((m) => m.version).sort()).toEqual([v1, v2].sort());

    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\nCibiru,2\nRegol,3\nSumur Bandung,4\n');
    const next = await project.run('uji-lake');
    expect(next.record.status).toBe('published');
    expect(folders()).not.toContain(orphan);
    expect((await listVersions('uji-lake')).map((m) => m.version).sort()).toEqual([v1, v2, next.record.version!].sort());
  });

  test('a publish killed after the pointer switch but before it was logged: the current version is listed and logged by the next run', async () => {
    const { project, v1, v2 } = await publishedTwice();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\nCibiru,2\nRegol,3\n');
    await killAt(project, 'after-pointer-renamed');
    const current = (await readCurrent('uji-lake'))!.version;
    expect([v1, v2]).not.toContain(current);
    expect((await listVersions('uji-lake')).map((m) => m.version).sort()).toEqual([v1, v2, current].sort());
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,9\nCibiru,2\nRegol,3\n');
    await project.run('uji-lake');
    expect(readFileSync(path.join(project.dataDir, 'lake/uji-lake/published.log'), 'utf8')).toContain(`"version":"${current}"`);
    expect((await listVersions('uji-lake')).map((m) => m.version)).toContain(current);
  });

  test('a dataset published before the log existed keeps every version listed; its next run writes the log', async () => {
    const { project, v1, v2 } = await publishedTwice();
    rmSync(path.join(project.dataDir, 'lake/uji-lake/published.log'));
    expect((await listVersions('uji-lake')).map((m) => m.version).sort()).toEqual([v1, v2].sort());
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,7\n');
    const next = await project.run('uji-lake');
    const log = readFileSync(path.join(project.dataDir, 'lake/uji-lake/published.log'), 'utf8');
    for (const v of [v1, v2, next.record.version!]) expect(log).toContain(`"version":"${v}"`);
  });

  test('history lists every run with its report, newest first', async () => {
    const { project } = await publishedTwice();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,-\nAndir,2\n');
    await project.run('uji-lake');
    const history = await project.cli(['history', 'uji-lake']);
    expect(history.code).toBe(0);
    const statuses = [...history.stdout.matchAll(/uji-lake: (published|unchanged|failed checks|error)/g)].map((m) => m[1]);
    expect(statuses).toEqual(['failed checks', 'published', 'published']);
    expect(history.stdout).toContain('Rule primary_key (column kecamatan): 2 violation(s)');
  });

  test('keep_versions prunes old versions but never the current one', async () => {
    const project = createProject();
    project.writeFile('kota.config.yaml', readFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), 'utf8').replace('keep_versions: 0', 'keep_versions: 2'));
    project.addPipeline('uji-prune', baseSpec());
    const versions: string[] = [];
    for (let n = 1; n <= 4; n++) {
      project.writeFile('datasets/data.csv', `kecamatan,jumlah\nAndir,${n}\n`);
      versions.push((await project.run('uji-prune')).record.version!);
    }
    expect((await listVersions('uji-prune')).map((m) => m.version)).toEqual(versions.slice(2));
  });
});

describe('the two load paths', () => {
  test('a clean source (streamed straight to Parquet) and the same rows through transform.sql publish the same content', async () => {
    const csv = 'kecamatan,jumlah\nAndir,1\nCibiru,2\nRegol,\n';
    const direct = createProject();
    direct.writeFile('datasets/data.csv', csv);
    direct.addPipeline('uji-jalur', baseSpec());
    const a = await direct.run('uji-jalur');
    const viaTable = createProject();
    viaTable.writeFile('datasets/data.csv', csv);
    viaTable.addPipeline('uji-jalur', baseSpec(), 'SELECT kecamatan, jumlah FROM source');
    const b = await viaTable.run('uji-jalur');
    expect(a.exitCode).toBe(0);
    expect(b.exitCode).toBe(0);
    expect(await readPublished('uji-jalur')).toEqual([
      { kecamatan: 'Andir', jumlah: '1' },
      { kecamatan: 'Cibiru', jumlah: '2' },
      { kecamatan: 'Regol', jumlah: null },
    ]);
    expect(a.record.rows).toBe(b.record.rows);
    expect(a.record.version).toBe(b.record.version);
  });

  test('a failed check on the streamed path leaves no staging folder and no version', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\nAndir,2\n');
    project.addPipeline('uji-jalur', baseSpec());
    const outcome = await project.run('uji-jalur');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.record.report[0]!.examples.map((e) => e.row)).toEqual([1, 2]);
    expect(readdirSync(path.join(project.dataDir, 'lake/uji-jalur'))).toEqual([]);
  });
});
