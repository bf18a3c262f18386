import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { deployment } from '../config/deployment.ts';
import { pipelinesDir } from '../config/paths.ts';
import { formatZodIssues } from '../validation/zod-issues.ts';
import { pipelineSpecSchema, type PipelineSpec } from './spec.ts';
import { resolveChart } from '../../charts/spec.ts';
import { t } from '../../i18n/index.ts';
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
  const parsed = pipelineSpecSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new SpecError(specFile, formatZodIssues(parsed.error.issues));
  const spec = parsed.data;
  const problems = crossCheck(spec);
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
  (spec.schema.sort_by ?? []).forEach((col, i) => {
    if (!known.has(col)) problems.push(`  schema.sort_by[${i}]: expected a field name, found "${col}"`);
  });
  spec.checks.forEach((check, i) => {
    const columns = 'columns' in check ? check.columns : 'column' in check ? [check.column] : [];
    for (const col of columns) {
      if (!known.has(col)) problems.push(`  checks[${i}] (${check.type}): expected a field name, found "${col}"`);
    }
  });
  spec.charts.forEach((chart, i) => {
    const unknown = (['x', 'y', 'color', 'facet'] as const).filter((key) => chart[key] && !known.has(chart[key]!));
    for (const key of unknown) problems.push(`  charts[${i}].${key}: expected a field name, found "${chart[key]}"`);
    // Columns that exist but do not fit the chart (a mean of text, a month bucket of a number) fail here, not on the page.
    if (unknown.length === 0) {
      for (const p of resolveChart(chart, spec.schema.fields, [], (f) => f.title).problems) problems.push(`  charts[${i}].${p.parameter}: ${t('en', p.code, p.params)}`);
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
