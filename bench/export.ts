import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { benchDataDir, ensureBenchDataset, peakRssMb, resetPeak, startBenchServer } from './server.ts';

/**
 * Export: the 1,000,000-row bench dataset downloaded through the server as CSV, Parquet and Arrow, next to
 * DuckDB's own COPY of the same data in the same run. Targets: ≥ 70% of DuckDB's throughput; server peak RSS
 * < 500 MB during the download. "Cold" is the first download of a version (the server writes its cached file),
 * "warm" every later one (served from that immutable file).
 */
async function duckdbCopy(format: 'csv' | 'parquet'): Promise<{ ms: number; bytes: number }> {
  const current = JSON.parse(await (await import('node:fs/promises')).readFile(path.join(benchDataDir, 'lake/bench-ingest/current.json'), 'utf8')) as { version: string };
  const source = path.join(benchDataDir, 'lake/bench-ingest', current.version, 'data.parquet');
  const out = path.join(benchDataDir, `baseline.${format}`);
  rmSync(out, { force: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const started = performance.now();
  await conn.run(`COPY (SELECT * FROM read_parquet('${source}')) TO '${out}' (${format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet, COMPRESSION zstd'})`);
  const ms = performance.now() - started;
  conn.closeSync();
  instance.closeSync();
  return { ms, bytes: statSync(out).size };
}

/** Like curl or pandas: no compression unless asked (Node's fetch would otherwise ask for gzip/br). */
async function download(url: string, encoding = 'identity'): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { 'accept-encoding': encoding } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return { ms: performance.now() - started, bytes };
}

const mbps = (r: { ms: number; bytes: number }) => r.bytes / 1e6 / (r.ms / 1000);

export async function run(): Promise<void> {
  await ensureBenchDataset();
  rmSync(path.join(benchDataDir, 'cache'), { recursive: true, force: true });
  // Prewarming off, so that "cold" really is a first export; by default the server writes the whole-version CSV
  // and Arrow files in the background after a publish, and users start at the warm figure.
  const server = await startBenchServer({ KOTA_PREWARM: 'off' });
  try {
    const pid = server.child.pid!;
    for (const format of ['csv', 'parquet', 'arrow'] as const) {
      const baseline = await duckdbCopy(format === 'csv' ? 'csv' : 'parquet');
      resetPeak(pid);
      const cold = await download(`${server.url}/api/v1/datasets/bench-ingest/download.${format}`);
      const coldPeak = peakRssMb(pid);
      resetPeak(pid);
      const warm = await download(`${server.url}/api/v1/datasets/bench-ingest/download.${format}`);
      const warmPeak = peakRssMb(pid);
      let gzipLine = '';
      if (format === 'csv') {
        const onTheFly = await download(`${server.url}/api/v1/datasets/bench-ingest/download.csv`, 'gzip');
        await new Promise((r) => setTimeout(r, 8000)); // the compressed copy of the version is written in the background
        const cachedGzip = await download(`${server.url}/api/v1/datasets/bench-ingest/download.csv`, 'gzip');
        gzipLine = `  gzip (browsers): on the fly ${(onTheFly.ms / 1000).toFixed(2)} s for ${(onTheFly.bytes / 1e6).toFixed(1)} MB; from the cached .gz copy ${(cachedGzip.ms / 1000).toFixed(2)} s`;
      }
      const base = `DuckDB COPY → ${format === 'arrow' ? 'parquet (no Arrow writer in DuckDB; reference only)' : format}`;
      console.log(`-- ${format}`);
      console.log(`  ${base}: ${(baseline.ms / 1000).toFixed(2)} s, ${(baseline.bytes / 1e6).toFixed(1)} MB, ${mbps(baseline).toFixed(0)} MB/s, ${(1e6 / (baseline.ms / 1000)).toFixed(0)} rows/s`);
      for (const [label, r, peak] of [['cold', cold, coldPeak], ['warm', warm, warmPeak]] as const) {
        const ratio = baseline.ms / r.ms;
        console.log(
          `  server download (${label}): ${(r.ms / 1000).toFixed(2)} s, ${(r.bytes / 1e6).toFixed(1)} MB, ${mbps(r).toFixed(0)} MB/s, ${(1e6 / (r.ms / 1000)).toFixed(0)} rows/s, ` +
            `${(ratio * 100).toFixed(0)}% of DuckDB's rows/s (target ≥ 70%) ${ratio >= 0.7 ? 'OK' : 'UNDER'}, server peak RSS ${peak.toFixed(0)} MB (target < 500) ${peak < 500 ? 'OK' : 'OVER'}`,
        );
      }
      if (gzipLine) console.log(gzipLine);
    }
  } finally {
    await server.stop();
  }
}
