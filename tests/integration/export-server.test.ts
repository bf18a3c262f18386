import http from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readCurrent, versionDataPath } from '../../src/lib/server/lake/read.ts';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { removeDir, waitFor } from '../helpers/temp.ts';

/**
 * Whole-version downloads through the real server, as clients see them. The server writes a download's file to
 * the socket through a few reused buffers (src/lib/server/http/file-body.ts) and sends the first CSV and Arrow
 * downloads while they are still being written, so these check what that must never change: every byte, in
 * order, for fast, slow, concurrent and interrupted clients, with the same headers, lengths and ranges as before.
 * The dataset (~6 MB of CSV, several Parquet row groups) is larger than the buffers in flight for one download.
 */
const DATASET = 'uji-unduh-server';
const ROWS = 120_000;
let project: TestProject;
let server: TestServer;
let version: string;
let expectedCsv: Buffer;
/** The ids in the published file's order (sorted by kecamatan, ties in source order). */
let expectedIds: bigint[];

function sourceCsv(): string {
  const lines = ['id,kecamatan,jumlah,rasio,tanggal,catatan'];
  const kecamatan = ['Andir', 'Coblong', 'Sukajadi', 'Cibeunying Kaler', 'Bandung Wetan'];
  for (let i = 1; i <= ROWS; i++) {
    const note = i % 7 === 0 ? '"baris dengan ""kutip"", koma"' : i % 11 === 0 ? '' : `catatan ${i}`;
    lines.push(`${i},${kecamatan[i % 5]},${(i * 37) % 10_000},${(i / 7).toFixed(4)},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${note}`);
  }
  return lines.join('\n') + '\n';
}

/** DuckDB's own COPY of the published file: what a CSV download must equal byte for byte; and its ids in order. */
async function duckdbCopy(parquet: string): Promise<{ csv: Buffer; ids: bigint[] }> {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'kota-copy-')), 'copy.csv');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const file = `'${parquet.replaceAll("'", "''")}'`;
    await conn.run(`COPY (SELECT * FROM read_parquet(${file})) TO '${out}' (FORMAT csv, HEADER true)`);
    const ids = (await conn.runAndReadAll(`SELECT id FROM read_parquet(${file})`)).getColumns()[0] as bigint[];
    // The download spans several row groups, so their order (converted in parallel for Arrow) is checked too.
    const groups = (await conn.runAndReadAll(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata(${file})`)).getColumns()[0]![0];
    expect(Number(groups)).toBeGreaterThanOrEqual(3);
    const csv = readFileSync(out);
    rmSync(path.dirname(out), { recursive: true, force: true });
    return { csv, ids };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  complete: boolean;
}

/**
 * A client reading at its own pace: `pauseEvery` bytes, then a pause of `pauseMs` (a slow phone), or as fast as it
 * can. `stopAfter` bytes: it hangs up there.
 */
function get(pathname: string, options: { headers?: Record<string, string>; pauseEvery?: number; pauseMs?: number; stopAfter?: number } = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${server.url}${pathname}`, { headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let sincePause = 0;
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        sincePause += chunk.length;
        if (options.stopAfter !== undefined && received >= options.stopAfter) {
          request.destroy();
          resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks), complete: false });
          return;
        }
        if (options.pauseEvery && sincePause >= options.pauseEvery) {
          sincePause = 0;
          response.pause();
          setTimeout(() => response.resume(), options.pauseMs ?? 5);
        }
      });
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks), complete: response.complete }));
      response.on('error', reject);
    });
    request.on('error', (error) => {
      if (options.stopAfter === undefined) reject(error);
    });
  });
}

const url = (format: string) => `/api/v1/datasets/${DATASET}/versions/${version}/download.${format}`;
const cacheDir = () => path.join(project.dataDir, 'cache/exports', DATASET, version);
const clearCache = () => rmSync(path.join(project.dataDir, 'cache/exports'), { recursive: true, force: true });
const partials = () => (existsSync(cacheDir()) ? readdirSync(cacheDir()).filter((name) => name.endsWith('.partial')) : []);

