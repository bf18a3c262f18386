import type { Stage } from './vocabulary.ts';

/**
 * The Badami board's demo content: invented innovations, labelled "contoh"/"sample" wherever they are shown (the
 * `demo` flag), spread over every stage and ten OPDs, a few with KPIs bound to the demo datasets (themselves
 * labelled synthetic samples). Pure data; demo.ts writes it through the domain functions.
 */
export interface DemoInnovation {
  id: string;
  title: string;
  summary: string;
  opd: string;
  affair: string;
  form: 'tata_kelola' | 'pelayanan_publik' | 'lainnya';
  digital: boolean;
  /** The stages it went through after Ide, in order (the last is where it is now). */
  path: Stage[];
  kecamatan: string[];
  topics: string[];
  sdgs: number[];
  /** Milestones: title and due date; `done` when completed. Past due and open ones make the health at risk. */
  milestones?: { title: string; due: string; done?: string }[];
  kpi?: { name: string; unit: string; baseline: number; target: number; direction: 'higher' | 'lower'; values?: [string, number][]; dataset?: string; query?: string };
  update?: { title: string; body: string };
  parent?: string;
}

const FWD: Stage[] = ['inisiatif', 'uji_coba', 'penerapan', 'replikasi'];
const to = (stage: Stage): Stage[] => FWD.slice(0, FWD.indexOf(stage) + 1);

