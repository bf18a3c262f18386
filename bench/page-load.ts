import autocannon from 'autocannon';

/** A page under load, as the community and Badami benches measure it: alone, then at 50 connections. */

/** One request at a time: the median of 10, what a single reader waits. */
async function alone(url: string, headers: Record<string, string>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 11; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (i > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[5]! * 10) / 10;
}

export async function measure(url: string, headers: Record<string, string>, seconds: number) {
  const single = await alone(url, headers);
  await autocannon({ url, connections: 10, duration: 2, headers });
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: 50, duration: seconds, headers }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  return { single, rps: Math.round(result.requests.average), p50: at(0.5), p95: at(0.95), errors: result.errors + result.non2xx };
}

