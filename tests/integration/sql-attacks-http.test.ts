import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SQL_ATTACKS } from '../helpers/sql-attacks.ts';
import { removeDir } from '../helpers/temp.ts';
import { startCkanFixture, type CkanFixture } from './ckan-fixture.ts';

/**
 * The whole SQL attack list over HTTP, on every door user SQL comes in by: /api/v1/sql (GET and JSON POST) and
 * CKAN's datastore_search_sql at /api/3/action/ and /api/action/. Each must refuse with the reason, in its own
 * error shape, and leak nothing of the terbatas dataset. Plus the CKAN-only findings (issue 8 finding 1).
 */
let f: CkanFixture;

beforeAll(async () => {
  // Rate limits refill fast here: this file sends a few hundred queries from one address on purpose.
  f = await startCkanFixture({ AUTH_RATE_LIMIT_SCALE: '0.001' });
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

const asFixture = (sql: string) => sql.replace(/\bpublik\b/g, '"penduduk-kecamatan"').replace(/\brahasia\b/g, '"data-terbatas"');

async function native(sql: string, method: 'GET' | 'POST') {
  const response =
    method === 'GET'
      ? await fetch(`${f.server.url}/api/v1/sql?lang=en&sql=${encodeURIComponent(sql)}`)
      : await fetch(`${f.server.url}/api/v1/sql?lang=en`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql }) });
  return { status: response.status, body: (await response.json()) as any };
}

async function ckan(sql: string, path: '/api/3/action/' | '/api/action/') {
  const response = await fetch(`${f.server.url}${path}datastore_search_sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'ckanapi/4.7' },
    body: JSON.stringify({ sql }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('every SQL attack is refused on every endpoint', () => {
  test.each(SQL_ATTACKS)('%s', async (_name, attack, reason) => {
    const sql = asFixture(attack);
    const message = new RegExp(reason.source.replace('rahasia', 'data-terbatas'));
    for (const method of ['GET', 'POST'] as const) {
      const { status, body } = await native(sql, method);
      expect(status, `${method} /api/v1/sql`).toBe(400);
      expect(body.error.message, `${method} /api/v1/sql`).toMatch(message);
      expect(body.error.code).toMatch(/^sql\./);
      expect(JSON.stringify(body)).not.toContain('Rahasia');
    }
    for (const path of ['/api/3/action/', '/api/action/'] as const) {
      const { status, body } = await ckan(sql, path);
      expect(status, path).toBe(409);
      expect(body.success).toBe(false);
      expect(body.error.__type).toBe('Validation Error');
      expect(body.error.query[0], path).toMatch(message);
      expect(JSON.stringify(body)).not.toContain('Rahasia');
    }
  });
});

describe('datastore_search_sql (issue 8 finding 1)', () => {
  test('a quoted resource id inside a string literal stays text; in an identifier it names the table', async () => {
    const { status, body } = await ckan(`SELECT '"taman-kota.csv"' AS teks, count(*) AS n FROM "taman-kota.csv"`, '/api/3/action/');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.result.records).toEqual([{ teks: '"taman-kota.csv"', n: 1 }]);
    const comment = await ckan(`SELECT count(*) AS n -- "taman-kota.csv"\nFROM "taman-kota.csv"`, '/api/action/');
    expect(comment.body.result.records).toEqual([{ n: 1 }]);
  });

  test('a 1 MB query of identifiers is refused for its size before anything walks it, on both SQL endpoints', async () => {
    const sql = `SELECT ${'"ab",'.repeat(145_000)} 1`;
    const body = JSON.stringify({ sql });
    expect(body.length).toBeGreaterThan(500_000);
    expect(body.length).toBeLessThan(1024 * 1024);
    const viaCkan = await ckan(sql, '/api/3/action/');
    expect(viaCkan.status).toBe(409);
    expect(viaCkan.body.error.query[0]).toBe('the query is longer than 20000 characters');
    const viaApi = await native(sql, 'POST');
    expect(viaApi.status).toBe(400);
    expect(viaApi.body.error.code).toBe('sql.too_long');
    // The server answers normally right after.
    expect((await ckan('SELECT 1 AS satu', '/api/action/')).body.result.records).toEqual([{ satu: 1 }]);
  });
});

/**
 * Sends only the headers of a POST whose body is declared `declared` bytes long, and resolves with the answer if the
 * server gives one without waiting for the body (null when it is still waiting after `patienceMs`).
 */
function postHeadersOnly(path: string, declared: number, patienceMs = 10_000): Promise<{ status: number; body: any } | null> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, f.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(declared), 'user-agent': 'ckanapi/4.7' },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(null);
    }, patienceMs);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.flushHeaders();
  });
}

describe('SQL bodies too large to hold an acceptable query (issue 8 load target)', () => {
  test('are refused from their declared length alone, before a byte of the body is sent, on both SQL endpoints', async () => {
    const native = await postHeadersOnly('/api/v1/sql?lang=en', 900_000);
    expect(native, 'the native API waited for the body').not.toBeNull();
    expect(native!.status).toBe(400);
    expect(native!.body.error.code).toBe('sql.too_long');
    const download = await postHeadersOnly('/api/v1/sql/download.csv?lang=en', 900_000);
    expect(download!.status).toBe(400);
    expect(download!.body.error.code).toBe('sql.too_long');
    const viaCkan = await postHeadersOnly('/api/3/action/datastore_search_sql', 900_000);
    expect(viaCkan, 'CKAN waited for the body').not.toBeNull();
    expect(viaCkan!.status).toBe(409);
    expect(viaCkan!.body.error.query[0]).toBe('the query is longer than 20000 characters');
  });

  test('the longest accepted query still runs in the most expensive encoding (every character three UTF-8 bytes, form-encoded)', async () => {
    const prefix = "SELECT length('";
    const suffix = "') AS n";
    const text = '€'.repeat(20_000 - prefix.length - suffix.length);
    const sql = `${prefix}${text}${suffix}`;
    expect(sql.length).toBe(20_000);
    const body = new URLSearchParams({ sql }).toString();
    expect(body.length).toBeGreaterThan(170_000);
    const response = await fetch(`${f.server.url}/api/v1/sql?lang=en`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const json = (await response.json()) as any;
    expect(response.status, JSON.stringify(json).slice(0, 300)).toBe(200);
    expect(json.rows).toEqual([{ n: text.length }]);
  });
});
