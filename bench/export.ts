import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { benchDataDir, ensureBenchDataset, peakRssMb, resetPeak, startBenchServer, tableCacheLoaded } from './server.ts';

/**
 * Export: the 1,000,000-row bench dataset downloaded through the server as CSV, Parquet and Arrow, next to
 * DuckDB's own COPY of the same data in the same run. Targets: first (cold) CSV ≥ 80% of DuckDB's COPY
 * throughput, first Arrow ≥ 70% (against COPY to Parquet: DuckDB has no Arrow writer), a client asking for gzip
 * never slower than the plain download; server peak RSS < 500 MB during a download. "Cold" is the first download
 * of a version with prewarming off (the server writes its cached file while sending it), "warm" every later one.
 *
 * The client is curl (as a data user's script would be) when it is installed, else Node's fetch; on a 2-core
 * machine the client's own CPU competes with the server, and curl needs least of it.
 */
const run$ = promisify(execFile);

async function duckdbCopy(format: 'csv' | 'parquet'): Promise<{ ms: number; bytes: number; cpuMs: number }> {
  const current = JSON.parse(readFileSync(path.join(benchDataDir, 'lake/bench-ingest/current.json'), 'utf8')) as { version: string };
  const source = path.join(benchDataDir, 'lake/bench-ingest', current.version, 'data.parquet');
  const out = path.join(benchDataDir, `baseline.${format}`);
  rmSync(out, { force: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await conn.run(`COPY (SELECT * FROM read_parquet('${source}')) TO '${out}' (${format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet, COMPRESSION zstd'})`);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  conn.closeSync();
  instance.closeSync();
  return { ms, bytes: statSync(out).size, cpuMs: (used.user + used.system) / 1000 };
}

const curl = existsSync('/usr/bin/curl') ? '/usr/bin/curl' : null;

/** Like curl or pandas: no compression unless asked. Returns the time to the last byte and the bytes received. */
async function download(url: string, encoding = 'identity'): Promise<{ ms: number; bytes: number; encoding: string | null; clientCpuMs?: number }> {
  const started = performance.now();
  if (curl) {
    // curl's own CPU time from its rusage (/usr/bin/time when installed).
    const timed = existsSync('/usr/bin/time');
    const args = ['-s', '-o', '/dev/null', '-H', `Accept-Encoding: ${encoding}`, '-w', '%{http_code} %{size_download} %header{content-encoding}\n', url];
    const { stdout, stderr } = timed ? await run$('/usr/bin/time', ['-f', 'cpu %U %S', curl, ...args]) : await run$(curl, args);
    const [status, size, enc] = stdout.trim().split(' ');
    if (status !== '200') throw new Error(`${url}: HTTP ${status}`);
    const times = /cpu ([\d.]+) ([\d.]+)/.exec(stderr);
    return { ms: performance.now() - started, bytes: Number(size), encoding: enc || null, ...(times ? { clientCpuMs: (Number(times[1]) + Number(times[2])) * 1000 } : {}) };
  }
  const response = await fetch(url, { headers: { 'accept-encoding': encoding } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return { ms: performance.now() - started, bytes, encoding: response.headers.get('content-encoding') };
}

const mbps = (r: { ms: number; bytes: number }) => r.bytes / 1e6 / (r.ms / 1000);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function report(label: string, r: { ms: number; bytes: number }, baseline: { ms: number }, target: number, peak: number): void {
  const ratio = baseline.ms / r.ms;
  console.log(
    `  server download (${label}): ${seconds(r.ms)}, ${(r.bytes / 1e6).toFixed(1)} MB, ${mbps(r).toFixed(0)} MB/s, ${(1e6 / (r.ms / 1000)).toFixed(0)} rows/s, ` +
      `${(ratio * 100).toFixed(0)}% of DuckDB's rows/s (target ≥ ${target * 100}%) ${ratio >= target ? 'OK' : 'UNDER'}, server peak RSS ${peak.toFixed(0)} MB (target < 500) ${peak < 500 ? 'OK' : 'OVER'}`,
  );
}

export async function run(): Promise<void> {
  await ensureBenchDataset();
  const cache = path.join(benchDataDir, 'cache');
  rmSync(cache, { recursive: true, force: true });
  // Prewarming off, so that "cold" really is a first export; by default the server writes the whole-version CSV
  // (and its gzip copy) and Arrow files in the background after a publish, and users start at the warm figure.
  const server = await startBenchServer({ KOTA_PREWARM: 'off' });
  console.log(`client: ${curl ? 'curl' : 'fetch'}`);
  // The native copy of the version is loaded a second or so after a publish; cold exports then read it.
  await tableCacheLoaded(server);
  try {
    const pid = server.child.pid!;
    const url = (format: string) => `${server.url}/api/v1/datasets/bench-ingest/download.${format}`;
    for (const format of ['csv', 'parquet', 'arrow'] as const) {
      const baseline = await duckdbCopy(format === 'csv' ? 'csv' : 'parquet');
      resetPeak(pid);
      const cold = await download(url(format));
      const coldPeak = peakRssMb(pid);
      resetPeak(pid);
      const warm = await download(url(format));
      const warmPeak = peakRssMb(pid);
      const base = `DuckDB COPY → ${format === 'arrow' ? 'parquet (no Arrow writer in DuckDB; the reference)' : format}`;
      console.log(`-- ${format}`);
      console.log(`  ${base}: ${seconds(baseline.ms)}, ${(baseline.bytes / 1e6).toFixed(1)} MB, ${mbps(baseline).toFixed(0)} MB/s, ${(1e6 / (baseline.ms / 1000)).toFixed(0)} rows/s`);
      const target = format === 'csv' ? 0.8 : 0.7;
      report('cold', cold, baseline, target, coldPeak);
      report('warm', warm, baseline, target, warmPeak);
      if (format !== 'parquet') await coldRounds(pid, url(format), cache, format, target);
      if (format === 'csv') await gzipColdRounds(pid, url('csv'), cache);
      if (format === 'csv') {
        // A gzip client on a version with no compressed copy yet (cache wiped): it gets the plain file at once.
        rmSync(path.join(cache, 'exports'), { recursive: true, force: true });
        const plainCold = await download(url('csv'));
        rmSync(path.join(cache, 'exports'), { recursive: true, force: true });
        const gzipCold = await download(url('csv'), 'gzip');
        await waitForGzip(path.join(cache, 'exports/bench-ingest'));
        const gzipCached = await download(url('csv'), 'gzip');
        const plainWarm = await download(url('csv'));
        console.log(
          `  gzip client, no compressed copy yet: ${seconds(gzipCold.ms)} (${gzipCold.encoding ?? 'sent plain'}), plain client cold ${seconds(plainCold.ms)}: ` +
            `${gzipCold.ms <= plainCold.ms * 1.05 ? 'not slower OK' : 'SLOWER'}`,
        );
        console.log(
          `  gzip client, compressed copy: ${seconds(gzipCached.ms)} for ${(gzipCached.bytes / 1e6).toFixed(1)} MB (${gzipCached.encoding}), plain client warm ${seconds(plainWarm.ms)}: ` +
            `${gzipCached.ms <= plainWarm.ms * 1.05 ? 'not slower OK' : 'SLOWER'}`,
        );
      }
    }
  } finally {
    await server.stop();
  }
}

/**
 * Cold figures move a lot on a shared machine (one run: 53% to 117%), so they are also measured in rounds
 * (BENCH_ROUNDS, default 3), each a fresh DuckDB COPY next to a fresh cold download, with CPU time: the bench
 * process's for the COPY (DuckDB runs in it), the server's and curl's for the download. CPU moves less with load.
 * Arrow's reference is the COPY to Parquet (DuckDB has no Arrow writer); its first round after the server started
 * includes starting the converter's worker threads, later rounds find them running.
 */
async function coldRounds(pid: number, url: string, cache: string, format: 'csv' | 'arrow', target: number): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const baseline = await duckdbCopy(format === 'csv' ? 'csv' : 'parquet');
    rmSync(path.join(cache, 'exports'), { recursive: true, force: true });
    const before = processCpuMs(pid);
    const cold = await download(url);
    const serverCpu = processCpuMs(pid) - before;
    wall.push(baseline.ms / cold.ms);
    cpu.push(baseline.cpuMs / (serverCpu + (cold.clientCpuMs ?? 0)));
    console.log(
      `  ${format} round ${round}: COPY ${seconds(baseline.ms)} (CPU ${baseline.cpuMs.toFixed(0)} ms), cold download ${seconds(cold.ms)} (server CPU ${serverCpu} ms, client ${cold.clientCpuMs ?? '?'} ms): ` +
        `${(wall.at(-1)! * 100).toFixed(0)}% of COPY's rows/s, CPU ratio ${(cpu.at(-1)! * 100).toFixed(0)}%, load ${loadAverage()}`,
    );
  }
  console.log(
    `  cold ${format}, median of ${rounds} rounds: ${(median(wall) * 100).toFixed(0)}% of COPY's rows/s (target ≥ ${target * 100}%) ${median(wall) >= target ? 'OK' : 'UNDER'}; CPU ratio ${(median(cpu) * 100).toFixed(0)}%`,
  );
}

/**
 * A gzip client and a plain one on a version with no compressed copy yet, alternating (BENCH_ROUNDS pairs): both
 * are sent the plain file while it is written; the gzip copy is written after the gzip client's download.
 */
async function gzipColdRounds(pid: number, url: string, cache: string): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const timed: Record<string, { ms: number; cpu: number; encoding: string | null }> = {};
    for (const encoding of round % 2 ? ['identity', 'gzip'] : ['gzip', 'identity']) {
      rmSync(path.join(cache, 'exports'), { recursive: true, force: true });
      const before = processCpuMs(pid);
      const cold = await download(url, encoding);
      timed[encoding] = { ms: cold.ms, cpu: processCpuMs(pid) - before, encoding: cold.encoding };
      // The gzip copy is written in the background once the plain file is complete: let it finish first.
      if (encoding === 'gzip') await waitForGzip(path.join(cache, 'exports/bench-ingest'));
    }
    const { identity: plain, gzip } = timed as { identity: (typeof timed)[string]; gzip: (typeof timed)[string] };
    ratios.push(gzip.ms / plain.ms);
    console.log(
      `  gzip round ${round}: gzip client ${seconds(gzip.ms)} (${gzip.encoding ?? 'sent plain'}, server CPU ${gzip.cpu} ms), plain client ${seconds(plain.ms)} (server CPU ${plain.cpu} ms), load ${loadAverage()}`,
    );
  }
  console.log(`  gzip client, no compressed copy yet, median time against plain: ${median(ratios).toFixed(2)} ${median(ratios) <= 1.05 ? 'not slower OK' : 'SLOWER'}`);
}

async function waitForGzip(dir: string): Promise<void> {
  const started = performance.now();
  while (!hasGzip(dir) && performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

/** User + system CPU time of a process so far, in ms (Linux /proc; 100 ticks a second here). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function hasGzip(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((version) => existsSync(path.join(dir, version, 'data.csv.gz')));
}