beforeAll(async () => {
  project = createProject('kota-unduh-');
  project.writeFile('datasets/data.csv', sourceCsv());
  project.addPipeline(
    DATASET,
    baseSpec({
      schema: {
        primary_key: ['id'],
        // Sorted files are published in row groups of 32,768 rows: this one has four.
        sort_by: ['kecamatan'],
        fields: [
          { name: 'id', type: 'integer', title: 'Nomor' },
          { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
          { name: 'jumlah', type: 'integer', title: 'Jumlah' },
          { name: 'rasio', type: 'number', title: 'Rasio' },
          { name: 'tanggal', type: 'date', title: 'Tanggal' },
          { name: 'catatan', type: 'string', title: 'Catatan' },
        ],
      },
    }),
  );
  expect((await project.run(DATASET)).record.status).toBe('published');
  version = (await readCurrent(DATASET))!.version;
  ({ csv: expectedCsv, ids: expectedIds } = await duckdbCopy(versionDataPath(DATASET, version)));
  server = await startTestServer({ dataDir: project.dataDir, env: { ...project.env(), KOTA_PREWARM: 'off' } });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeDir(project?.root);
});

describe('whole-version downloads through the server', () => {
  test('two concurrent first CSV downloads, one fast and one slow, both get every byte of DuckDB’s COPY; the kept file has a length', async () => {
    clearCache();
    expect(expectedCsv.length).toBeGreaterThan(4_000_000);
    const [fast, slow] = await Promise.all([get(url('csv')), get(url('csv'), { pauseEvery: 256 * 1024, pauseMs: 20 })]);
    for (const cold of [fast, slow]) {
      expect(cold.status).toBe(200);
      expect(cold.complete).toBe(true);
      // Sent while DuckDB writes it: no length yet.
      expect(cold.headers['content-length']).toBeUndefined();
      expect(cold.body.equals(expectedCsv)).toBe(true);
    }
    const warm = await get(url('csv'), { pauseEvery: 1024 * 1024, pauseMs: 10 });
    expect(warm.headers['content-length']).toBe(String(expectedCsv.length));
    expect(warm.headers['etag']).toBe(`"${version}.csv"`);
    expect(warm.headers['content-disposition']).toBe(`attachment; filename="${DATASET}-${version}.csv"`);
    expect(warm.body.equals(expectedCsv)).toBe(true);
  });

  test('ranges and HEAD on the kept file, through the server', async () => {
    await get(url('csv'));
    const start = 1_000;
    const end = 3_500_000; // wider than the buffers one download keeps in flight
    const part = await get(url('csv'), { headers: { range: `bytes=${start}-${end}` } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes ${start}-${end}/${expectedCsv.length}`);
    expect(part.body.equals(expectedCsv.subarray(start, end + 1))).toBe(true);
    const tail = await get(url('csv'), { headers: { range: 'bytes=-100' } });
    expect(tail.body.equals(expectedCsv.subarray(expectedCsv.length - 100))).toBe(true);
    const head = await fetch(`${server.url}${url('csv')}`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(expectedCsv.length));
  });

  test('a first download the client hangs up on halfway leaves a complete kept file, and the next download has every byte', async () => {
    clearCache();
    const cut = await get(url('csv'), { stopAfter: 1_000_000 });
    expect(cut.body.length).toBeGreaterThanOrEqual(1_000_000);
    expect(cut.body.length).toBeLessThan(expectedCsv.length);
    await waitFor(() => existsSync(path.join(cacheDir(), 'data.csv')) && partials().length === 0, { timeoutMs: 30_000, what: 'the kept CSV' });
    expect(readFileSync(path.join(cacheDir(), 'data.csv')).equals(expectedCsv)).toBe(true);
    const next = await get(url('csv'));
    expect(next.headers['content-length']).toBe(String(expectedCsv.length));
    expect(next.body.equals(expectedCsv)).toBe(true);
    // Hanging up on a kept file changes nothing for the next client either.
    await get(url('csv'), { stopAfter: 600_000 });
    expect((await get(url('csv'))).body.equals(expectedCsv)).toBe(true);
  });

  test('a kept file removed (by the cache cap) while a slow client reads it: that download still gets every byte', async () => {
    await get(url('csv'));
    const kept = path.join(cacheDir(), 'data.csv');
    const body = await new Promise<Buffer>((resolve, reject) => {
      http.get(`${server.url}${url('csv')}`, { agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.once('data', (first: Buffer) => {
          chunks.push(first);
          response.pause();
          rmSync(kept);
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          setTimeout(() => response.resume(), 50);
        });
        response.on('end', () => resolve(Buffer.concat(chunks)));
        response.on('error', reject);
      });
    });
    expect(existsSync(kept)).toBe(false);
    expect(body.equals(expectedCsv)).toBe(true);
    // The next client gets a fresh export.
    expect((await get(url('csv'))).body.equals(expectedCsv)).toBe(true);
  });

  test('two concurrent first Arrow downloads get the same complete stream, equal to the kept file and to the published rows', async () => {
    clearCache();
    const [a, b] = await Promise.all([get(url('arrow')), get(url('arrow'), { pauseEvery: 512 * 1024, pauseMs: 20 })]);
    expect([a.status, b.status, a.complete, b.complete]).toEqual([200, 200, true, true]);
    expect(a.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    expect(a.body.equals(b.body)).toBe(true);
    const table = tableFromIPC(a.body);
    expect(table.numRows).toBe(ROWS);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'kecamatan', 'jumlah', 'rasio', 'tanggal', 'catatan']);
    // Row order and values: the file order of the published Parquet.
    expect(Array.from(table.getChild('id')!.toArray() as BigInt64Array)).toEqual(expectedIds);
    const at = (id: number) => table.get(expectedIds.indexOf(BigInt(id)))!.toJSON();
    expect(at(7).catatan).toBe('baris dengan "kutip", koma');
    expect(at(11).catatan).toBeNull();
    expect(at(12)).toMatchObject({ kecamatan: 'Sukajadi', jumlah: BigInt(444) });
    const warm = await get(url('arrow'));
    expect(warm.headers['content-length']).toBe(String(a.body.length));
    expect(warm.body.equals(a.body)).toBe(true);
  });

  test('a first whole-version Arrow download and a sorted one at the same time each come out whole, in their own order', async () => {
    clearCache();
    const [whole, sorted] = await Promise.all([get(url('arrow')), get(`${url('arrow')}?_sort=-id`)]);
    const wholeIds = tableFromIPC(whole.body).getChild('id')!.toArray() as BigInt64Array;
    const sortedIds = tableFromIPC(sorted.body).getChild('id')!.toArray() as BigInt64Array;
    expect(Array.from(wholeIds)).toEqual(expectedIds);
    expect(sortedIds.length).toBe(ROWS);
    expect(sortedIds.every((id, i) => id === BigInt(ROWS - i))).toBe(true);
  });

  test('an Arrow download the client hangs up on halfway leaves a complete kept file', async () => {
    clearCache();
    const cut = await get(url('arrow'), { stopAfter: 500_000 });
    expect(cut.complete).toBe(false);
    await waitFor(() => existsSync(path.join(cacheDir(), 'data.arrow')) && partials().length === 0, { timeoutMs: 30_000, what: 'the kept Arrow file' });
    const next = await get(url('arrow'));
    expect(tableFromIPC(next.body).numRows).toBe(ROWS);
    expect(next.body.equals(readFileSync(path.join(cacheDir(), 'data.arrow')))).toBe(true);
  });

  test('a gzip client gets the plain file until the compressed copy exists, then the copy', async () => {
    clearCache();
    const first = await get(url('csv'), { headers: { 'accept-encoding': 'gzip' } });
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(first.body.equals(expectedCsv)).toBe(true);
    await waitFor(() => existsSync(path.join(cacheDir(), 'data.csv.gz')), { timeoutMs: 30_000, what: 'the gzip copy' });
    const gz = await get(url('csv'), { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-length']).toBe(String(gz.body.length));
    expect(gunzipSync(gz.body).equals(expectedCsv)).toBe(true);
  });
});
