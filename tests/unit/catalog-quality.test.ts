import { describe, expect, test } from 'vitest';
import { frequencyMet, qualityScore, type QualityCriterion } from '../../src/lib/server/catalog/quality.ts';
import type { Manifest } from '../../src/lib/server/lake/manifest.ts';
import { manifestFromSpec, tinySpec } from '../helpers/catalog-manifests.ts';

/** The quality score's rules, one criterion at a time, on manifests shaped like the runner's. */
const now = new Date('2026-01-20T00:00:00.000Z');
const long = 'Jumlah kunjungan ke taman kota per bulan menurut taman, dihitung petugas di setiap pintu masuk pada jam buka.';

function good(): Manifest {
  return manifestFromSpec(
    'taman',
    tinySpec({
      description: long,
      update_frequency: 'bulanan',
      schema: { fields: [{ name: 'kunjungan', type: 'integer', title: 'Kunjungan', unit: 'orang' }], primary_key: [] },
      checks: [{ type: 'not_null', columns: ['kunjungan'], severity: 'error' }],
    }),
    { publishedAt: '2026-01-05T00:00:00.000Z' },
  );
}
const met = (m: Manifest) => Object.fromEntries(qualityScore(m, now).criteria.map((c) => [c.key, c.met])) as Record<QualityCriterion, boolean>;

test('a well-described, recently published, checked dataset meets every criterion', () => {
  const score = qualityScore(good(), now);
  expect(score).toMatchObject({ score: 9, max: 9 });
  expect(score.criteria.every((c) => c.met)).toBe(true);
});

describe('each criterion', () => {
  test.each<[QualityCriterion, (m: Manifest) => void]>([
    ['license_open', (m) => (m.metadata.license = 'proprietary')],
    ['description', (m) => (m.metadata.description = 'Terlalu singkat.')],
    ['temporal_coverage', (m) => delete (m.metadata as Partial<Manifest['metadata']>).temporal_coverage],
    ['spatial_coverage', (m) => delete (m.metadata as Partial<Manifest['metadata']>).spatial_coverage],
    ['update_frequency_met', (m) => (m.published_at = '2025-10-01T00:00:00.000Z')],
    ['documented_columns', (m) => (m.schema.fields = [{ name: 'a', type: 'integer', title: 'A' }, { name: 'b', type: 'integer', title: 'B', unit: 'x' }])],
    ['checks_defined', (m) => (m.checks = [])],
    ['checks_passing', (m) => (m.checks[0]!.status = 'fail')],
  ])('%s is lost when it is not met, and only it', (key, spoil) => {
    const m = good();
    spoil(m);
    const result = met(m);
    expect(result[key]).toBe(false);
    const others = Object.entries(result).filter(([k]) => k !== key && !(key === 'checks_defined' && k === 'checks_passing'));
    expect(others.every(([, v]) => v)).toBe(true);
    expect(qualityScore(m, now).score).toBeLessThan(9);
  });

  test('licences are compared as SPDX ids, case-insensitively', () => {
    const m = good();
    m.metadata.license = 'cc0-1.0';
    expect(met(m).license_open).toBe(true);
  });
});

describe('update frequency met', () => {
  test.each([
    ['harian', '2026-01-19T00:00:00Z', true],
    ['harian', '2026-01-10T00:00:00Z', false],
    ['mingguan', '2026-01-12T00:00:00Z', true],
    ['bulanan', '2025-12-10T00:00:00Z', true],
    ['bulanan', '2025-11-01T00:00:00Z', false],
    ['tahunan', '2025-02-01T00:00:00Z', true],
    ['tahunan', '2024-06-01T00:00:00Z', false],
    ['tidak_tentu', '2020-01-01T00:00:00Z', true],
    ['sewindu', '2026-01-19T00:00:00Z', false],
  ])('%s, last published %s → %s', (frequency, published, expected) => {
    expect(frequencyMet(frequency, published, now)).toBe(expected);
  });
});
