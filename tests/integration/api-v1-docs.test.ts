import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allDictionaries } from '../../src/lib/i18n/index.ts';
import { docEndpoints } from '../../src/lib/server/api/docs.ts';
import { openApiDocument } from '../../src/lib/server/api/openapi.ts';
import { removeDir } from '../helpers/temp.ts';
import { FASKES, startApiFixture, type ApiFixture } from './api-v1-fixture.ts';

/** /api-docs: every endpoint of the OpenAPI document, copy-ready examples that work, both languages, no JS needed. */
let f: ApiFixture;

beforeAll(async () => {
  f = await startApiFixture();
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

const decode = (html: string) =>
  html.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#34;', '"');

describe('/api-docs', () => {
  test('the api messages have the same keys in both languages', () => {
    const { id, en } = allDictionaries.api!;
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    const keys = docEndpoints({ origin: 'x', dataset: 'd', textColumn: null, numberColumn: null }).flatMap((e) => [e.key, ...e.params.map((p) => p.key)]);
    expect(keys.filter((k) => !(k in id))).toEqual([]);
  });

  test('documents every endpoint of the OpenAPI document, in Bahasa Indonesia by default and in English', async () => {
    const page = await f.server.get('/api-docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="id"');
    expect(page.text).toContain('API data terbuka');
    for (const path of Object.keys(openApiDocument('').paths)) expect(page.text, path).toContain(path);
    expect(page.text).toContain('Baris per halaman, 1–1000 (bawaan 100).');
    const en = await f.server.get('/api-docs?lang=en');
    expect(en.text).toContain('<html lang="en"');
    expect(en.text).toContain('Rows per page, 1–1000 (default 100).');
  });

  test('curl examples use the real origin and a real dataset, and they work', async () => {
    const html = decode((await f.server.get('/api-docs')).text);
    const examples = [...html.matchAll(/<pre class="example"[^>]*><code[^>]*>curl '([^']+)'(?: \| jq '[^']*')?<\/code><\/pre>/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(6);
    // The first public dataset by title is the example.
    expect(examples).toContain(`${f.server.url}/api/v1/datasets/${FASKES}`);
    for (const url of examples) {
      expect(url.startsWith(`${f.server.url}/`), url).toBe(true);
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
    }
  });

  test('the SQL form works without JavaScript: a plain GET to /api/v1/sql', async () => {
    const html = decode((await f.server.get('/api-docs')).text);
    expect(html).toMatch(/<form method="get" action="\/api\/v1\/sql"/);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const label = /<label for="([^"]+)"[^>]*>[^<]*SQL/.exec(html)![1];
    expect(html).toMatch(new RegExp(`<textarea id="${label}" name="sql"`));
    const sql = /<textarea[^>]*name="sql"[^>]*>([^<]*)<\/textarea>/.exec(html)![1]!;
    const response = await fetch(`${f.server.url}/api/v1/sql?${new URLSearchParams({ sql, format: 'json' })}`);
    expect(response.status).toBe(200);
    expect((await response.json()).rows.length).toBeGreaterThan(0);
  });
});
