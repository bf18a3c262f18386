import { MANIFEST_FORMAT, type Manifest } from '../../src/lib/server/lake/manifest.ts';
import type { DatasetDetail } from '../../src/lib/server/catalog/queries.ts';
import type { Site } from '../../src/lib/server/opendata/site.ts';
import { baseMetadata } from '../helpers/lake.ts';

/** A site and a published dataset for the pure open-format mappings (no config file, no database). */
const OPDS = [
  { code: 'dinkes', name: 'Dinas Kesehatan', name_en: 'Health Agency' },
  { code: 'disdik', name: 'Dinas Pendidikan', name_en: null },
];

export const SITE: Site = {
  base: 'https://data.example.go.id',
  portalName: 'Portal Uji',
  cityName: 'Kota Uji',
  regionCode: '3273',
  contact: { name: 'Tim Data', email: 'data@example.go.id' },
  opds: OPDS,
  opd: (code) => OPDS.find((o) => o.code === code) ?? { code, name: code, name_en: null },
};

export function manifest(overrides: Partial<Manifest['metadata']> = {}, id = 'fasilitas-kesehatan'): Manifest {
  return {
    format: MANIFEST_FORMAT,
    dataset: id,
    version: 'a1b2c3d4e5f60718',
    published_at: '2026-02-01T02:00:00.000Z',
    metadata: {
      ...baseMetadata(),
      title: 'Fasilitas Kesehatan',
      title_en: 'Health Facilities',
      description: 'Daftar fasilitas kesehatan.',
      description_en: 'List of health facilities.',
      organization: 'dinkes',
      topics: ['kesehatan', 'pelayanan publik'],
      tags: ['puskesmas'],
      update_frequency: 'bulanan',
      source_attribution: 'Dinas Kesehatan',
      ...overrides,
    },
    schema: {
      primary_key: ['nama'],
      fields: [
        { name: 'nama', type: 'string', title: 'Nama', description: 'Nama fasilitas', constraints: { required: true, unique: true } },
        { name: 'kapasitas', type: 'integer', title: 'Kapasitas', unit: 'tempat tidur', constraints: { minimum: '0', maximum: 500 } },
        { name: 'rasio', type: 'number', title: 'Rasio' },
        { name: 'aktif', type: 'boolean', title: 'Aktif' },
        { name: 'dibuka', type: 'date', title: 'Dibuka', constraints: { minimum: '2000-01-01' } },
        { name: 'diperbarui', type: 'datetime', title: 'Diperbarui' },
        { name: 'lokasi', type: 'geometry', title: 'Lokasi' },
        { name: 'jenis', type: 'string', title: 'Jenis', constraints: { enum: ['puskesmas', 'rumah sakit'] } },
      ],
    },
    charts: [],
    data: { path: 'data.parquet', rows: 250, bytes: 12345, sha256: 'f'.repeat(64) },
    profile: [],
    checks: [],
    lineage: {
      source: { location: 'https://example.go.id/faskes.csv', format: 'csv', sha256: 'e'.repeat(64), bytes: 999, fetched_at: '2026-02-01T01:59:00.000Z' },
      spec_sha256: '0'.repeat(64),
      transform_sha256: null,
      references: {},
      run_id: 'run-1',
      started_at: '2026-02-01T01:59:00.000Z',
      duration_ms: 42,
      runner: { version: 'test', duckdb: 'test' },
    },
  };
}

export function detail(m: Manifest = manifest()): DatasetDetail {
  return {
    manifest: m,
    versions: [
      { version: m.version, published_at: m.published_at, rows: 250, bytes: 12345, sha256: 'f'.repeat(64), run_id: 'run-1' },
      { version: 'older', published_at: '2025-06-01T00:00:00.000Z', rows: 200, bytes: 10000, sha256: 'd'.repeat(64), run_id: 'run-0' },
    ],
  };
}
