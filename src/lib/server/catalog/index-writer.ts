import { LIST, listValue, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import type { Manifest } from '../lake/manifest.ts';
import type { RunRecord } from '../pipelines/run-record.ts';

/**
 * Writes to the catalog index tables. Each function replaces everything the index holds about one
 * dataset, so running it twice, or after a crash half-way, leaves the same rows (callers wrap it in a
 * transaction).
 */
export async function replaceDataset(conn: DuckDBConnection, manifest: Manifest, versions: Manifest[]): Promise<void> {
  const id = manifest.dataset;
  await removeDataset(conn, id);
  const m = manifest.metadata;
  await conn.run(
    `INSERT INTO catalog_datasets VALUES ($id, $version, $title, $title_en, $description, $description_en, $organization,
       $classification, $synthetic, $topics, $tags, $license, $update_frequency, $rows, $bytes, $published_at, $manifest)`,
    {
      id,
      version: manifest.version,
      title: m.title,
      title_en: m.title_en ?? null,
      description: m.description,
      description_en: m.description_en ?? null,
      organization: m.organization,
      classification: m.classification,
      synthetic: m.synthetic === true,
      topics: listValue(m.topics ?? []),
      tags: listValue(m.tags ?? []),
      license: m.license,
      update_frequency: m.update_frequency ?? null,
      rows: manifest.data.rows,
      bytes: manifest.data.bytes,
      published_at: manifest.published_at,
      manifest: JSON.stringify(manifest),
    },
    // An empty list has no item type of its own: say it, or DuckDB refuses `[]`.
    { topics: LIST(VARCHAR), tags: LIST(VARCHAR) },
  );
  for (const v of versions) {
    await conn.run(`INSERT INTO catalog_versions VALUES ($dataset, $version, $published_at, $rows, $bytes, $sha256, $run_id)`, {
      dataset: id,
      version: v.version,
      published_at: v.published_at,
      rows: v.data.rows,
      bytes: v.data.bytes,
      sha256: v.data.sha256,
      run_id: v.lineage?.run_id ?? null,
    });
  }
  let position = 0;
  for (const f of manifest.schema.fields) {
    await conn.run(`INSERT INTO catalog_columns VALUES ($dataset, $position, $name, $type, $title, $title_en, $description, $unit)`, {
      dataset: id,
      position: position++,
      name: f.name,
      type: f.type,
      title: f.title,
      title_en: f.title_en ?? null,
      description: f.description ?? null,
      unit: f.unit ?? null,
    });
  }
}

export async function removeDataset(conn: DuckDBConnection, id: string): Promise<void> {
  await conn.run('DELETE FROM catalog_datasets WHERE id = $id', { id });
  await conn.run('DELETE FROM catalog_versions WHERE dataset = $id', { id });
  await conn.run('DELETE FROM catalog_columns WHERE dataset = $id', { id });
}

export async function insertRun(conn: DuckDBConnection, dataset: string, r: RunRecord): Promise<void> {
  await conn.run(
    `INSERT OR REPLACE INTO pipeline_runs VALUES ($run_id, $dataset, $trigger, $status, $started_at, $finished_at, $duration_ms,
       $rows, $version, $error, $record)`,
    {
      run_id: r.run_id,
      dataset,
      trigger: r.trigger,
      status: r.status,
      started_at: r.started_at,
      finished_at: r.finished_at,
      duration_ms: Math.round(r.duration_ms),
      rows: r.rows,
      version: r.version,
      error: r.error,
      record: JSON.stringify(r),
    },
  );
}

/** Drops runs whose record files are gone (pruned), so the index never lists what the lake no longer has. */
export async function removeRunsExcept(conn: DuckDBConnection, dataset: string, keep: readonly string[]): Promise<void> {
  if (keep.length === 0) {
    await conn.run('DELETE FROM pipeline_runs WHERE dataset = $dataset', { dataset });
    return;
  }
  await conn.run('DELETE FROM pipeline_runs WHERE dataset = $dataset AND NOT list_contains($keep, run_id)', {
    dataset,
    keep: listValue([...keep]),
  });
}

export async function indexedDatasetIds(conn: DuckDBConnection): Promise<string[]> {
  const reader = await conn.runAndReadAll('SELECT id FROM catalog_datasets');
  return reader.getRowObjectsJson().map((r) => String(r.id));
}

export async function indexedRunIds(conn: DuckDBConnection, dataset: string): Promise<Set<string>> {
  const reader = await conn.runAndReadAll('SELECT run_id FROM pipeline_runs WHERE dataset = $dataset', { dataset });
  return new Set(reader.getRowObjectsJson().map((r) => String(r.run_id)));
}

export async function indexedRunDatasets(conn: DuckDBConnection): Promise<string[]> {
  const reader = await conn.runAndReadAll('SELECT DISTINCT dataset FROM pipeline_runs');
  return reader.getRowObjectsJson().map((r) => String(r.dataset));
}
