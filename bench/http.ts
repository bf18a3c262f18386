import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { ServerHandle } from '../src/cli/server-process.ts';
import { ensureBenchDataset, startBenchServer, tableCacheLoaded } from './server.ts';

/**
 * HTTP: autocannon at 50 connections for 10 s per endpoint against the built server over the bench data
 * (13 demo-sized datasets are not needed: the 1,000,000-row dataset is the hard case for rows and pages).
 * Targets on this 2-core machine: pages p95 < 100 ms, rows API p95 < 50 ms, a filter never asked before and a
 * facet request p95 ≤ 150 ms. The uncached cases run twice: first on a server reading Parquet only, every total
 * and facet a DuckDB statement (KOTA_TABLE_CACHE=off, KOTA_RANGE_SUBSETS=off: the baseline), then on the default
 * server with its native table cache loaded and range subsets on.
 */
const KECAMATAN = ['Andir', 'Coblong', 'Regol', 'Cibiru', 'Sukajadi', 'Lengkong', 'Gedebage', 'Cicendo'];
const pick = () => KECAMATAN[Math.floor(Math.random() * KECAMATAN.length)];
/** Every request a different filter: the rows API without the help of its page cache. */
const uncachedRows = () => `/api/v1/datasets/bench-ingest/rows?limit=50&kecamatan=${pick()}&jumlah__gte=${Math.floor(Math.random() * 100000)}`;
/** Every request a different filter, two facets (top values of a text column and a histogram of a number). */
const uncachedFacets = () => `/api/v1/datasets/bench-ingest/facets?_facet=kategori&_facet=nilai&kecamatan=${pick()}&jumlah__gte=${Math.floor(Math.random() * 100000)}`;

interface Endpoint {
  name: string;
  path: string;
  targetP95: number;
  vary?: () => string;
  /** Also measured on a server without the table cache, as the baseline. */
  baseline?: boolean;
}

const ENDPOINTS: Endpoint[] = [
  { name: 'catalog page', path: '/datasets', targetP95: 100 },
  { name: 'dataset page', path: '/datasets/bench-ingest', targetP95: 100 },
  { name: 'rows API', path: '/api/v1/datasets/bench-ingest/rows?limit=50&kecamatan=Coblong', targetP95: 50 },
  { name: 'rows API, a new filter every request (uncached)', path: '/api/v1/datasets/bench-ingest/rows?limit=50&kecamatan=Andir&jumlah__gte=1', targetP95: 150, vary: uncachedRows, baseline: true },
  { name: 'facets API, a new filter every request (uncached)', path: '/api/v1/datasets/bench-ingest/facets?_facet=kategori&_facet=nilai&kecamatan=Andir&jumlah__gte=1', targetP95: 150, vary: uncachedFacets, baseline: true },
  { name: 'CKAN package_search', path: '/api/3/action/package_search?q=bench&rows=10', targetP95: 100 },
];

export async function run(): Promise<void> {
  await ensureBenchDataset();
  // `npm run bench -- http <word>` runs only the cases whose name contains the word.
  const only = process.argv[3];
  const selected = ENDPOINTS.filter((e) => !only || e.name.includes(only));
  const duration = Number(process.env.BENCH_SECONDS ?? 10);
  const baselines = selected.filter((e) => e.baseline);
  if (baselines.length > 0) {
    // Prewarming off: the background export of a new version would only add noise to the first seconds.
    const server = await startBenchServer({ KOTA_PREWARM: 'off', KOTA_TABLE_CACHE: 'off', KOTA_RANGE_SUBSETS: 'off' });
    try {
      for (const endpoint of baselines) await measure(server, endpoint, duration, 'baseline: Parquet only, DuckDB for every total and facet');
    } finally {
      await server.stop();
    }
  }
  const server = await startBenchServer({ KOTA_PREWARM: 'off' });
  try {
    await tableCacheLoaded(server);
    for (const endpoint of selected) await measure(server, endpoint, duration, endpoint.baseline ? 'native table cache, range subsets' : '');
  } finally {
    await server.stop();
  }
}

async function measure(server: ServerHandle, endpoint: Endpoint, duration: number, label: string): Promise<void> {
  const url = `${server.url}${endpoint.path}`;
  const probe = await fetch(url);
  if (!probe.ok) {
    console.log(`-- ${endpoint.name} ${endpoint.path}: HTTP ${probe.status}, skipped`);
    return;
  }
  const requests = endpoint.vary ? [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: endpoint.vary!() }) }] : undefined;
  await autocannon({ url, connections: 10, duration: 2, ...(requests ? { requests } : {}) }); // warm-up
  // autocannon's summary has no p95; every response time is recorded here instead.
  const latencies: number[] = [];
  const cpuBefore = cpuMs(server.child.pid!);
  const mainBefore = cpuMs(server.child.pid!, true);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const options: autocannon.Options = { url, connections: 50, duration, ...(requests ? { requests } : {}) };
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
  // The server's own CPU time per request: unlike latency, it hardly moves when other work shares the machine.
  const cpuPerRequest = (cpuMs(server.child.pid!) - cpuBefore) / Math.max(1, latencies.length);
  // The main thread (JS: HTTP, Astro, JSON) apart from the rest (DuckDB's threads, the libuv pool, GC helpers).
  const mainPerRequest = (cpuMs(server.child.pid!, true) - mainBefore) / Math.max(1, latencies.length);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const [p50, p95, p99] = [at(0.5), at(0.95), at(0.99)].map((v) => Math.round(v * 10) / 10) as [number, number, number];
  console.log(
    `-- ${endpoint.name}${label ? ` [${label}]` : ''} ${endpoint.path}\n  ${result.requests.average.toFixed(0)} req/s, p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms, ` +
      `errors ${result.errors + result.non2xx}, server CPU ${cpuPerRequest.toFixed(1)} ms/request (main thread ${mainPerRequest.toFixed(1)}, other threads ${(cpuPerRequest - mainPerRequest).toFixed(1)}) (target p95 ${endpoint.baseline ? '≤' : '<'} ${endpoint.targetP95} ms) ${p95 <= endpoint.targetP95 ? 'OK' : 'OVER'}`,
  );
}

/** User + system CPU time of a process (or of its main thread only) so far, in ms (Linux /proc; 100 ticks a second here). */
function cpuMs(pid: number, mainThreadOnly = false): number {
  const ticks = (stat: string) => {
    const fields = stat.split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  if (mainThreadOnly) return ticks(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
  return ticks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}
