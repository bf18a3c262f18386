import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Manifest } from '../../src/lib/server/lake/manifest.ts';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir } from '../helpers/temp.ts';

/**
 * One lake for the API contract tests: a public dataset with two versions (3 rows, then 25 with nulls,
 * for paging), a second public dataset of another OPD and topic, and a terbatas one that must never show.
 */
export const PENDUDUK = 'penduduk-kecamatan';
export const FASKES = 'fasilitas-kesehatan';
export const TERBATAS = 'data-terbatas';

export const FASKES_FIELDS: FieldSpec[] = [
  { name: 'nama', type: 'string', title: 'Nama fasilitas' },
  { name: 'jenis', type: 'string', title: 'Jenis' },
  { name: 'tempat_tidur', type: 'integer', title: 'Tempat tidur', unit: 'unit' },
  { name: 'dibuka', type: 'date', title: 'Tanggal dibuka' },
];

/** 25 districts; every 6th has no population figure (null), so sorts must put nulls last. */
export const PENDUDUK_ROWS = Array.from({ length: 25 }, (_, i) => ({
  kecamatan: `Kecamatan ${String(i + 1).padStart(2, '0')}`,
  jumlah_penduduk: i % 6 === 5 ? null : 1000 * ((i * 7) % 25) + i,
}));

export interface ApiFixture {
  root: string;
  server: TestServer;
  v1: Manifest;
  v2: Manifest;
}

export async function startApiFixture(env: Record<string, string> = {}): Promise<ApiFixture> {
  const root = makeTempDir('kota-api-');
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'));
  const v1 = await publishTestVersion(dataDir, {
    id: PENDUDUK,
    fields: PENDUDUK_FIELDS,
    rows: [
      { kecamatan: 'Andir', jumlah_penduduk: 97123 },
      { kecamatan: 'Coblong', jumlah_penduduk: 113456 },
      { kecamatan: 'Cidadap', jumlah_penduduk: 59789 },
    ],
    publishedAt: '2026-01-15T02:00:00.000Z',
  });
  const v2 = await publishTestVersion(dataDir, { id: PENDUDUK, fields: PENDUDUK_FIELDS, rows: PENDUDUK_ROWS, publishedAt: '2026-02-15T02:00:00.000Z' });
  await publishTestVersion(dataDir, {
    id: FASKES,
    fields: FASKES_FIELDS,
    rows: [
      { nama: 'Puskesmas Andir', jenis: 'puskesmas', tempat_tidur: 10, dibuka: '1990-05-01' },
      { nama: 'RSUD Kota', jenis: 'rumah sakit', tempat_tidur: 300, dibuka: '1975-01-20' },
      { nama: 'Klinik "Sehat", Coblong', jenis: 'klinik', tempat_tidur: null, dibuka: null },
    ],
    metadata: {
      title: 'Fasilitas Kesehatan',
      title_en: 'Health Facilities',
      description: 'Daftar fasilitas kesehatan di kota (sampel sintetis untuk pengujian).',
      organization: 'dinkes',
      topics: ['kesehatan'],
      tags: ['puskesmas', 'rumah sakit'],
      license: 'CC0-1.0',
    },
    publishedAt: '2026-03-01T02:00:00.000Z',
  });
  await publishTestVersion(dataDir, {
    id: TERBATAS,
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Rahasia', jumlah_penduduk: 1 }],
    metadata: { title: 'Data Terbatas Internal', classification: 'terbatas', topics: ['rahasia'] },
  });
  const server = await startTestServer({ dataDir, env: { PIPELINES_DIR: path.join(root, 'pipelines'), ...env } });
  return { root, server, v1, v2 };
}

/** GET a JSON endpoint: status, parsed body and headers. */
export async function getJson(server: TestServer, pathname: string, init?: RequestInit) {
  const response = await server.get(pathname, init);
  let body: any = null;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new Error(`${pathname} answered ${response.status} with non-JSON: ${response.text.slice(0, 300)}`);
  }
  return { status: response.status, body, headers: response.headers };
}
