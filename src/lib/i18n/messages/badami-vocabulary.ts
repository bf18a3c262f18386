/** Badami's IID vocabulary: the government affairs (urusan) and the IID indicators evidence supports. */

/** IID vocabulary lists, [code, Bahasa Indonesia, English]; the codes are in src/lib/server/badami/vocabulary.ts. */
const AFFAIRS: [string, string, string][] = [
  ['pendidikan', 'Pendidikan', 'Education'],
  ['kesehatan', 'Kesehatan', 'Health'],
  ['pekerjaan_umum_penataan_ruang', 'Pekerjaan umum dan penataan ruang', 'Public works and spatial planning'],
  ['perumahan_kawasan_permukiman', 'Perumahan rakyat dan kawasan permukiman', 'Housing and settlements'],
  ['ketenteraman_ketertiban_umum', 'Ketenteraman, ketertiban umum dan pelindungan masyarakat', 'Public order and protection'],
  ['sosial', 'Sosial', 'Social affairs'],
  ['tenaga_kerja', 'Tenaga kerja', 'Labour'],
  ['pemberdayaan_perempuan_perlindungan_anak', 'Pemberdayaan perempuan dan pelindungan anak', 'Women’s empowerment and child protection'],
  ['pangan', 'Pangan', 'Food'],
  ['pertanahan', 'Pertanahan', 'Land'],
  ['lingkungan_hidup', 'Lingkungan hidup', 'Environment'],
  ['administrasi_kependudukan', 'Administrasi kependudukan dan pencatatan sipil', 'Civil registration'],
  ['pemberdayaan_masyarakat_desa', 'Pemberdayaan masyarakat dan desa', 'Community empowerment'],
  ['pengendalian_penduduk_kb', 'Pengendalian penduduk dan keluarga berencana', 'Population control and family planning'],
  ['perhubungan', 'Perhubungan', 'Transport'],
  ['komunikasi_informatika', 'Komunikasi dan informatika', 'Communication and informatics'],
  ['koperasi_ukm', 'Koperasi, usaha kecil dan menengah', 'Cooperatives and small businesses'],
  ['penanaman_modal', 'Penanaman modal', 'Investment'],
  ['kepemudaan_olahraga', 'Kepemudaan dan olahraga', 'Youth and sports'],
  ['statistik', 'Statistik', 'Statistics'],
  ['persandian', 'Persandian', 'Cryptography'],
  ['kebudayaan', 'Kebudayaan', 'Culture'],
  ['perpustakaan', 'Perpustakaan', 'Libraries'],
  ['kearsipan', 'Kearsipan', 'Archives'],
  ['pariwisata', 'Pariwisata', 'Tourism'],
  ['pertanian', 'Pertanian', 'Agriculture'],
  ['perdagangan', 'Perdagangan', 'Trade'],
  ['perindustrian', 'Perindustrian', 'Industry'],
  ['perencanaan_pembangunan', 'Perencanaan pembangunan', 'Development planning'],
  ['keuangan_daerah', 'Keuangan daerah', 'Regional finance'],
  ['kepegawaian', 'Kepegawaian', 'Civil service'],
  ['penelitian_pengembangan', 'Penelitian dan pengembangan', 'Research and development'],
];

const INDICATORS: [string, string, string][] = [
  ['regulasi', 'Regulasi inovasi daerah', 'Innovation regulation'],
  ['sdm', 'Ketersediaan SDM', 'Human resources'],
  ['anggaran', 'Dukungan anggaran', 'Budget support'],
  ['teknologi_informasi', 'Penggunaan IT', 'Use of IT'],
  ['bimtek', 'Bimbingan teknis', 'Technical guidance'],
  ['rkpd', 'Program dalam RKPD', 'In the regional work plan'],
  ['aktor_inovasi', 'Keterlibatan aktor inovasi', 'Innovation actors'],
  ['pelaksana', 'Pelaksana inovasi', 'Implementers'],
  ['jejaring', 'Jejaring inovasi', 'Innovation network'],
  ['sosialisasi', 'Sosialisasi inovasi', 'Outreach'],
  ['pedoman_teknis', 'Pedoman teknis', 'Technical guidelines'],
  ['informasi_layanan', 'Kemudahan informasi layanan', 'Service information'],
  ['kemudahan_proses', 'Kemudahan proses inovasi', 'Ease of process'],
  ['pengaduan', 'Penyelesaian layanan pengaduan', 'Complaint handling'],
  ['layanan_terintegrasi', 'Layanan terintegrasi', 'Integrated services'],
  ['replikasi', 'Replikasi', 'Replication'],
  ['kecepatan', 'Kecepatan penciptaan inovasi', 'Speed of creation'],
  ['kemanfaatan', 'Kemanfaatan inovasi', 'Benefit'],
  ['monitoring_evaluasi', 'Monitoring dan evaluasi', 'Monitoring and evaluation'],
  ['kualitas', 'Kualitas inovasi', 'Quality'],
];

const list = (prefix: string, rows: [string, string, string][], column: 1 | 2) => Object.fromEntries(rows.map((r) => [`badami.${prefix}.${r[0]}`, r[column]]));

export const badamiVocabulary = {
  id: { ...list('affair', AFFAIRS, 1), ...list('indicator', INDICATORS, 1) },
  en: { ...list('affair', AFFAIRS, 2), ...list('indicator', INDICATORS, 2) },
};
