import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { publishTestVersion } from '../helpers/lake.ts';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir } from '../helpers/temp.ts';

/**
 * A small catalog that looks like the demo (several OPDs and topics, a chart, checks, two versions of one dataset)
 * and never changes: fixed dates, fixed run ids, an update frequency whose score does not depend on today, and the
 * public address set in the config so snippets do not show the test's random port. The design tests (screenshots,
 * axe, phone widths, CSP, translations, Open Graph) run on it.
 */
export interface Showcase {
  root: string;
  server: TestServer;
  browser: Browser;
  /** The version id of the dataset with two versions (for the diff page). */
  diffVersion: string;
}

export const PORTAL_URL = 'https://data.bandung.example.go.id';
const DAY = '2026-01-15T02:00:00.000Z';
const steady = { update_frequency: 'tidak_tentu' as const, license: 'CC-BY-4.0' };
const KECAMATAN = ['Andir', 'Antapani', 'Arcamanik', 'Astanaanyar', 'Babakan Ciparay', 'Bandung Kidul', 'Bandung Kulon', 'Coblong'];

const PENDUDUK: FieldSpec[] = [
  { name: 'kecamatan', type: 'string', title: 'Kecamatan', title_en: 'District', description: 'Nama kecamatan menurut BPS.', description_en: 'District name as used by BPS.', constraints: { required: true, unique: true } },
  { name: 'laki_laki', type: 'integer', title: 'Penduduk laki-laki', title_en: 'Male population', unit: 'jiwa', constraints: { required: true, minimum: 0 } },
  { name: 'perempuan', type: 'integer', title: 'Penduduk perempuan', title_en: 'Female population', unit: 'jiwa', constraints: { required: true, minimum: 0 } },
  { name: 'jumlah_penduduk', type: 'integer', title: 'Jumlah penduduk', title_en: 'Population', unit: 'jiwa', description: 'Laki-laki ditambah perempuan.', description_en: 'Male plus female.', constraints: { minimum: 0 } },
];
const UDARA: FieldSpec[] = [
  { name: 'tanggal', type: 'date', title: 'Tanggal', title_en: 'Date' },
  { name: 'stasiun', type: 'string', title: 'Stasiun pemantau', title_en: 'Monitoring station' },
  { name: 'pm25', type: 'number', title: 'PM2,5', title_en: 'PM2.5', unit: 'µg/m³', description: 'Rata-rata harian partikel halus.', description_en: 'Daily mean of fine particles.' },
];
const SEKOLAH: FieldSpec[] = [
  { name: 'kecamatan', type: 'string', title: 'Kecamatan', title_en: 'District' },
  { name: 'jenjang', type: 'string', title: 'Jenjang', title_en: 'Level' },
  { name: 'jumlah_sekolah', type: 'integer', title: 'Jumlah sekolah', title_en: 'Schools', unit: 'sekolah' },
];

function penduduk(extra: number) {
  return KECAMATAN.map((kecamatan, i) => {
    const laki = 40_000 + i * 3_517 + extra;
    const perempuan = 41_000 + i * 3_101;
    return { kecamatan, laki_laki: laki, perempuan, jumlah_penduduk: laki + perempuan };
  });
}