export const DEMO_INNOVATIONS: DemoInnovation[] = [
  { id: 'demo01', title: 'Contoh: Si-Jentik, pelaporan jentik nyamuk oleh kader', summary: 'Kader jumantik melaporkan temuan jentik dari ponsel; puskesmas melihat peta rumah berisiko setiap pekan.', opd: 'dinkes', affair: 'kesehatan', form: 'pelayanan_publik', digital: true, path: to('penerapan'), kecamatan: ['32.73.16', '32.73.12', '32.73.13'], topics: ['kesehatan', 'dbd'], sdgs: [3],
    milestones: [{ title: 'Pelatihan 300 kader', due: '2026-06-30', done: '2026-06-20' }, { title: 'Integrasi dengan data puskesmas', due: '2027-03-31' }],
    kpi: { name: 'Kasus DBD bulan terakhir', unit: 'kasus', baseline: 400, target: 150, direction: 'lower', dataset: 'kasus-dbd-bulanan', query: 'SELECT sum(jumlah_kasus) AS value FROM "kasus-dbd-bulanan" WHERE periode = (SELECT max(periode) FROM "kasus-dbd-bulanan")' },
    update: { title: 'Kader di tiga kecamatan sudah aktif', body: 'Sejak Juli, **1.240 laporan** masuk dari kader. Puskesmas Kiaracondong memakai peta mingguan untuk fogging terarah.' } },
  { id: 'demo02', title: 'Contoh: Posyandu Digital', summary: 'Pencatatan tumbuh kembang balita di posyandu dengan aplikasi, langsung terbaca puskesmas.', opd: 'dinkes', affair: 'kesehatan', form: 'pelayanan_publik', digital: true, path: to('replikasi'), kecamatan: ['32.73.02', '32.73.20'], topics: ['kesehatan', 'stunting'], sdgs: [2, 3],
    kpi: { name: 'Balita ditimbang tercatat digital', unit: '%', baseline: 20, target: 90, direction: 'higher', values: [['2026-03-31', 45], ['2026-09-30', 71]] } },
  { id: 'demo03', title: 'Contoh: Posyandu Digital di Bandung timur', summary: 'Replikasi Posyandu Digital ke kecamatan di Bandung timur, dengan kader pendamping dari Coblong.', opd: 'dinkes', affair: 'kesehatan', form: 'pelayanan_publik', digital: true, path: to('uji_coba'), kecamatan: ['32.73.25', '32.73.26'], topics: ['kesehatan', 'stunting'], sdgs: [2, 3], parent: 'demo02',
    kpi: { name: 'Balita ditimbang tercatat digital', unit: '%', baseline: 5, target: 80, direction: 'higher', values: [['2026-10-31', 30]] } },
  { id: 'demo04', title: 'Contoh: Antrean daring puskesmas', summary: 'Warga mengambil nomor antrean puskesmas dari rumah dan datang saat gilirannya dekat.', opd: 'dinkes', affair: 'kesehatan', form: 'pelayanan_publik', digital: true, path: [], kecamatan: ['32.73.09'], topics: ['kesehatan', 'antrean'], sdgs: [3] },
  { id: 'demo05', title: 'Contoh: Kelas literasi data untuk guru', summary: 'Guru SMP belajar membaca dan menyajikan data sekolahnya sendiri, dengan modul dari portal data.', opd: 'disdik', affair: 'pendidikan', form: 'lainnya', digital: false, path: to('uji_coba'), kecamatan: ['32.73.01', '32.73.07'], topics: ['pendidikan', 'literasi-data'], sdgs: [4],
    milestones: [{ title: 'Modul selesai disusun', due: '2026-05-31', done: '2026-05-28' }, { title: 'Angkatan kedua', due: '2026-08-31' }] },
  { id: 'demo06', title: 'Contoh: Zonasi PPDB transparan', summary: 'Peta jarak rumah ke sekolah dan kuota zonasi yang bisa diperiksa calon peserta didik.', opd: 'disdik', affair: 'pendidikan', form: 'pelayanan_publik', digital: true, path: to('penerapan'), kecamatan: [], topics: ['pendidikan', 'ppdb'], sdgs: [4, 10],
    kpi: { name: 'Aduan PPDB terkait zonasi', unit: 'aduan', baseline: 420, target: 100, direction: 'lower', values: [['2026-07-31', 180]] } },
  { id: 'demo07', title: 'Contoh: Perpustakaan keliling berbasis jadwal daring', summary: 'Jadwal dan posisi mobil perpustakaan keliling diumumkan daring; warga bisa memesan buku.', opd: 'disdik', affair: 'perpustakaan', form: 'pelayanan_publik', digital: true, path: ['dihentikan'], kecamatan: ['32.73.29'], topics: ['literasi'], sdgs: [4] },
  { id: 'demo08', title: 'Contoh: Data lalu lintas waktu nyata untuk angkot', summary: 'Penghitung kendaraan di simpang utama dibagikan ke pengemudi angkot untuk memilih rute.', opd: 'dishub', affair: 'perhubungan', form: 'pelayanan_publik', digital: true, path: to('inisiatif'), kecamatan: ['32.73.09', '32.73.19'], topics: ['transportasi'], sdgs: [11],
    milestones: [{ title: 'Nota kesepahaman dengan koperasi angkot', due: '2026-04-30' }, { title: 'Perangkat penghitung terpasang', due: '2026-06-30' }, { title: 'Uji API data', due: '2026-08-31' }] },
  { id: 'demo09', title: 'Contoh: Parkir elektronik tepi jalan', summary: 'Pembayaran parkir tepi jalan dengan QRIS dan mesin parkir, mengurangi kebocoran retribusi.', opd: 'dishub', affair: 'perhubungan', form: 'tata_kelola', digital: true, path: to('penerapan'), kecamatan: ['32.73.19', '32.73.13'], topics: ['transportasi', 'retribusi'], sdgs: [11, 16],
    kpi: { name: 'Retribusi parkir per bulan', unit: 'juta rupiah', baseline: 800, target: 2000, direction: 'higher', values: [['2026-06-30', 1350], ['2026-10-31', 1610]] } },
  { id: 'demo10', title: 'Contoh: Halte pintar ramah difabel', summary: 'Halte dengan informasi kedatangan bus bersuara dan huruf timbul.', opd: 'dishub', affair: 'perhubungan', form: 'pelayanan_publik', digital: false, path: [], kecamatan: ['32.73.05'], topics: ['transportasi', 'inklusi'], sdgs: [10, 11] },
  { id: 'demo11', title: 'Contoh: Layanan adminduk jemput bola di kelurahan', summary: 'Petugas Disdukcapil melayani perekaman KTP-el dan akta di kantor kelurahan terjadwal.', opd: 'disdukcapil', affair: 'administrasi_kependudukan', form: 'pelayanan_publik', digital: false, path: to('replikasi'), kecamatan: [], topics: ['kependudukan'], sdgs: [16],
    kpi: { name: 'Dokumen diterbitkan bulan terakhir', unit: 'dokumen', baseline: 20000, target: 40000, direction: 'higher', dataset: 'layanan-dokumen-kependudukan', query: 'SELECT sum(jumlah_diterbitkan) AS value FROM "layanan-dokumen-kependudukan" WHERE periode = (SELECT max(periode) FROM "layanan-dokumen-kependudukan")' } },
  { id: 'demo12', title: 'Contoh: Akta kelahiran langsung dari rumah sakit', summary: 'Rumah sakit mengajukan akta kelahiran bayi secara daring sebelum ibu pulang.', opd: 'disdukcapil', affair: 'administrasi_kependudukan', form: 'pelayanan_publik', digital: true, path: to('uji_coba'), kecamatan: ['32.73.06'], topics: ['kependudukan'], sdgs: [16],
    milestones: [{ title: 'Tiga rumah sakit bergabung', due: '2026-02-28' }] },
  { id: 'demo13', title: 'Contoh: Bank sampah digital', summary: 'Tabungan bank sampah tercatat di aplikasi; saldo bisa dipakai membayar iuran kebersihan.', opd: 'dlh', affair: 'lingkungan_hidup', form: 'pelayanan_publik', digital: true, path: to('penerapan'), kecamatan: ['32.73.22', '32.73.23', '32.73.27'], topics: ['lingkungan', 'sampah'], sdgs: [11, 12],
    kpi: { name: 'Sampah terpilah di bank sampah', unit: 'ton/bulan', baseline: 12, target: 60, direction: 'higher', values: [['2026-05-31', 25], ['2026-09-30', 38]] },
    update: { title: 'Seribu nasabah baru', body: 'Bank sampah di Buahbatu kini melayani **1.000 nasabah**; saldo mulai dipakai untuk iuran kebersihan.' } },
  { id: 'demo14', title: 'Contoh: Sensor kualitas udara di sekolah', summary: 'Sensor PM2.5 murah di halaman sekolah, dengan peringatan bila udara tidak sehat untuk olahraga.', opd: 'dlh', affair: 'lingkungan_hidup', form: 'lainnya', digital: true, path: to('inisiatif'), kecamatan: ['32.73.14', '32.73.18'], topics: ['lingkungan', 'udara'], sdgs: [3, 11] },
  { id: 'demo15', title: 'Contoh: Taman tematik dikelola warga', summary: 'Warga sekitar mengelola taman kota dengan jadwal dan laporan yang dibagikan terbuka.', opd: 'dlh', affair: 'lingkungan_hidup', form: 'tata_kelola', digital: false, path: ['dihentikan'], kecamatan: ['32.73.11'], topics: ['lingkungan', 'taman'], sdgs: [11] },
  { id: 'demo16', title: 'Contoh: Satu data aduan warga', summary: 'Aduan dari semua kanal (SMS, media sosial, aplikasi) masuk ke satu antrean dengan tenggat per OPD.', opd: 'diskominfo', affair: 'komunikasi_informatika', form: 'tata_kelola', digital: true, path: to('penerapan'), kecamatan: [], topics: ['aduan', 'satu-data'], sdgs: [16],
    kpi: { name: 'Aduan tercatat dalam satu data', unit: 'aduan', baseline: 0, target: 5000, direction: 'higher' },
    update: { title: 'Kanal media sosial tersambung', body: 'Aduan dari media sosial kini tercatat otomatis dengan nomor aduan.' } },
  { id: 'demo17', title: 'Contoh: Chatbot informasi layanan publik', summary: 'Asisten percakapan menjawab pertanyaan persyaratan layanan 24 jam.', opd: 'diskominfo', affair: 'komunikasi_informatika', form: 'pelayanan_publik', digital: true, path: [], kecamatan: [], topics: ['layanan-publik'], sdgs: [16] },
  { id: 'demo18', title: 'Contoh: Musrenbang daring', summary: 'Usulan musrenbang diajukan dan dilacak daring sampai masuk atau tidak ke RKPD, dengan alasannya.', opd: 'bappelitbang', affair: 'perencanaan_pembangunan', form: 'tata_kelola', digital: true, path: to('uji_coba'), kecamatan: ['32.73.24', '32.73.28'], topics: ['perencanaan', 'partisipasi'], sdgs: [16, 17],
    milestones: [{ title: 'Uji coba di dua kecamatan', due: '2026-03-31' }, { title: 'Evaluasi uji coba', due: '2026-05-31' }, { title: 'Keputusan perluasan', due: '2026-07-31' }] },
  { id: 'demo19', title: 'Contoh: Dasbor realisasi anggaran per OPD', summary: 'Realisasi belanja setiap OPD diperbarui bulanan dan terbuka untuk publik.', opd: 'bpkad', affair: 'keuangan_daerah', form: 'tata_kelola', digital: true, path: to('inisiatif'), kecamatan: [], topics: ['anggaran', 'transparansi'], sdgs: [16] },
  { id: 'demo20', title: 'Contoh: Kalender acara budaya terpadu', summary: 'Semua acara seni dan budaya di kota dalam satu kalender dengan data kunjungan.', opd: 'disbudpar', affair: 'pariwisata', form: 'pelayanan_publik', digital: true, path: to('uji_coba'), kecamatan: ['32.73.09', '32.73.19'], topics: ['pariwisata', 'budaya'], sdgs: [8, 11],
    kpi: { name: 'Acara terdaftar per bulan', unit: 'acara', baseline: 10, target: 60, direction: 'higher', values: [['2026-08-31', 22]] } },
  { id: 'demo21', title: 'Contoh: Peta rumah tidak layak huni', summary: 'Verifikasi lapangan rumah tidak layak huni dengan foto dan titik lokasi, untuk prioritas bantuan.', opd: 'dpkp', affair: 'perumahan_kawasan_permukiman', form: 'tata_kelola', digital: true, path: [], kecamatan: ['32.73.03', '32.73.04', '32.73.17'], topics: ['perumahan'], sdgs: [1, 11] },
  { id: 'demo22', title: 'Contoh: Izin usaha mikro satu hari', summary: 'Pelaku usaha mikro mendapat izin dan pendampingan dalam satu kunjungan ke mal pelayanan publik.', opd: 'bappelitbang', affair: 'koperasi_ukm', form: 'pelayanan_publik', digital: false, path: to('inisiatif'), kecamatan: ['32.73.15', '32.73.21'], topics: ['umkm'], sdgs: [8] },
];
