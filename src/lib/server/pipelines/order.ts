import { loadPipeline } from './load-spec.ts';

/**
 * Run order for `run --all`: a dataset referenced by a relationships check or read as an input runs before the
 * datasets that use it, so a fresh lake publishes in one pass. Specs that fail to load keep their place (they fail anyway).
 */
export function runOrder(ids: string[]): string[] {
  const deps = new Map<string, string[]>();
  for (const id of ids) {
    try {
      const spec = loadPipeline(id).spec;
      const used = [...spec.inputs, ...spec.checks.flatMap((c) => (c.type === 'relationships' ? [c.to] : []))];
      deps.set(id, used.filter((d) => ids.includes(d)));
    } catch {
      deps.set(id, []);
    }
  }
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (id: string) => {
    if (ordered.includes(id) || visiting.has(id)) return;
    visiting.add(id);
    for (const dep of deps.get(id) ?? []) visit(dep);
    visiting.delete(id);
    ordered.push(id);
  };
  ids.forEach(visit);
  return ordered;
}