export async function startShowcase(prefix: string): Promise<Showcase> {
  const root = makeTempDir(prefix);
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'));
  const config = readFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), 'utf8').replace('  # portal_url: https://data.bandung.go.id', `  portal_url: ${PORTAL_URL}`);
  writeFileSync(path.join(root, 'kota.config.yaml'), config);

  const pendudukMeta = {
    ...steady,
    title: 'Sampel sintetis: Jumlah Penduduk per Kecamatan',
    title_en: 'Synthetic sample: Population by District',
    description: 'Jumlah penduduk menurut jenis kelamin per kecamatan. Angka dibangkitkan untuk demonstrasi, bukan statistik resmi.',
    description_en: 'Population by sex per district. Generated numbers for demonstration, not official statistics.',
    organization: 'disdukcapil',
    topics: ['kependudukan', 'wilayah'],
    tags: ['penduduk', 'kecamatan'],
    synthetic: true,
  };
  const checks = [
    { name: 'not_null:kecamatan+laki_laki#1', type: 'not_null', severity: 'error' as const, status: 'pass' as const, failures: 0, params: { columns: ['kecamatan', 'laki_laki'] } },
    { name: 'unique:kecamatan#2', type: 'unique', severity: 'error' as const, status: 'pass' as const, failures: 0, params: { columns: ['kecamatan'] } },
    { name: 'range:jumlah_penduduk#3', type: 'range', severity: 'warn' as const, status: 'fail' as const, failures: 2, params: { column: 'jumlah_penduduk', min: 0, max: 100_000 } },
    { name: 'row_count:table#4', type: 'row_count', severity: 'error' as const, status: 'pass' as const, failures: 0, params: { min: 8, max: 8 } },
  ];
  const charts = [{ title: 'Penduduk per kecamatan', title_en: 'Population by district', mark: 'bar' as const, x: 'kecamatan', y: 'jumlah_penduduk' }];
  await publishTestVersion(dataDir, { id: 'penduduk-kecamatan', fields: PENDUDUK, rows: penduduk(0), metadata: pendudukMeta, publishedAt: '2026-01-10T02:00:00.000Z', runId: 'run-penduduk-1', primaryKey: ['kecamatan'], checks, charts });
  const second = await publishTestVersion(dataDir, { id: 'penduduk-kecamatan', fields: PENDUDUK, rows: penduduk(250), metadata: pendudukMeta, publishedAt: DAY, runId: 'run-penduduk-2', primaryKey: ['kecamatan'], checks, charts, storeChanges: true });

  await publishTestVersion(dataDir, {
    id: 'kualitas-udara-harian',
    fields: UDARA,
    rows: Array.from({ length: 20 }, (_, i) => ({ tanggal: `2026-01-${String(i + 1).padStart(2, '0')}`, stasiun: 'Dago', pm25: 20 + ((i * 7) % 13) + i / 2 })),
    metadata: {
      ...steady,
      title: 'Sampel sintetis: Kualitas Udara Harian',
      title_en: 'Synthetic sample: Daily Air Quality',
      description: 'Konsentrasi PM2,5 harian di stasiun pemantau. Angka dibangkitkan untuk demonstrasi.',
      description_en: 'Daily PM2.5 concentration at a monitoring station. Generated numbers for demonstration.',
      organization: 'dlh',
      topics: ['lingkungan hidup', 'kesehatan'],
      tags: ['udara', 'pm2.5'],
      synthetic: true,
    },
    publishedAt: '2026-01-14T02:00:00.000Z',
    runId: 'run-udara-1',
    charts: [{ title: 'PM2,5 harian', title_en: 'Daily PM2.5', mark: 'line', x: 'tanggal', y: 'pm25' }],
    checks: [{ name: 'freshness:tanggal#1', type: 'freshness', severity: 'warn', status: 'pass', failures: 0, params: { column: 'tanggal', max_age_days: 30 } }],
  });
  await publishTestVersion(dataDir, {
    id: 'sekolah-kecamatan',
    fields: SEKOLAH,
    rows: KECAMATAN.flatMap((kecamatan, i) => ['SD', 'SMP'].map((jenjang, j) => ({ kecamatan, jenjang, jumlah_sekolah: 12 + i * 2 - j * 5 }))),
    metadata: {
      ...steady,
      title: 'Jumlah Sekolah per Kecamatan',
      title_en: 'Schools by District',
      description: 'Jumlah sekolah menurut jenjang dan kecamatan (sampel sintetis untuk pengujian).',
      description_en: 'Schools by level and district (a synthetic sample for testing).',
      organization: 'disdik',
      topics: ['pendidikan'],
      tags: ['sekolah'],
    },
    publishedAt: '2026-01-12T02:00:00.000Z',
    runId: 'run-sekolah-1',
    checks: [{ name: 'accepted_values:jenjang#1', type: 'accepted_values', severity: 'error', status: 'pass', failures: 0, params: { column: 'jenjang', values: ['SD', 'SMP'] } }],
  });
  await publishTestVersion(dataDir, {
    id: 'puskesmas',
    fields: [
      { name: 'nama', type: 'string', title: 'Nama puskesmas', title_en: 'Health centre' },
      { name: 'kecamatan', type: 'string', title: 'Kecamatan', title_en: 'District' },
      { name: 'dokter', type: 'integer', title: 'Dokter', title_en: 'Doctors', unit: 'orang' },
    ],
    rows: KECAMATAN.map((kecamatan, i) => ({ nama: `Puskesmas ${kecamatan}`, kecamatan, dokter: 2 + (i % 4) })),
    metadata: {
      ...steady,
      title: 'Sampel sintetis: Puskesmas dan Tenaga Dokter',
      title_en: 'Synthetic sample: Health Centres and Doctors',
      description: 'Daftar puskesmas per kecamatan dengan jumlah dokter. Angka dibangkitkan untuk demonstrasi.',
      description_en: 'Health centres per district with their number of doctors. Generated numbers for demonstration.',
      organization: 'dinkes',
      topics: ['kesehatan'],
      tags: ['puskesmas'],
      synthetic: true,
    },
    publishedAt: '2026-01-08T02:00:00.000Z',
    runId: 'run-puskesmas-1',
  });
  await publishTestVersion(dataDir, {
    id: 'volume-lalu-lintas',
    fields: [
      { name: 'ruas', type: 'string', title: 'Ruas jalan', title_en: 'Road' },
      { name: 'jam', type: 'integer', title: 'Jam', title_en: 'Hour' },
      { name: 'kendaraan', type: 'integer', title: 'Kendaraan per jam', title_en: 'Vehicles per hour', unit: 'kendaraan' },
    ],
    rows: Array.from({ length: 24 }, (_, jam) => ({ ruas: 'Jl. Asia Afrika', jam, kendaraan: 300 + Math.round(900 * Math.sin((Math.PI * jam) / 24)) })),
    metadata: {
      ...steady,
      title: 'Sampel sintetis: Volume Lalu Lintas per Jam',
      title_en: 'Synthetic sample: Hourly Traffic Volume',
      description: 'Jumlah kendaraan per jam di satu titik hitung. Angka dibangkitkan untuk demonstrasi.',
      description_en: 'Vehicles per hour at one counting point. Generated numbers for demonstration.',
      organization: 'dishub',
      topics: ['transportasi'],
      tags: ['lalu lintas'],
      synthetic: true,
    },
    publishedAt: '2026-01-05T02:00:00.000Z',
    runId: 'run-lalin-1',
  });

  await publishTestVersion(dataDir, {
    id: 'aduan-warga',
    fields: [{ name: 'kategori', type: 'string', title: 'Kategori', title_en: 'Category' }],
    rows: [{ kategori: 'Jalan rusak' }],
    metadata: { ...steady, title: 'Aduan Warga', title_en: 'Citizen Complaints', description: 'Aduan warga yang masuk (terbatas untuk aparatur).', organization: 'diskominfo', classification: 'terbatas', topics: ['pelayanan publik'] },
    publishedAt: '2026-01-03T02:00:00.000Z',
    runId: 'run-aduan-1',
  });

  const server = await startTestServer({ dataDir, env: { PIPELINES_DIR: path.join(root, 'pipelines'), KOTA_CONFIG: path.join(root, 'kota.config.yaml') } });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    // Same rendering on every run: sRGB, no LCD sub-pixel text, no hinting differences, and only the fonts in
    // tests/e2e/fonts.conf (DejaVu from Debian) for anything the page's own web font does not cover.
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--force-color-profile=srgb', '--disable-lcd-text', '--font-render-hinting=none', '--hide-scrollbars'],
    env: { ...process.env, FONTCONFIG_FILE: path.join(import.meta.dirname, 'fonts.conf') },
  });
  return { root, server, browser, diffVersion: second.version };
}

