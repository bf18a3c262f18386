import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { deployment } from '../config/deployment.ts';
import { pipelinesDir } from '../config/paths.ts';
import { formatZodIssues } from '../validation/zod-issues.ts';
import { pipelineSpecSchema, type PipelineSpec } from './spec.ts';
import { DATASET_ID } from '../lake/schema.ts';

/** A spec that cannot be used: names the file and, per problem, the key path and what was expected. */
export class SpecError extends Error {
  readonly file: string;
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(`${file}: invalid pipeline spec\n${problems.join('\n')}`);
    this.file = file;
    this.problems = problems;
  }
}

export interface LoadedPipeline {
  id: string;
  dir: string;
  specFile: string;
  spec: PipelineSpec;
  specSha256: string;
  transformSql: string | null;
  transformSha256: string | null;
}

export function listPipelineIds(): string[] {
  const dir = pipelinesDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'pipeline.yaml')))
    .map((e) => e.name)
    .sort();
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function loadPipeline(id: string): LoadedPipeline {
  const dir = path.join(pipelinesDir(), id);
  const specFile = path.join(dir, 'pipeline.yaml');
  if (!DATASET_ID.test(id)) {
    throw new SpecError(specFile, [`  (folder name): "${id}" is not a valid dataset id; expected lowercase letters, digits and dashes, 3 to 64 characters`]);
  }
  if (!existsSync(specFile)) throw new SpecError(specFile, ['  (file): not found; expected pipelines/<id>/pipeline.yaml']);
  const text = readFileSync(specFile, 'utf8');
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new SpecError(specFile, doc.errors.map((e) => `  (YAML) ${e.message.split('\n')[0]}`));
  }
  const parsed = pipelineSpecSchema.safeParse(yamlValue(specFile, doc));
  if (!parsed.success) throw new SpecError(specFile, formatZodIssues(parsed.error.issues));
  const spec = parsed.data;
  const problems = crossCheck(spec);
  spec.inputs.forEach((input, i) => {
    if (input === id) problems.push(`  inputs[${i}]: a dataset cannot read itself; expected another dataset's id, found "${input}"`);
    if (RESERVED_RELATIONS.includes(input)) problems.push(`  inputs[${i}]: "${input}" is the name of a table the runner uses itself; rename that dataset to read it`);
  });
  if (problems.length > 0) throw new SpecError(specFile, problems);

  const transformFile = path.join(dir, 'transform.sql');
  const transformSql = existsSync(transformFile) ? readFileSync(transformFile, 'utf8') : null;
  return {
    id,
    dir,
    specFile,
    spec,
    specSha256: sha256Hex(text),
    transformSql,
    transformSha256: transformSql === null ? null : sha256Hex(transformSql),
  };
}

/** Tables of the run's own engine (the loaded source, the transform result, the typed result). */
const RESERVED_RELATIONS = ['source', 'result', 'typed'];

/** At most this many alias expansions (`*a`): a few nested anchors can otherwise expand to billions of nodes. */
const MAX_ALIASES = 100;

function yamlValue(specFile: string, doc: ReturnType<typeof parseDocument>): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // The yaml library refuses an alias bomb with a ReferenceError; anything else is unexpected.
    if (!(error instanceof ReferenceError)) throw error;
    throw new SpecError(specFile, [`  (YAML) too many aliases: more than ${MAX_ALIASES} alias expansions (*name); write the values out instead`]);
  }
}

/** Rules zod cannot see alone: references to the config and between parts of the spec. */
function crossCheck(spec: PipelineSpec): string[] {
  const problems: string[] = [];
  const opds = deployment().opds.map((o) => o.code);
  if (!opds.includes(spec.organization)) {
    problems.push(`  organization: expected one of the OPD codes in the deployment config (${opds.join(', ')}), found "${spec.organization}"`);
  }
  const names = spec.schema.fields.map((f) => f.name);
  const known = new Set(names);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) problems.push(`  schema.fields[${i}].name: "${name}" is used by more than one field`);
  });
  spec.schema.primary_key.forEach((col, i) => {
    if (!known.has(col)) problems.push(`  schema.primary_key[${i}]: expected a field name, found "${col}"`);
  });
  spec.checks.forEach((check, i) => {
    const columns = 'columns' in check ? check.columns : 'column' in check ? [check.column] : [];
    for (const col of columns) {
      if (!known.has(col)) problems.push(`  checks[${i}] (${check.type}): expected a field name, found "${col}"`);
    }
  });
  spec.inputs.forEach((input, i) => {
    if (spec.inputs.indexOf(input) !== i) problems.push(`  inputs[${i}]: "${input}" is listed more than once`);
  });
  spec.charts.forEach((chart, i) => {
    for (const key of ['x', 'y', 'color', 'facet'] as const) {
      const col = chart[key];
      if (col && !known.has(col)) problems.push(`  charts[${i}].${key}: expected a field name, found "${col}"`);
    }
  });
  spec.schema.fields.forEach((field, i) => {
    const pattern = field.constraints?.pattern;
    if (pattern) {
      try {
        new RegExp(pattern);
      } catch {
        problems.push(`  schema.fields[${i}].constraints.pattern: expected a regular expression, found "${pattern}"`);
      }
    }
    if (field.format && field.type !== 'date' && field.type !== 'datetime') {
      problems.push(`  schema.fields[${i}].format: only date and datetime fields take a format, found type "${field.type}"`);
    }
  });
  return problems;
}
