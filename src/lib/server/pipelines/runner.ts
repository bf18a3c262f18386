import { rm } from 'node:fs/promises';
import path from 'node:path';
import { deployment } from '../config/deployment.ts';
import { scratchDir } from '../config/paths.ts';
import { readCurrent, readManifest, versionDataPath } from '../lake/read.ts';
import { publishVersion, removeUnpublished, stagedParquet, stagingDir, writeStagedParquet } from '../lake/publish.ts';
import { quoteIdent } from '../db/sql.ts';
import { pruneVersions } from '../lake/retention.ts';
import { checkResults, planChecks } from './checks.ts';
import { coerceToSchema } from './coerce.ts';
import { constraintRules, keyedColumns } from './constraints.ts';
import { evaluateRowRules, TYPED, TYPED_ROW, type RowRule } from './rule-query.ts';
import { decodeContext, decodeSource } from './decode.ts';
import { SourceProblemError } from './source-problem.ts';
import { extractSource, sha256File, SourceError } from './extract.ts';
import { copySourceToParquet, loadSource, typedOverParquet } from './load.ts';
import type { DecodedSource } from './decode.ts';
import { loadPipeline, sha256Hex, SpecError, type LoadedPipeline } from './load-spec.ts';
import { acquireLock, LockedError } from './lock.ts';
import { buildProfile, planProfile, profileAggregates } from './profile.ts';
import { footerStats } from './footer-stats.ts';
import { groupedValues } from './grouped-values.ts';
import { bitmapPrechecks, footerRuleCounts } from './rule-stats.ts';
import { publishGuards } from './publish-guards.ts';
import { createInputViews, referencedFiles, resolveReferences, type RunReferences } from './references.ts';
import type { RuleReport, RunRecord, RunStatus } from './run-record.ts';
import { newRunId, readInputState, saveInputState, saveRun } from './run-store.ts';
import { type PipelineSpec } from './spec.ts';
import { METADATA_KEYS } from '../lake/schema.ts';
import { openStaging, type Staging } from './staging.ts';
import { applyTransform, TransformError } from './transform.ts';
import { summarizeDiff } from '../lake/version-diff.ts';
import { RUNNER_VERSION, DUCKDB_VERSION } from './versions.ts';
import type { DatasetMetadata, Manifest } from '../lake/manifest.ts';
import type { FieldSpec } from '../lake/schema.ts';

export interface Progress {
  dataset: string;
  phase: 'extract' | 'load' | 'transform' | 'validate' | 'profile' | 'publish';
  rows?: number;
  bytes?: number;
}

export interface RunOptions {
  trigger?: RunRecord['trigger'];
  /** Validate only: run every step but publish nothing and store no run record. */
  dryRun?: boolean;
  /** Process even when the inputs are unchanged, and publish even when the row count dropped sharply. */
  force?: boolean;
  onProgress?: (progress: Progress) => void;
  now?: Date;
}

/** 0 published or unchanged, 1 a check failed, 2 bad spec or unreadable source, 3 already running. */
export type ExitCode = 0 | 1 | 2 | 3;

export interface RunOutcome {
  record: RunRecord;
  exitCode: ExitCode;
  /** For dry runs: whether it would publish. */
  valid: boolean;
}

