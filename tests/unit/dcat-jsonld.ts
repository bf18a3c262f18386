/** Every property is a keyword or a compact IRI whose prefix the context defines; every @id is absolute. */
export function jsonLdProblems(node: unknown, context: Record<string, string>, path = '$'): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => jsonLdProblems(n, context, `${path}[${i}]`));
  if (typeof node !== 'object' || node === null) return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === '@context') continue;
    if (key.startsWith('@')) {
      if (key === '@id' && !/^(https?|mailto):/.test(String(value))) problems.push(`${path}.@id: not an absolute IRI: ${String(value)}`);
      if (key === '@type' && !String(value).includes(':')) problems.push(`${path}.@type: not a compact IRI`);
      if (key === '@type' && String(value).includes(':') && !(String(value).split(':')[0]! in context)) problems.push(`${path}.@type: unknown prefix`);
      continue;
    }
    const prefix = key.split(':')[0]!;
    if (!key.includes(':') || !(prefix in context)) problems.push(`${path}.${key}: not a compact IRI with a known prefix`);
    problems.push(...jsonLdProblems(value, context, `${path}.${key}`));
  }
  return problems;
}
