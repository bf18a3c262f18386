import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openApiDocument } from '../../src/lib/server/api/openapi.ts';
import { REPO_ROOT } from '../helpers/server.ts';

/** Every public endpoint has a path in the OpenAPI document, and the document hangs together. */
const PAGES = path.join(REPO_ROOT, 'src/pages');

/** Route files of the machine endpoints: everything under api/, and the open-metadata documents. */
function routePaths(dir = path.join(PAGES, 'api')): string[] {
  const paths: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) paths.push(...routePaths(full));
    else if (/\.(ts|js)$/.test(entry.name)) paths.push(routeOf(path.relative(PAGES, full)));
  }
  return paths;
}

const routeOf = (file: string) => `/${file.replace(/\.(ts|js)$/, '').replace(/(^|\/)index$/, '').replace(/\[(\w+)\]/g, '{$1}')}`;
const METADATA_ROUTES = ['catalog.jsonld.ts', 'datasets/[id].jsonld.ts', 'datasets/[id]/datapackage.json.ts'].map(routeOf);

describe('OpenAPI document', () => {
  const doc = openApiDocument('https://data.example.go.id');

  test('covers every API and metadata route file, and describes no route that does not exist', () => {
    const routes = [...routePaths(), ...METADATA_ROUTES].sort();
    for (const expected of ['/api/v1/datasets/{id}/download.{format}', '/api/v1/sql', '/api/3/action/{action}', '/api/action/{action}', '/catalog.jsonld', '/api/v1/account/me']) {
      expect(routes).toContain(expected);
    }
    expect(Object.keys(doc.paths).sort()).toEqual(routes);
  });

  test('is OpenAPI 3.1 with the real origin, path parameters declared, and the error shape', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'https://data.example.go.id' }]);
    for (const [route, item] of Object.entries(doc.paths)) {
      const names = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item as Record<string, any>)) {
        const declared = (operation.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
        expect(declared.sort(), `${method} ${route}`).toEqual([...names].sort());
        expect(operation.responses['200'], `${method} ${route}`).toBeDefined();
      }
    }
    const error = doc.components.schemas.Error as any;
    expect(error.properties.error.required).toEqual(['status', 'code', 'message']);
    expect((doc.paths['/api/v1/sql'] as any).post.requestBody.content['application/json']).toBeDefined();
  });

  test('every $ref points at a component that exists', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    for (const [, kind, name] of refs) expect((doc.components as any)[kind!]?.[name!], `${kind}/${name}`).toBeDefined();
  });
});
