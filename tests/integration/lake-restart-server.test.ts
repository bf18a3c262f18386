import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listVersions, readCurrent } from '../../src/lib/server/lake/read.ts';
import { readChanges } from '../../src/lib/server/lake/changes.ts';
import { isProcessAlive } from '../../src/lib/server/process-alive.ts';
import { baseSpec, createProject, REPO_ROOT, type TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { removeDir } from '../helpers/temp.ts';

/**
 * What a restarted server finds in a lake with history (issue 8 findings 7, 10 and 14): twelve versions whose
 * change summaries were stored at publish, one orphan version left by a publish killed before its pointer switch,
 * and a download cache with leftovers (a partial file of a dead writer, files of versions that are gone).
 */
const DATASET = 'uji-riwayat';
let project: TestProject;
let server: TestServer;
let versions: string[];
let orphan: string;
let deadPartial: string;
let deadFiltered: string;
const cache = (...parts: string[]) => path.join(project.dataDir, 'cache', ...parts);

function csv(n: number): string {
  // Version n: ids 1..(10 + n), id 1 carries the version number (changed), id n + 1 dropped from then on (removed).
  const rows = ['id,jumlah'];
  for (let id = 1; id <= 10 + n; id++) if (id === 1 || id > n) rows.push(`${id},${id === 1 ? n : id}`);
  return rows.join('\n') + '\n';
}

function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) if (!isProcessAlive(pid)) return pid;
}

beforeAll(async () => {
  project = createProject('kota-riwayat-');
  project.addPipeline(
    DATASET,
    baseSpec({
      schema: { primary_key: ['id'], fields: [{ name: 'id', type: 'integer', title: 'Nomor' }, { name: 'jumlah', type: 'integer', title: 'Jumlah' }] },
    }),
  );
  for (let n = 1; n <= 12; n++) {
    project.writeFile('datasets/data.csv', csv(n));
    expect((await project.run(DATASET)).record.status).toBe('published');
  }
  versions = (await listVersions(DATASET)).map((m) => m.version).reverse();

  // A publish killed between renaming its folder and switching current.json.
  project.writeFile('datasets/data.csv', csv(13));
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'src/cli/pipeline.ts'), 'run', DATASET], {
    cwd: project.root,
    env: { ...process.env, ...project.env(), KOTA_PAUSE_AT: 'after-version-renamed' },
  });
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('PAUSED') && resolve()));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('exit', resolve));
  orphan = readdirSync(path.join(project.dataDir, 'lake', DATASET)).find((e) => /^[0-9a-f]{16}$/.test(e) && !versions.includes(e))!;

  // Only the current version's Parquet stays: a page that diffed two versions now would find no files.
  for (const v of versions.slice(1)) rmSync(path.join(project.dataDir, 'lake', DATASET, v, 'data.parquet'));

  // Cache leftovers: a dead writer's partial file, a version that is gone, a dataset that is gone; one file to keep.
  const keep = cache('exports', DATASET, versions[0]!, 'data.json');
  mkdirSync(path.dirname(keep), { recursive: true });
  writeFileSync(keep, '[]');
  deadPartial = cache('exports', DATASET, versions[0]!, `data.csv.${deadPid()}.partial`);
  writeFileSync(deadPartial, 'id,jumlah\n1,');
  // A filtered download a killed server was still writing (DATA_DIR/tmp/exports/<dataset>-<version>-<hash>-<pid>-…).
  deadFiltered = path.join(project.dataDir, 'tmp/exports', `${DATASET}-${versions[0]}-${'a'.repeat(16)}-${deadPid()}-1700000000000-abcd.csv`);
  mkdirSync(path.dirname(deadFiltered), { recursive: true });
  writeFileSync(deadFiltered, 'id,jumlah\n');
  for (const dir of [cache('exports', DATASET, 'ffffffffffffffff'), cache('exports', 'sudah-dihapus', 'aaaaaaaaaaaaaaaa'), cache('diffs', DATASET, 'ffffffffffffffff')]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'data.csv'), 'x');
  }

  server = await startTestServer({ dataDir: project.dataDir, env: project.env() });
});

afterAll(async () => {
  await server?.stop();
  removeDir(project?.root);
});

describe('after a restart', () => {
  test('finding 7: each version carries the summary its run stored; the first view shows ten of them without a scan', async () => {
    expect(await readChanges(DATASET, versions[0]!)).toMatchObject({ from: versions[1], to: versions[0], primaryKey: ['id'], added: 1, removed: 1, changed: 1 });
    expect(await readChanges(DATASET, versions[11]!)).toBeNull();
    const page = await server.get(`/datasets/${DATASET}`);
    expect(page.status).toBe(200);
    // Every summary shown although no older version's Parquet exists any more: none was computed from data.
    expect(page.text.match(/\+1 baris, −1 baris, 1 berubah/g)).toHaveLength(10);
    expect(page.text).not.toContain('tidak tersedia');
  });

  test('finding 14: the orphan version is neither listed nor served', async () => {
    expect(orphan).toMatch(/^[0-9a-f]{16}$/);
    const api = await server.get(`/api/v1/datasets/${DATASET}`);
    const body = JSON.parse(api.text) as { versions: { version: string }[] };
    expect(body.versions.map((v) => v.version)).toEqual(versions);
    expect(api.text).not.toContain(orphan);
    expect((await server.get(`/api/v1/datasets/${DATASET}/versions/${orphan}/download.csv`)).status).toBe(404);
    expect((await server.get(`/datasets/${DATASET}/versions/${orphan}`)).status).toBe(404);
    expect((await readCurrent(DATASET))!.version).toBe(versions[0]);
  });

  test('finding 10: partial files of a dead writer and files of versions that are gone are removed at start', async () => {
    expect(existsSync(deadPartial)).toBe(false);
    expect(existsSync(deadFiltered)).toBe(false);
    expect(readdirSync(cache('exports', DATASET, versions[0]!))).toContain('data.json');
    expect(existsSync(cache('exports', DATASET, 'ffffffffffffffff'))).toBe(false);
    expect(existsSync(cache('exports', 'sudah-dihapus'))).toBe(false);
    expect(existsSync(cache('diffs', DATASET, 'ffffffffffffffff'))).toBe(false);
  });

  test('finding 14: the next run removes the orphan folder', async () => {
    project.writeFile('datasets/data.csv', csv(14));
    expect((await project.run(DATASET)).record.status).toBe('published');
    expect(existsSync(path.join(project.dataDir, 'lake', DATASET, orphan))).toBe(false);
  });
});
