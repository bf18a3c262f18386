import path from 'node:path';
import { MANIFEST_FORMAT, type Manifest } from '../../src/lib/server/lake/manifest.ts';
import { listPipelineIds, loadPipeline } from '../../src/lib/server/pipelines/load-spec.ts';
import { type PipelineSpec } from '../../src/lib/server/pipelines/spec.ts';
import { METADATA_KEYS } from '../../src/lib/server/lake/schema.ts';

/**
 * Manifests shaped like the runner's, from the repository's real demo pipeline specs (their metadata,
 * fields and checks), so search tests rank the catalog a newcomer actually sees. Data figures are made up.
 */
export function demoManifests(publishedAt = '2026-01-10T00:00:00.000Z'): Manifest[] {
  process.env.KOTA_ROOT = path.resolve(import.meta.dirname, '../..');
  return listPipelineIds().map((id) => manifestFromSpec(id, loadPipeline(id).spec, { publishedAt }));
}

export function manifestFromSpec(
  id: string,
  spec: PipelineSpec,
  options: { publishedAt?: string; rows?: number; checksPass?: boolean } = {},
): Manifest {
  const metadata = Object.fromEntries(METADATA_KEYS.filter((k) => spec[k] !== undefined).map((k) => [k, spec[k]])) as Manifest['metadata'];
  const publishedAt = options.publishedAt ?? '2026-01-10T00:00:00.000Z';
  return {
    format: MANIFEST_FORMAT,
    dataset: id,
    version: `v-${id}`,
    published_at: publishedAt,
    metadata,
    schema: { fields: spec.schema.fields, primary_key: spec.schema.primary_key },
    charts: spec.charts,
    data: { path: 'data.parquet', rows: options.rows ?? 100, bytes: 4096, sha256: '0'.repeat(64) },
    profile: [],
    checks: spec.checks.map((c, i) => ({
      name: c.name ?? `${c.type}-${i}`,
      type: c.type,
      severity: c.severity,
      status: options.checksPass === false ? 'fail' : 'pass',
      failures: options.checksPass === false ? 1 : 0,
    })),
    lineage: {
      source: { location: spec.source.path ?? spec.source.url ?? '', format: spec.source.format, sha256: '0'.repeat(64), bytes: 1, fetched_at: publishedAt },
      spec_sha256: '0'.repeat(64),
      transform_sha256: null,
      references: {},
      run_id: `run-${id}`,
      started_at: publishedAt,
      duration_ms: 1,
      runner: { version: 'test', duckdb: 'test' },
    },
  };
}

/** A small valid spec for hand-made ranking cases; override what the test is about. */
export function tinySpec(overrides: Partial<PipelineSpec> = {}): PipelineSpec {
  return {
    title: 'Dataset uji',
    description: 'Deskripsi dataset uji yang cukup panjang untuk dibaca.',
    organization: 'diskominfo',
    topics: ['pemerintahan'],
    tags: [],
    license: 'CC-BY-4.0',
    update_frequency: 'tahunan',
    contact_point: { name: 'Tim Uji', email: 'uji@example.go.id' },
    temporal_coverage: { start: '2024-01-01' },
    spatial_coverage: { name: 'Kota Bandung', region_code: '3273' },
    data_type: 'statistik',
    classification: 'terbuka',
    presentation_level: 'kota',
    source_attribution: 'Pengujian',
    language: 'id',
    synthetic: true,
    source: { path: 'datasets/x.csv', format: 'csv', header: true, skip_rows: 0, extra_fields: 'error', null_values: [''], timeout_ms: 1000, retries: 0, max_bytes: 1000 },
    schema: { fields: [{ name: 'nilai', type: 'integer', title: 'Nilai' }], primary_key: [] },
    checks: [],
    charts: [],
    inputs: [],
    publish: { allow_empty: false },
    ...overrides,
  };
}
