import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../db/sql.ts';
import { readCurrent, readManifest, versionDataPath } from '../lake/read.ts';
import { SpecError, type LoadedPipeline } from './load-spec.ts';

/** The current version of another published dataset that a run reads. */
export interface ReadableDataset {
  id: string;
  version: string;
  /** Its Parquet file: one of the few files the run's engine may open. */
  file: string;
}

/**
 * The other datasets one run reads, resolved once at its start so that the engine's allow-list, the input
 * fingerprint and the checks all see the same versions even when one of them is republished meanwhile.
 */
export interface RunReferences {
  /** `inputs:`: relations of transform.sql, named by their id. */
  inputs: ReadableDataset[];
  /** Targets of `relationships` checks that are published (an unpublished one makes its check fail). */
  targets: Map<string, ReadableDataset>;
}

/**
 * Resolves the declared inputs and relationships targets. A terbuka (public) dataset may not read a terbatas
 * (restricted) one: its transform could copy restricted rows into public data, and even a relationships check
 * publishes how many values were found there. An input that is not published is a spec problem (exit 2).
 */
export async function resolveReferences(pipeline: LoadedPipeline): Promise<RunReferences> {
  const { spec } = pipeline;
  const problems: string[] = [];
  const inputs: ReadableDataset[] = [];
  const targets = new Map<string, ReadableDataset>();
  for (const [i, id] of spec.inputs.entries()) {
    const found = await published(id);
    if (!found) problems.push(`  inputs[${i}]: dataset "${id}" has no published version; publish it first`);
    else if (found.classification !== 'terbuka' && spec.classification === 'terbuka') problems.push(`  inputs[${i}]: ${restricted(id)}`);
    else inputs.push(found.dataset);
  }
  for (const [i, check] of spec.checks.entries()) {
    if (check.type !== 'relationships' || targets.has(check.to)) continue;
    const found = await published(check.to);
    if (!found) continue;
    if (found.classification !== 'terbuka' && spec.classification === 'terbuka') problems.push(`  checks[${i}] (relationships): ${restricted(check.to)}`);
    else targets.set(check.to, found.dataset);
  }
  if (problems.length > 0) throw new SpecError(pipeline.specFile, problems);
  return { inputs, targets };
}

function restricted(id: string): string {
  return `"${id}" is terbatas (restricted); a terbuka (public) dataset cannot read it`;
}

async function published(id: string): Promise<{ dataset: ReadableDataset; classification: string } | null> {
  const current = await readCurrent(id);
  const manifest = current ? await readManifest(id, current.version) : null;
  if (!current || !manifest) return null;
  return { dataset: { id, version: current.version, file: versionDataPath(id, current.version) }, classification: manifest.metadata.classification };
}

export function referencedFiles(references: RunReferences): string[] {
  return [...references.inputs, ...references.targets.values()].map((d) => d.file);
}

/** Each input as a view named by its id: the only way transform.sql reads another dataset. */
export async function createInputViews(conn: DuckDBConnection, inputs: ReadableDataset[]): Promise<void> {
  for (const input of inputs) {
    await conn.run(`CREATE VIEW ${quoteIdent(input.id)} AS SELECT * FROM read_parquet(${quoteLiteral(input.file)})`);
  }
}