export async function runPipeline(id: string, options: RunOptions = {}): Promise<RunOutcome> {
  const started = Date.now();
  const record: RunRecord = {
    run_id: newRunId(),
    dataset: id,
    trigger: options.trigger ?? 'cli',
    status: 'error',
    started_at: new Date(started).toISOString(),
    finished_at: '',
    duration_ms: 0,
    rows: null,
    version: null,
    previous_version: null,
    source: { location: '', sha256: null, bytes: null },
    report: [],
    checks: [],
    error: null,
  };
  let exitCode: ExitCode = 2;
  let valid = false;
  let release: (() => void) | undefined;
  let staging: Staging | undefined;
  const scratch = path.join(scratchDir(), record.run_id);
  try {
    const pipeline = loadPipeline(id);
    if (pipeline.spec.classification === 'tertutup') {
      throw new SpecError(pipeline.specFile, ['  classification: "tertutup" (closed) datasets are never published by this platform; expected terbuka or terbatas']);
    }
    release = acquireLock(id);
    await removeUnpublished(id, record.run_id);
    const previous = await readCurrentVersion(id);
    record.previous_version = previous?.version ?? null;
    const references = await resolveReferences(pipeline);
    const progress = (p: Omit<Progress, 'dataset'>) => options.onProgress?.({ dataset: id, ...p });
    progress({ phase: 'extract' });
    const source = await extractSource(pipeline.spec.source, scratch, (bytes) => progress({ phase: 'extract', bytes }));
    // Load while the source is still being hashed: on a large file this hides the hash. If the hash then shows
    // nothing changed, the load is interrupted and thrown away.
    staging = await openStaging(scratch, {
      readFiles: [source.file, ...referencedFiles(references), ...(previous ? [previous.file] : [])],
      writeDirs: [stagingDir(id, record.run_id)],
    });
    const conn = staging.conn;
    let abandoned = false;
    const decimalFor = (decoded: DecodedSource) => pipeline.spec.source.decimal ?? (decoded.delimiter === ';' ? ',' : '.');
    const staged = stagedParquet(id, record.run_id);
    const context = decodeContext(pipeline.spec.source, pipeline.spec.schema.fields, pipeline.transformSql !== null);
    const loading = (async () => {
      const decoded = await decodeSource(source.file, pipeline.spec.source, scratch, context);
      if (abandoned) return { decoded, direct: false };
      progress({ phase: 'load' });
      const onRows = (rows: number) => progress({ phase: 'load', rows });
      const direct =
        !pipeline.transformSql && (await copySourceToParquet(conn, decoded, pipeline.spec.schema.fields, decimalFor(decoded), staged, context.nullsFor, onRows));
      if (direct || abandoned) return { decoded, direct };
      return { decoded: await loadSource(conn, decoded, onRows), direct };
    })();
    loading.catch(() => {});
    const sourceSha = await source.sha256;
    record.source = { location: source.location, sha256: sourceSha, bytes: source.bytes };

    const fingerprint = inputFingerprint(pipeline, sourceSha, references);
    const state = readInputState(id);
    if (!options.dryRun && !options.force && state?.fingerprint === fingerprint && state.version === record.previous_version && (await readManifest(id, state.version))) {
      abandoned = true;
      conn.interrupt();
      await loading.catch(() => {});
      record.status = 'unchanged';
      record.version = state.version;
      record.rows = (await readManifest(id, state.version))?.data.rows ?? null;
      exitCode = 0;
      return { record, exitCode, valid: true };
    }
    const { decoded, direct } = await loading;
    if (decoded.notices.length > 0) record.notices = decoded.notices;
    await source.verifyUnchanged?.();
    let typeReports: RuleReport[] = [];
    if (direct) {
      await typedOverParquet(staging.conn, staged);
    } else {
      let table = 'source';
      if (pipeline.transformSql) {
        progress({ phase: 'transform' });
        await createInputViews(staging.conn, references.inputs);
        table = await applyTransform(staging.conn, pipeline.transformSql, { inputs: references.inputs });
      }
      // DuckDB was given only the spellings of "missing" seen at the top of the file; values read as text get all of them.
      const nullsFor = (field: FieldSpec) => context.nullsFor(field) ?? (field.type === 'string' ? null : pipeline.spec.source.null_values);
      typeReports = (await coerceToSchema(staging.conn, table, pipeline.spec.schema.fields, decimalFor(decoded), nullsFor)).reports;
    }
    progress({ phase: 'validate' });
    const fields = pipeline.spec.schema.fields;
    // The staged Parquet is final on the direct path (unless sort_by rewrites it): hash it while the rules run, and
    // read what its footer knows.
    const sortBy = pipeline.spec.schema.sort_by ?? [];
    const parquetSha = direct && sortBy.length === 0 ? sha256File(staged) : undefined;
    parquetSha?.catch(() => {});
    const footer = direct ? await footerStats(staging.conn, staged, fields) : null;
    const checkPlan = await planChecks(staging.conn, pipeline.spec.checks, references.targets, options.now);
    const constraints = constraintRules(fields, pipeline.spec.schema.primary_key);
    const plan = await planProfile(staging.conn, fields, footer, keyedColumns(fields, pipeline.spec.schema.primary_key));
    const rules = footer ? bitmapPrechecks([...constraints, ...checkPlan.rowRules], footer, fields) : [...constraints, ...checkPlan.rowRules];
    const fromFooter = footer ? await footerRuleCounts(staging.conn, rules, footer, fields) : () => undefined;
    // Low-cardinality columns are counted once by value; their one-column rules are counted on those groups.
    const grouped = await groupedValues(staging.conn, [...plan.grouped], rules.filter((r) => fromFooter(r) === undefined));
    const known = (rule: RowRule) => fromFooter(rule) ?? grouped.ruleCounts.get(rule);
    const batch = await evaluateRowRules(staging.conn, rules, profileAggregates(fields, plan), known);
    const constraintReports = batch.reports.slice(0, constraints.length);
    const checks = { ...checkResults(checkPlan, batch.reports.slice(constraints.length)), references: checkPlan.references };
    progress({ phase: 'profile' });
    const duplicates = (column: string) => Math.max(0, ...constraintReports.filter((r) => (r.rule === 'unique' || r.rule === 'primary_key') && r.column === column).map((r) => r.count));
    const { rows, profile } = await buildProfile(staging.conn, batch.typedAggregates, fields, plan, duplicates, grouped.columns);
    record.rows = rows;
    record.checks = checks.results;
    const guards = publishGuards(pipeline.spec, rows, previous, { force: options.force === true, defaultMaxDrop: deployment().pipelines.max_row_drop });
    record.report = [...typeReports, ...constraintReports, ...checks.reports, ...guards].filter((r) => r.count > 0);
    if (hasErrors(record.report)) {
      record.status = 'failed';
      exitCode = 1;
      return { record, exitCode, valid: false };
    }
    valid = true;
    if (options.dryRun) {
      record.status = 'valid';
      exitCode = 0;
      return { record, exitCode, valid };
    }
    progress({ phase: 'publish', rows });
    if (!direct || sortBy.length > 0) {
      const columns = pipeline.spec.schema.fields.map((f) => quoteIdent(f.name)).join(', ');
      // Ties keep the source's order, so the same source always gives the same bytes (and version id).
      const order = sortBy.length > 0 ? ` ORDER BY ${sortBy.map((c) => `${quoteIdent(c)} NULLS LAST`).join(', ')}, ${TYPED_ROW}` : '';
      await writeStagedParquet(staging.conn, `SELECT ${columns} FROM ${TYPED}${order}`, id, record.run_id, { sorted: sortBy.length > 0 });
    }
    const { manifest } = await publishVersion(
      {
        dataset: id,
        rows,
        metadata: pickMetadata(pipeline.spec),
        schema: { fields: pipeline.spec.schema.fields, primary_key: pipeline.spec.schema.primary_key, ...(sortBy.length > 0 ? { sort_by: sortBy } : {}) },
        charts: pipeline.spec.charts,
        profile,
        checks: checks.results,
        lineage: {
          source: { location: source.location, format: pipeline.spec.source.format, sha256: sourceSha, bytes: source.bytes, fetched_at: source.fetchedAt },
          spec_sha256: pipeline.specSha256,
          transform_sha256: pipeline.transformSha256,
          references: checks.references,
          run_id: record.run_id,
          started_at: record.started_at,
          duration_ms: Date.now() - started,
          runner: { version: RUNNER_VERSION, duckdb: DUCKDB_VERSION },
        },
      },
      record.run_id,
      parquetSha,
      // Stored with the new version so that no page ever has to scan both files to say what changed.
      previous
        ? () => summarizeDiff(conn, previous.manifest, pipeline.spec, [previous.file, stagedParquet(id, record.run_id)])
        : undefined,
    );
    record.version = manifest.version;
    record.status = manifest.version === record.previous_version ? 'unchanged' : 'published';
    await saveInputState(id, { fingerprint, version: manifest.version });
    await pruneVersions(id, deployment().lake.keep_versions);
    exitCode = 0;
    return { record, exitCode, valid };
  } catch (error) {
    record.status = 'error';
    record.error = describeError(error);
    if (error instanceof SourceProblemError) record.problem = error.problem;
    exitCode = error instanceof LockedError ? 3 : 2;
    return { record, exitCode, valid: false };
  } finally {
    staging?.close();
    await rm(scratch, { recursive: true, force: true });
    // Whatever did not become a version (failed checks, a dry run, an error) leaves no staging folder behind.
    if (release) await rm(stagingDir(id, record.run_id), { recursive: true, force: true });
    release?.();
    record.finished_at = new Date().toISOString();
    record.duration_ms = Date.now() - started;
    if (!options.dryRun && !(record.status === 'error' && record.error?.startsWith('locked:'))) await saveRun(record);
  }
}

