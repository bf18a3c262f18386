import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { enforceCacheCap, noteCacheUse } from '../../src/lib/server/export/disk-cache.ts';
import { listVersions } from '../../src/lib/server/lake/read.ts';
import { baseSpec, createProject, REPO_ROOT, type TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { removeDir, waitFor } from '../helpers/temp.ts';

/**
 * The download cache stays bounded (issue 8 finding 10: it grew to 3.8 GB beside a 251 MB lake): files of a
 * version go when retention prunes it, and the cache as a whole is capped (KOTA_EXPORT_CACHE_MB), least recently
 * used first, without cutting a download.
 */
function cacheBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

describe('the size cap', () => {
  let project: TestProject;
  afterAll(() => removeDir(project?.root));

  test('least recently used files go first; files being written are left alone', async () => {
    project = createProject();
    Object.assign(process.env, project.env());
    const file = (name: string, bytes: number, ageSeconds: number) => {
      const full = path.join(project.dataDir, 'cache/exports/uji/0000000000000001', name);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, Buffer.alloc(bytes));
      const when = Date.now() / 1000 - ageSeconds;
      utimesSync(full, when, when);
      return full;
    };
    const oldest = file('data.csv', 400, 300);
    const older = file('data.json', 400, 200);
    const old = file('data.arrow', 400, 100);
    const writing = file(`data.ndjson.${process.pid}.partial`, 400, 400);
    noteCacheUse(oldest); // served just now: the most recently used, whatever its mtime says
    await enforceCacheCap(900);
    expect([oldest, older, old, writing].map((f) => existsSync(f))).toEqual([true, false, true, true]);
    await enforceCacheCap(500);
    expect([oldest, older, old, writing].map((f) => existsSync(f))).toEqual([true, false, false, true]);
  });
});

describe('on a running server', () => {
  const DATASET = 'uji-cache';
  let project: TestProject;
  let server: TestServer;
  const rows = (n: number) => ['id,teks', ...Array.from({ length: 20_000 }, (_, i) => `${i + 1},versi ${n} baris ${i + 1} dengan teks pengisi`)].join('\n') + '\n';

  beforeAll(async () => {
    project = createProject('kota-cache-');
    project.writeFile('kota.config.yaml', readFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), 'utf8').replace('keep_versions: 0', 'keep_versions: 3'));
    project.addPipeline(DATASET, baseSpec({ schema: { primary_key: ['id'], fields: [{ name: 'id', type: 'integer', title: 'Nomor' }, { name: 'teks', type: 'string', title: 'Teks' }] } }));
    for (let n = 1; n <= 3; n++) {
      project.writeFile('datasets/data.csv', rows(n));
      expect((await project.run(DATASET)).record.status).toBe('published');
    }
    server = await startTestServer({ dataDir: project.dataDir, env: { ...project.env(), KOTA_PREWARM: 'off', KOTA_EXPORT_CACHE_MB: '1' } });
  });

  afterAll(async () => {
    await server?.stop();
    removeDir(project?.root);
  });

  test('downloads of three versions (about 0.8 MB each) keep the cache under 1 MB, each download complete', async () => {
    const exports = path.join(project.dataDir, 'cache/exports', DATASET);
    const versions = (await listVersions(DATASET)).map((m) => m.version);
    for (const [i, version] of versions.entries()) {
      const res = await server.get(`/api/v1/datasets/${DATASET}/versions/${version}/download.csv`);
      expect(res.status).toBe(200);
      expect(res.text.trimEnd().split('\n')).toHaveLength(20_001);
      expect(res.text).toContain(`versi ${i + 1} baris 20000 `);
      await waitFor(() => cacheBytes(exports) <= 1024 * 1024, { what: 'the cache to fit 1 MB' });
    }
    // The newest download is the one kept.
    expect(existsSync(path.join(exports, versions[2]!, 'data.csv'))).toBe(true);
    expect(existsSync(path.join(exports, versions[0]!, 'data.csv'))).toBe(false);
  });

  test('a version pruned by retention (run by the runner) takes its cached files with it', async () => {
    const exports = path.join(project.dataDir, 'cache/exports', DATASET);
    const before = (await listVersions(DATASET)).map((m) => m.version);
    // A cached file for the oldest version, which the next publish will prune (keep_versions: 3).
    mkdirSync(path.join(exports, before[0]!), { recursive: true });
    writeFileSync(path.join(exports, before[0]!, 'data.json'), '[]');
    project.writeFile('datasets/data.csv', rows(4));
    expect((await project.run(DATASET)).record.status).toBe('published');
    expect((await listVersions(DATASET)).map((m) => m.version)).not.toContain(before[0]);
    expect(existsSync(path.join(exports, before[0]!))).toBe(false);
  });

  test('files of a version the lake stops listing are removed by the running server on its next sync', async () => {
    const stray = path.join(project.dataDir, 'cache/exports', DATASET, 'eeeeeeeeeeeeeeee');
    mkdirSync(stray, { recursive: true });
    writeFileSync(path.join(stray, 'data.csv'), 'x');
    project.writeFile('datasets/data.csv', rows(5));
    expect((await project.run(DATASET)).record.status).toBe('published');
    await waitFor(() => !existsSync(stray), { timeoutMs: 15_000, what: 'the server to evict the unlisted version' });
  });
});
