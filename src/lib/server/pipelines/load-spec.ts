import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { pipelinesDir } from '../config/paths.ts';
import { formatZodIssues } from '../validation/zod-issues.ts';
import { pipelineSpecSchema, type PipelineSpec } from './spec.ts';
import { crossCheck, inputsCheck } from './spec-cross-check.ts';
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
  const raw = yamlValue(specFile, doc);
  const parsed = pipelineSpecSchema.safeParse(raw);
  // Every problem at once: zod's and the cross-references', each with its key path.
  const problems = [...(parsed.success ? [] : formatZodIssues(parsed.error.issues)), ...crossCheck(raw), ...inputsCheck(id, raw)];
  if (problems.length > 0 || !parsed.success) throw new SpecError(specFile, problems);
  const spec = parsed.data;

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
