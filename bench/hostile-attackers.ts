import { request as httpRequest } from 'node:http';

/**
 * The attackers of the hostile benchmark (./hostile.ts). Run as `node hostile-attackers.ts <base url> <seconds>`:
 * two loops per kind of attack until the time is up, then the statuses each kind got, as JSON on stdout.
 */
const MB = 1024 * 1024;

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

/** The attacks, each a function sending one request. */
export function attackKinds(base: string): [string, () => Promise<number>][] {
  const identifiers = `SELECT ${'"ab",'.repeat(145_000)} 1`;
  const sqlBody = JSON.stringify({ sql: identifiers });
  const form = { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: base };
  return [
    ['1 MB SQL body to /api/v1/sql', () => attack(base, '/api/v1/sql', { 'content-type': 'application/json' }, { bytes: 0, text: sqlBody })],
    ['1 MB SQL body to CKAN datastore_search_sql', () => attack(base, '/api/action/datastore_search_sql', { 'content-type': 'application/json' }, { bytes: 0, text: sqlBody })],
    ['200 MB form post to /login (Content-Length)', () => attack(base, '/login?_action=auth.login', { ...form, 'content-length': String(200 * MB) }, { bytes: 200 * MB })],
    ['200 MB form post to /signup (chunked)', () => attack(base, '/signup?_action=auth.signup', { ...form, 'transfer-encoding': 'chunked' }, { bytes: 200 * MB })],
  ];
}

/** Two loops per kind until the time is up; the statuses each kind got. */
async function attackFor(base: string, seconds: number): Promise<Record<string, Record<number, number>>> {
  const until = Date.now() + seconds * 1000;
  const tally: Record<string, Record<number, number>> = {};
  await Promise.all(
    attackKinds(base).flatMap(([name, send]) =>
      Array.from({ length: 2 }, async () => {
        const counts = (tally[name] ??= {});
        while (Date.now() < until) {
          const status = await send();
          counts[status] = (counts[status] ?? 0) + 1;
        }
      }),
    ),
  );
  return tally;
}

if (process.argv[1] === import.meta.filename && process.argv[2]) {
  process.stdout.write(JSON.stringify(await attackFor(process.argv[2], Number(process.argv[3] ?? 10))));
}
