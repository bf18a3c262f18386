import { request as httpRequest } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { currentRssMb, ensureBenchDataset, peakRssMb, resetPeak, startBenchServer } from './server.ts';

/**
 * Hostile load (issue 8): normal pages must stay fast while attackers send 1 MB SQL bodies (to /api/v1/sql and to
 * CKAN's datastore_search_sql, full of quoted identifiers: finding 1's freeze) and 200 MB form posts to /login and
 * /signup (finding 2), declared and chunked. Baseline: the same page load, measured in the same run with no attack.
 * Rate limits are relaxed 10,000 times so every attack reaches its handler, as from many addresses: the worst case.
 * Target: normal pages p95 < 300 ms under attack.
 */
const PAGES = ['/', '/datasets', '/datasets/bench-ingest', '/api/v1/datasets', '/sql', '/api/3/action/package_search?q=bench'];
const MB = 1024 * 1024;

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  errors: number;
}

async function pageLoad(base: string, seconds: number): Promise<Latency> {
  const latencies: number[] = [];
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: base, connections: 10, duration: seconds, requests: [{ setupRequest: (request) => ({ ...request, path: PAGES[next++ % PAGES.length]! }) }] },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), rps: Math.round(result.requests.average), errors: result.errors + result.non2xx };
}

/** One attack request; resolves with the status (or 0 when the server cut the connection, which is fine). */
function attack(base: string, path: string, headers: Record<string, string>, body: { bytes: number; text?: string }): Promise<number> {
  return new Promise((resolve) => {
    let answered = false;
    const req = httpRequest(new URL(path, base), { method: 'POST', headers }, (res) => {
      answered = true;
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
    });
    req.on('error', () => !answered && resolve(0));
    if (body.text !== undefined) return void req.end(body.text);
    const chunk = Buffer.alloc(MB, 'a');
    let sent = 0;
    const pump = () => {
      while (!answered && sent < body.bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.write('email=x%40kota.test&name=x&password=');
    pump();
  });
}

/** Attackers in parallel loops until `until` passes; returns how many requests each kind made and their statuses. */
async function attackers(base: string, until: number): Promise<Map<string, Map<number, number>>> {
  const identifiers = `SELECT ${'"ab",'.repeat(145_000)} 1`;
  const sqlBody = JSON.stringify({ sql: identifiers });
  const form = { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: base };
  const kinds: [string, () => Promise<number>][] = [
    ['1 MB SQL body to /api/v1/sql', () => attack(base, '/api/v1/sql', { 'content-type': 'application/json' }, { bytes: 0, text: sqlBody })],
    ['1 MB SQL body to CKAN datastore_search_sql', () => attack(base, '/api/action/datastore_search_sql', { 'content-type': 'application/json' }, { bytes: 0, text: sqlBody })],
    ['200 MB form post to /login (Content-Length)', () => attack(base, '/login?_action=auth.login', { ...form, 'content-length': String(200 * MB) }, { bytes: 200 * MB })],
    ['200 MB form post to /signup (chunked)', () => attack(base, '/signup?_action=auth.signup', { ...form, 'transfer-encoding': 'chunked' }, { bytes: 200 * MB })],
  ];
  const tally = new Map(kinds.map(([name]) => [name, new Map<number, number>()]));
  await Promise.all(
    kinds.flatMap(([name, send]) =>
      Array.from({ length: 2 }, async () => {
        while (Date.now() < until) {
          const status = await send();
          const counts = tally.get(name)!;
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }
      }),
    ),
  );
  return tally;
}

export async function run(): Promise<void> {
  await ensureBenchDataset();
  const server = await startBenchServer({ KOTA_PREWARM: 'off', AUTH_RATE_LIMIT_SCALE: '0.0001' });
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const pid = server.child.pid!;
  try {
    await pageLoad(server.url, 2); // warm-up
    const baseline = await pageLoad(server.url, seconds);
    const rssBefore = currentRssMb(pid);
    resetPeak(pid);
    const until = Date.now() + seconds * 1000;
    const [hostile, tally] = await Promise.all([pageLoad(server.url, seconds), attackers(server.url, until)]);
    const line = (name: string, l: Latency) => `  ${name.padEnd(26)} p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, ${l.rps} req/s, errors ${l.errors}`;
    console.log(`-- normal pages (${PAGES.join(' ')}), 10 connections, ${seconds} s each; machine load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
    console.log(line('baseline (no attack)', baseline));
    console.log(line('under attack', hostile));
    console.log(`  target p95 < 300 ms under attack: ${hostile.p95 < 300 ? 'met' : 'NOT met'} (baseline p95 ${baseline.p95} ms)`);
    console.log(`-- attacks (2 loops each, rate limits relaxed 10,000x)`);
    for (const [name, counts] of tally) console.log(`  ${name}: ${[...counts].map(([status, n]) => `${n} × ${status || 'cut'}`).join(', ')}`);
    console.log(`-- server memory: ${rssBefore.toFixed(0)} MB before the attack, peak ${peakRssMb(pid).toFixed(0)} MB during it`);
  } finally {
    await server.stop();
  }
}
