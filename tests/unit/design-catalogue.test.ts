import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, test } from 'vitest';
import { CATALOGUE } from '../../src/components/ui/catalogue.ts';
import { ICON_NAMES } from '../../src/components/ui/icon-names.ts';
import { monthStartJakarta } from '../../src/lib/server/catalog/downloads.ts';
import { deploymentSchema } from '../../src/lib/server/config/deployment.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const UI = path.join(ROOT, 'src/components/ui');

/** The names declared in a component's `interface Props { … }` (its own props, not the HTML attributes it extends). */
function declaredProps(source: string): string[] {
  const body = /interface Props[^{]*\{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
  return [...body.matchAll(/^\s{2}([a-zA-Z]+)\??:/gm)].map((m) => m[1]!);
}

describe('the /design page documents every component as it is', () => {
  const components = readdirSync(UI).filter((f) => f.endsWith('.astro')).map((f) => f.replace('.astro', ''));

  test('every component in src/components/ui/ has an entry, and every entry a component', () => {
    expect(CATALOGUE.map((c) => c.name).sort()).toEqual(components.sort());
  });

  test.each(CATALOGUE)('$name: the documented props are exactly the declared ones, in both languages', (doc) => {
    const declared = declaredProps(readFileSync(path.join(UI, `${doc.name}.astro`), 'utf8'));
    expect(doc.props.map((p) => p.name).sort()).toEqual(declared.sort());
    for (const prop of doc.props) {
      expect(prop.id.length, `${doc.name}.${prop.name} (id)`).toBeGreaterThan(3);
      expect(prop.en.length, `${doc.name}.${prop.name} (en)`).toBeGreaterThan(3);
    }
  });
});

describe('kota.config.yaml topics', () => {
  const config = deploymentSchema.parse(parseYaml(readFileSync(path.join(ROOT, 'kota.config.yaml'), 'utf8')));
  const pipelines = readdirSync(path.join(ROOT, 'pipelines'));
  const used = new Set(
    pipelines.flatMap((id) => (parseYaml(readFileSync(path.join(ROOT, 'pipelines', id, 'pipeline.yaml'), 'utf8')) as { topics?: string[] }).topics ?? []),
  );

  test('every topic a demo pipeline uses has a display name, an English name and a known icon', () => {
    const byId = new Map(config.topics.map((t) => [t.id, t]));
    expect([...used].filter((topic) => !byId.get(topic)?.name_en)).toEqual([]);
    expect(config.topics.filter((t) => !t.icon || !(ICON_NAMES as readonly string[]).includes(t.icon)).map((t) => t.id)).toEqual([]);
  });

  test('topics are optional, and their ids must be unique', () => {
    const base = { city: { name: 'Kota X', short_name: 'Kx', region_code: '3273', province: 'Jawa Barat', portal_name: 'Data X' }, contact: { name: 'X', email: 'x@example.go.id' }, opds: [{ code: 'a', name: 'Dinas A' }] };
    expect(deploymentSchema.parse(base).topics).toEqual([]);
    expect(deploymentSchema.parse(base).city.logo).toBe('/logo.svg');
    const twice = deploymentSchema.safeParse({ ...base, topics: [{ id: 'air', name: 'Air' }, { id: 'air', name: 'Air bersih' }] });
    expect(twice.success).toBe(false);
  });
});

test('"this month" starts at midnight on the 1st in Jakarta (UTC+7), not in UTC', () => {
  expect(monthStartJakarta(Date.parse('2026-03-15T10:00:00Z')).toISOString()).toBe('2026-02-28T17:00:00.000Z');
  // 31 January 20:00 UTC is already 1 February 03:00 in Jakarta.
  expect(monthStartJakarta(Date.parse('2026-01-31T20:00:00Z')).toISOString()).toBe('2026-01-31T17:00:00.000Z');
  expect(monthStartJakarta(Date.parse('2026-01-31T16:59:59Z')).toISOString()).toBe('2025-12-31T17:00:00.000Z');
});
