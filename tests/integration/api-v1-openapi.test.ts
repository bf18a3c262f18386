import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openApiDocument } from '../../src/lib/server/api/openapi.ts';
import { REPO_ROOT } from '../helpers/server.ts';

/** Every route file under src/pages/api/v1 (except account/ and health) is described in the OpenAPI document. */
const ROUTES_DIR = path.join(REPO_ROOT, 'src/pages/api/v1');

function routePaths(dir = ROUTES_DIR): string[] {
  const paths: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const relative = path.relative(ROUTES_DIR, full);
    if (relative === 'account' || relative === 'health.ts') continue;
    if (entry.isDirectory()) paths.push(...routePaths(full));
    else if (/\.(ts|js)$/.test(entry.name)) {
      const route = relative.replace(/\.(ts|js)$/, '').replace(/(^|\/)index$/, '').replace(/\[(\w+)\]/g, '{$1}');
      paths.push(`/${route}`);
    }
  }
  return paths;
}

describe('OpenAPI document', () => {
  const doc = openApiDocument('https://data.example.go.id');

  test('covers every API route file, and describes no route that does not exist', () => {
    const routes = routePaths().sort();
    expect(routes).toContain('/datasets/{id}/download.{format}');
    expect(routes).toContain('/sql');
    expect(Object.keys(doc.paths).sort()).toEqual(routes);
  });

  test('is OpenAPI 3.1 with the real origin, path parameters declared, and the error shape', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'https://data.example.go.id/api/v1' }]);
    for (const [route, item] of Object.entries(doc.paths)) {
      const names = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item as Record<string, any>)) {
        const declared = (operation.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
        expect(declared.sort(), `${method} ${route}`).toEqual([...names].sort());
        expect(operation.responses['200'], `${method} ${route}`).toBeDefined();
      }
    }
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['status', 'message']);
    expect(doc.paths['/sql'].post.requestBody.content['application/json']).toBeDefined();
  });

  test('every $ref points at a component that exists', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    for (const [, kind, name] of refs) expect((doc.components as any)[kind!]?.[name!], `${kind}/${name}`).toBeDefined();
  });
});