function hasErrors(reports: RuleReport[]): boolean {
  return reports.some((r) => r.severity === 'error' && r.count > 0);
}

function describeError(error: unknown): string {
  if (error instanceof LockedError) return `locked: ${error.message}`;
  if (error instanceof SpecError || error instanceof SourceError || error instanceof TransformError) return error.message;
  return `unexpected error: ${(error as Error)?.stack ?? String(error)}`;
}

/** Everything that determines the output: if none of it changed, the run publishes nothing (invariant 3). */
function inputFingerprint(pipeline: LoadedPipeline, sourceSha: string, references: RunReferences): string {
  // Relationships targets that are not published count as null, as they always have.
  const targets: Record<string, string | null> = {};
  for (const check of pipeline.spec.checks) if (check.type === 'relationships') targets[check.to] = references.targets.get(check.to)?.version ?? null;
  return sha256Hex(
    JSON.stringify({
      runner: RUNNER_VERSION,
      source: sourceSha,
      spec: pipeline.specSha256,
      transform: pipeline.transformSha256,
      references: targets,
      // Absent without inputs, so that lakes published before inputs existed stay "unchanged".
      ...(references.inputs.length > 0 ? { inputs: Object.fromEntries(references.inputs.map((d) => [d.id, d.version])) } : {}),
    }),
  );
}

/** The version a run replaces, with what the publish guards and the stored diff need. */
async function readCurrentVersion(id: string): Promise<{ version: string; manifest: Manifest; file: string } | null> {
  const current = await readCurrent(id);
  const manifest = current ? await readManifest(id, current.version) : null;
  return current && manifest ? { version: current.version, manifest, file: versionDataPath(id, current.version) } : null;
}

function pickMetadata(spec: PipelineSpec): DatasetMetadata {
  return Object.fromEntries(METADATA_KEYS.map((k) => [k, spec[k]]).filter(([, v]) => v !== undefined)) as DatasetMetadata;
}

export type { RunStatus };
