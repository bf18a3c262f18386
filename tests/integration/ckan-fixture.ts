import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir } from '../helpers/temp.ts';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';

/**
 * A small public catalog for the open-format tests: four public datasets from four OPDs with different
 * tags, topics, licences and dates, one of 250 typed rows for datastore paging, and one terbatas dataset
 * that must never show.
 */
export const FASKES_FIELDS: FieldSpec[] = [
  { name: 'nama', type: 'string', title: 'Nama fasilitas', description: 'Nama resmi fasilitas kesehatan', constraints: { required: true, unique: true } },
  { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
  { name: 'kapasitas', type: 'integer', title: 'Kapasitas tempat tidur', unit: 'tempat tidur', constraints: { minimum: 0, maximum: 500 } },
  { name: 'rasio', type: 'number', title: 'Rasio pemanfaatan' },
  { name: 'aktif', type: 'boolean', title: 'Masih beroperasi' },
  { name: 'dibuka', type: 'date', title: 'Tanggal dibuka' },
  { name: 'diperbarui', type: 'datetime', title: 'Waktu pembaruan' },
];

export const KECAMATAN = ['Andir', 'Coblong', 'Cidadap', 'Sukajadi', 'Lengkong'];

export function faskesRows(): Record<string, string | number | boolean | null>[] {
  return Array.from({ length: 250 }, (_, i) => ({
    nama: `Faskes ${String(i + 1).padStart(3, '0')}`,
    kecamatan: KECAMATAN[i % KECAMATAN.length]!,
    kapasitas: (i * 7) % 301,
    rasio: Math.round(((i % 10) / 10 + 0.05) * 100) / 100,
    aktif: i % 3 !== 0,
    dibuka: `20${String(10 + (i % 15)).padStart(2, '0')}-0${1 + (i % 9)}-15`,
    diperbarui: i === 0 ? null : `2026-01-${String(1 + (i % 28)).padStart(2, '0')} 08:30:00`,
  }));
}

export interface CkanFixture {
  root: string;
  server: TestServer;
}

export async function startCkanFixture(env: Record<string, string> = {}): Promise<CkanFixture> {
  const root = makeTempDir('kota-ckan-');
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'));
  await publishTestVersion(dataDir, {
    id: 'penduduk-kecamatan',
    fields: PENDUDUK_FIELDS,
    rows: [['Andir', 97123], ['Coblong', 113456], ['Cidadap', 59789]].map(([kecamatan, jumlah_penduduk]) => ({ kecamatan, jumlah_penduduk })),
    publishedAt: '2026-01-15T02:00:00.000Z',
    primaryKey: ['kecamatan'],
  });
  await publishTestVersion(dataDir, {
    id: 'fasilitas-kesehatan',
    fields: FASKES_FIELDS,
    rows: faskesRows(),
    publishedAt: '2026-02-01T02:00:00.000Z',
    primaryKey: ['nama'],
    metadata: {
      title: 'Fasilitas Kesehatan',
      title_en: 'Health Facilities',
      description: 'Daftar fasilitas kesehatan dengan kapasitas tempat tidur (sampel sintetis).',
      organization: 'dinkes',
      topics: ['kesehatan', 'pelayanan publik'],
      tags: ['kesehatan', 'puskesmas'],
      license: 'CC0-1.0',
      update_frequency: 'bulanan',
    },
  });
  await publishTestVersion(dataDir, {
    id: 'sekolah-per-kecamatan',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Andir', jumlah_penduduk: 12 }],
    publishedAt: '2026-03-01T02:00:00.000Z',
    metadata: { title: 'Sekolah per Kecamatan', title_en: 'Schools by District', organization: 'disdik', topics: ['pendidikan'], tags: ['sekolah'] },
  });
  await publishTestVersion(dataDir, {
    id: 'taman-kota',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Coblong', jumlah_penduduk: 4 }],
    publishedAt: '2025-12-01T02:00:00.000Z',
    metadata: { title: 'Taman Kota', title_en: 'City Parks', organization: 'dpkp', topics: ['lingkungan hidup'], tags: ['taman', 'ruang terbuka'] },
  });
  await publishTestVersion(dataDir, {
    id: 'data-terbatas',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Rahasia', jumlah_penduduk: 1 }],
    metadata: { title: 'Data Terbatas Internal', classification: 'terbatas', organization: 'disdukcapil', tags: ['penduduk', 'rahasia'] },
  });
    // No background prewarm: a resource's size and hash then change only when a test downloads its file.
  const server = await startTestServer({ dataDir, env: { PIPELINES_DIR: path.join(root, 'pipelines'), KOTA_PREWARM: 'off', ...env } });
  return { root, server };
}

export const PUBLIC_IDS = ['fasilitas-kesehatan', 'penduduk-kecamatan', 'sekolah-per-kecamatan', 'taman-kota'];

/** What ckanapi's RemoteCKAN sends: POST with a JSON body, or GET with query parameters (get_only / lists repeated). */
export async function ckanPost(server: TestServer, action: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/api/3/action/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'ckanapi/4.7 (+https://github.com/ckan/ckanapi)' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: JSON.parse(await response.text()) };
}

export async function ckanGet(server: TestServer, action: string, params: Record<string, string | string[]> = {}): Promise<{ status: number; body: any }> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) search.append(k, one);
  const response = await server.get(`/api/3/action/${action}${search.size > 0 ? `?${search}` : ''}`, { headers: { 'user-agent': 'ckanapi/4.7' } });
  return { status: response.status, body: JSON.parse(response.text) };
}