/** Every page type of the portal, with the fixture's data; `{diff}` stands for the second version's id (see pageUrl). */
export const SHOWCASE_PAGES: { name: string; path: string }[] = [
  { name: 'home', path: '/' },
  { name: 'catalog', path: '/datasets' },
  { name: 'catalog-filtered', path: '/datasets?q=penduduk&topic=kependudukan' },
  { name: 'catalog-empty', path: '/datasets?q=zzqxv' },
  { name: 'dataset', path: '/datasets/penduduk-kecamatan' },
  { name: 'dataset-filtered', path: '/datasets/penduduk-kecamatan?jumlah_penduduk__gte=90000&_sort=-jumlah_penduduk' },
  { name: 'chart-builder', path: '/datasets/kualitas-udara-harian/chart?mark=line&x=tanggal&y=pm25' },
  { name: 'version-diff', path: '/datasets/penduduk-kecamatan/versions/{diff}' },
  { name: 'sql', path: '/sql?sql=SELECT%20kecamatan%2C%20jumlah_penduduk%20FROM%20%22penduduk-kecamatan%22%20ORDER%20BY%202%20DESC' },
  { name: 'sql-error', path: '/sql?sql=SELEC%201' },
  { name: 'api-docs', path: '/api-docs' },
  { name: 'login', path: '/login' },
  { name: 'signup', path: '/signup' },
  { name: 'reset-password', path: '/reset-password' },
  { name: 'not-found', path: '/tidak-ada-halaman-ini' },
  { name: 'design', path: '/design' },
];

export function pageUrl(site: Showcase, path: string): string {
  return `${site.server.url}${path.replace('{diff}', site.diffVersion)}`;
}
