import { expect } from 'vitest';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';

/**
 * One dataset published twice by the real runner, so the page, charts and diff tests read real Parquet, a real
 * profile and real manifests. Version 2 removes id 3, changes id 5 (jumlah 999) and adds id 121.
 */
export const DATASET = 'aduan-uji';
export const KECAMATAN = ['Andir', 'Cibiru', 'Coblong', 'Regol', 'Sukajadi'];
export const KATEGORI = ['Jalan', 'Sampah', 'Taman'];

export interface FixtureRow {
  id: number;
  kecamatan: string;
  kategori: string;
  jumlah: number;
  tanggal: string;
}

export function version1Rows(): FixtureRow[] {
  return Array.from({ length: 120 }, (_, n) => {
    const i = n + 1;
    return {
      id: i,
      kecamatan: KECAMATAN[i % 5]!,
      kategori: KATEGORI[i % 3]!,
      jumlah: (i * 7) % 50,
      tanggal: `2024-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, '0')}`,
    };
  });
}

export function version2Rows(): FixtureRow[] {
  const rows = version1Rows()
    .filter((r) => r.id !== 3)
    .map((r) => (r.id === 5 ? { ...r, jumlah: 999 } : r));
  rows.push({ id: 121, kecamatan: 'Sukajadi', kategori: 'Jalan', jumlah: 42, tanggal: '2024-06-30' });
  return rows;
}

const csv = (rows: FixtureRow[]) => ['id,kecamatan,kategori,jumlah,tanggal', ...rows.map((r) => `${r.id},${r.kecamatan},${r.kategori},${r.jumlah},${r.tanggal}`)].join('\n');

export async function createDatasetFixture(): Promise<TestProject> {
  const project = createProject('kota-dataset-page-');
  project.addPipeline(
    DATASET,
    baseSpec({
      title: 'Sampel sintetis: aduan uji',
      title_en: 'Synthetic sample: test complaints',
      schema: {
        primary_key: ['id'],
        fields: [
          { name: 'id', type: 'integer', title: 'Nomor', constraints: { required: true, unique: true } },
          { name: 'kecamatan', type: 'string', title: 'Kecamatan', title_en: 'District', description: 'Nama kecamatan' },
          { name: 'kategori', type: 'string', title: 'Kategori', title_en: 'Category' },
          { name: 'jumlah', type: 'integer', title: 'Jumlah aduan', title_en: 'Complaints', unit: 'aduan', constraints: { minimum: 0 } },
          { name: 'tanggal', type: 'date', title: 'Tanggal', title_en: 'Date' },
        ],
      },
      charts: [
        { title: 'Aduan per kecamatan', title_en: 'Complaints by district', mark: 'bar', x: 'kecamatan', y: 'jumlah', color: 'kategori' },
        { title: 'Aduan per tanggal', title_en: 'Complaints by date', mark: 'line', x: 'tanggal', y: 'jumlah' },
      ],
    }),
  );
  project.writeFile('datasets/data.csv', csv(version1Rows()));
  expect((await project.run(DATASET)).record).toMatchObject({ status: 'published', error: null });
  project.writeFile('datasets/data.csv', csv(version2Rows()));
  expect((await project.run(DATASET)).record).toMatchObject({ status: 'published', error: null });
  return project;
}
