/**
 * The words of an innovation profile, as the regional innovation index (Indeks Inovasi Daerah, IID, under PP 38/2017)
 * asks for them: stages, initiators, types, forms, government affairs, the SDGs and the IID's evidence indicators.
 * Pure data: codes are stored and exported; the words people read are messages (`badami.<list>.<code>`, id and en).
 */

/** The path of an innovation, in order. `dihentikan` (stopped) is apart: it can be reached from any stage. */
export const ACTIVE_STAGES = ['ide', 'inisiatif', 'uji_coba', 'penerapan', 'replikasi'] as const;
export const STOPPED = 'dihentikan';
export const STAGES = [...ACTIVE_STAGES, STOPPED] as const;
export type Stage = (typeof STAGES)[number];

/** Who started it (IID: inisiator inovasi daerah). */
export const INITIATORS = ['kepala_daerah', 'anggota_dprd', 'opd', 'asn', 'masyarakat'] as const;
export type Initiator = (typeof INITIATORS)[number];

/** IID: jenis inovasi. */
export const INNOVATION_TYPES = ['digital', 'non_digital'] as const;

/** IID: bentuk inovasi daerah (governance, public service, or another form within the city's affairs). */
export const INNOVATION_FORMS = ['tata_kelola', 'pelayanan_publik', 'lainnya'] as const;

/** Where the innovation came from. */
export const ORIGINS = ['opd', 'datathon', 'citizen'] as const;
export type OriginKind = (typeof ORIGINS)[number];

export const HEALTH = ['on_track', 'at_risk', 'stalled'] as const;
export type Health = (typeof HEALTH)[number];

export const DIRECTIONS = ['higher', 'lower'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * Urusan pemerintahan: the government affairs of a kabupaten/kota (UU 23/2014, concurrent affairs: basic services,
 * other obligatory affairs, optional affairs), and the supporting functions (unsur penunjang) IID also accepts.
 */
export const AFFAIRS = [
  'pendidikan',
  'kesehatan',
  'pekerjaan_umum_penataan_ruang',
  'perumahan_kawasan_permukiman',
  'ketenteraman_ketertiban_umum',
  'sosial',
  'tenaga_kerja',
  'pemberdayaan_perempuan_perlindungan_anak',
  'pangan',
  'pertanahan',
  'lingkungan_hidup',
  'administrasi_kependudukan',
  'pemberdayaan_masyarakat_desa',
  'pengendalian_penduduk_kb',
  'perhubungan',
  'komunikasi_informatika',
  'koperasi_ukm',
  'penanaman_modal',
  'kepemudaan_olahraga',
  'statistik',
  'persandian',
  'kebudayaan',
  'perpustakaan',
  'kearsipan',
  'pariwisata',
  'pertanian',
  'perdagangan',
  'perindustrian',
  'perencanaan_pembangunan',
  'keuangan_daerah',
  'kepegawaian',
  'penelitian_pengembangan',
] as const;

/** The 17 Sustainable Development Goals, by number. */
export const SDGS = Array.from({ length: 17 }, (_, i) => i + 1);

/**
 * The IID's indicators of an innovation unit (indikator satuan inovasi daerah), which evidence (bukti dukung) is
 * tagged with: each file or link says which indicator it supports, so the annual submission can be filled in.
 */
export const IID_INDICATORS = [
  'regulasi',
  'sdm',
  'anggaran',
  'teknologi_informasi',
  'bimtek',
  'rkpd',
  'aktor_inovasi',
  'pelaksana',
  'jejaring',
  'sosialisasi',
  'pedoman_teknis',
  'informasi_layanan',
  'kemudahan_proses',
  'pengaduan',
  'layanan_terintegrasi',
  'replikasi',
  'kecepatan',
  'kemanfaatan',
  'monitoring_evaluasi',
  'kualitas',
] as const;
export type IidIndicator = (typeof IID_INDICATORS)[number];

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}
