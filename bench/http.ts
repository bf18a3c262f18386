import autocannon from 'autocannon';
import { ensureBenchDataset, startBenchServer } from './server.ts';

/**
 * HTTP: autocannon at 50 connections for 10 s per endpoint against the built server over the bench data
 * (13 demo-sized datasets are not needed: the 1,000,000-row dataset is the hard case for rows and pages).
 * Targets on this 2-core machine: pages p95 < 100 ms, rows API p95 < 50 ms.
 */
const KECAMATAN = ['Andir', 'Coblong', 'Regol', 'Cibiru', 'Sukajadi', 'Lengkong', 'Gedebage', 'Cicendo'];
/** Every request a different filter: the rows API without the help of its page cache. */
const uncachedRows = () => `/api/v1/datasets/bench-ingest/rows?limit=50&kecamatan=${KECAMATAN[Math.floor(Math.random() * KECAMATAN.length)]}&jumlah__gte=${Math.floor(Math.random() * 100000)}`;

const ENDPOINTS: { name: string; path: string; targetP95: number; vary?: () => string }[] = [
  { name: 'catalog page', path: '/datasets', targetP95: 100 },
  { name: 'dataset page', path: '/datasets/bench-ingest', targetP95: 100 },
  { name: 'rows API', path: '/api/v1/datasets/bench-ingest/rows?limit=50&kecamatan=Coblong', targetP95: 50 },
  { name: 'rows API, a new filter every request (uncached)', path: '/api/v1/datasets/bench-ingest/rows?limit=50&kecamatan=Andir&jumlah__gte=1', targetP95: 50, vary: uncachedRows },
  { name: 'CKAN package_search', path: '/api/3/action/package_search?q=bench&rows=10', targetP95: 100 },
];

export async function run(): Promise<void> {
  await ensureBenchDataset();
  // Prewarming off: the background export of a new version would only add noise to the first seconds.
  const server = await startBenchServer({ KOTA_PREWARM: 'off' });
  const duration = Number(process.env.BENCH_SECONDS ?? 10);
  try {
    for (const endpoint of ENDPOINTS) {
      const url = `${server.url}${endpoint.path}`;
      const probe = await fetch(url);
      if (!probe.ok) {
        console.log(`-- ${endpoint.name} ${endpoint.path}: HTTP ${probe.status}, skipped`);
        continue;
      }
      await autocannon({ url, connections: 10, duration: 2 }); // warm-up
      // autocannon's summary has no p95; every response time is recorded here instead.
      const latencies: number[] = [];
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const options: autocannon.Options = { url, connections: 50, duration };
        if (endpoint.vary) options.requests = [{ setupRequest: (request) => ({ ...request, path: endpoint.vary!() }) }];
        const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
        instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
      });
      latencies.sort((a, b) => a - b);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
      const [p50, p95, p99] = [at(0.5), at(0.95), at(0.99)].map((v) => Math.round(v * 10) / 10) as [number, number, number];
      console.log(
        `-- ${endpoint.name} ${endpoint.path}\n  ${result.requests.average.toFixed(0)} req/s, p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms, ` +
          `errors ${result.errors + result.non2xx} (target p95 < ${endpoint.targetP95} ms) ${p95 < endpoint.targetP95 ? 'OK' : 'OVER'}`,
      );
    }
  } finally {
    await server.stop();
  }
}
