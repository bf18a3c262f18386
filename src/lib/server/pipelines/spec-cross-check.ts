import { deployment } from '../config/deployment.ts';

/**
 * Rules zod cannot see alone: references to the deployment config and between parts of the spec. They run on
 * the parsed YAML even when zod found problems elsewhere, so one run of `pipeline validate` lists every mistake
 * in the file, each with its key path; anything malformed here was already reported by zod and is skipped.
 */
export function crossCheck(raw: unknown): string[] {
  const spec = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const opds = deployment().opds.map((o) => o.code);
  if (typeof spec.organization === 'string' && !opds.includes(spec.organization)) {
    problems.push(`  organization: expected one of the OPD codes in the deployment config (${opds.join(', ')}), found "${spec.organization}"`);
  }
  const schema = record(spec.schema);
  const fields = array(schema.fields).map(record);
  const names = fields.map((f) => (typeof f.name === 'string' ? f.name : null));
  const known = new Set(names.filter((n): n is string => n !== null));
  names.forEach((name, i) => {
    if (name !== null && names.indexOf(name) !== i) problems.push(`  schema.fields[${i}].name: "${name}" is used by more than one field`);
  });
  const reference = (path: string, col: unknown) => {
    if (typeof col === 'string' && !known.has(col)) problems.push(`  ${path}: expected a field name, found "${col}"`);
  };
  array(schema.primary_key).forEach((col, i) => reference(`schema.primary_key[${i}]`, col));
  array(spec.checks).map(record).forEach((check, i) => {
    const columns = Array.isArray(check.columns) ? check.columns : 'column' in check ? [check.column] : [];
    for (const col of columns) reference(`checks[${i}] (${String(check.type)})`, col);
  });
  array(spec.charts).map(record).forEach((chart, i) => {
    for (const key of ['x', 'y', 'color', 'facet']) reference(`charts[${i}].${key}`, chart[key]);
  });
  const region = record(spec.region);
  reference('region.field', region.field);
  const map = record(region.map);
  reference('region.map.value', map.value);
  for (const key of Object.keys(record(map.filter))) reference(`region.map.filter.${key}`, key);
  const regionField = fields.find((f) => f.name === region.field);
  if (regionField && regionField.type !== 'string') {
    problems.push(`  region.field: a region code is text like "32.73.01.1001"; field "${String(region.field)}" has type "${String(regionField.type)}", expected string`);
  }
  fields.forEach((field, i) => {
    const pattern = record(field.constraints).pattern;
    if (typeof pattern === 'string') {
      try {
        new RegExp(pattern);
      } catch {
        problems.push(`  schema.fields[${i}].constraints.pattern: expected a regular expression, found "${pattern}"`);
      }
    }
    if (typeof field.format === 'string' && field.type !== 'date' && field.type !== 'datetime') {
      problems.push(`  schema.fields[${i}].format: only date and datetime fields take a format, found type "${String(field.type)}"`);
    }
  });
  return problems;
}

/** Tables of the run's own engine (the loaded source, the transform result, the typed result). */
const RESERVED_RELATIONS = ['source', 'result', 'typed'];

/** `inputs:` of pipeline `id`: each another dataset, once, and not named like a table the runner uses itself. */
export function inputsCheck(id: string, raw: unknown): string[] {
  const problems: string[] = [];
  const inputs = array(record(raw).inputs);
  inputs.forEach((input, i) => {
    if (typeof input !== 'string') return;
    if (input === id) problems.push(`  inputs[${i}]: a dataset cannot read itself; expected another dataset's id, found "${input}"`);
    if (inputs.indexOf(input) !== i) problems.push(`  inputs[${i}]: "${input}" is listed more than once`);
    if (RESERVED_RELATIONS.includes(input)) problems.push(`  inputs[${i}]: "${input}" is the name of a table the runner uses itself; rename that dataset to read it`);
  });
  return problems;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
