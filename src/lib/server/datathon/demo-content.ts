import type { EventInput } from './events.ts';

/** The words of the demo events (data, not code): made-up teams and ideas on the demo deployment's datasets. */
export interface DemoIdea {
  team: string;
  title: string;
  summary: string;
  problem: string;
  solution: string;
  challenge: number;
  datasets: string[];
}

export interface DemoEvent {
  id: string;
  finished: boolean;
  voters: number;
  event: Omit<EventInput, 'cover_url' | 'registration_at' | 'submission_at' | 'voting_at' | 'judging_at' | 'results_at'>;
  challenges: { title: string; problem: string; opd: string; datasets: string[] }[];
  ideas: DemoIdea[];
}

const rules = 'Tim 1–4 orang. Ide harus memakai minimal satu dataset dari portal. Kode dan data turunan dibagikan dengan lisensi terbuka. (Aturan demo.)';
const prizes = 'Juara: pendampingan inkubasi di Badami bersama OPD pemilik tantangan. Dua sebutan kehormatan. (Hadiah demo.)';

export const DEMO_EVENTS: DemoEvent[] = [
  {
    id: 'demo-datathon-2025',
    finished: true,
    voters: 40,
    event: {
      title: 'Datathon Kota Bandung 2025 (demo)',
      description: 'Acara demo yang sudah selesai: tantangan kesehatan, pendidikan, dan lingkungan di atas data terbuka kota. Semua tim, ide, suara, dan nilai adalah contoh buatan.',
      rules,
      prizes,
      team_size_max: 4,
      vote_limit: 3,
      ranking_method: 'zscore',
    },
    challenges: [
      { title: 'Memetakan risiko DBD per kecamatan', problem: 'Dinas Kesehatan ingin tahu kecamatan mana yang perlu fogging dan penyuluhan lebih dulu setiap bulan.', opd: 'dinkes', datasets: ['kasus-dbd-bulanan', 'penduduk-per-kecamatan', 'kecamatan-bandung'] },
      { title: 'Akses sekolah yang merata', problem: 'Dinas Pendidikan mencari kecamatan dengan daya tampung sekolah terendah dibanding jumlah penduduk usia sekolah.', opd: 'disdik', datasets: ['sekolah-per-kecamatan', 'penduduk-per-kecamatan', 'kecamatan-bandung'] },
      { title: 'Sampah yang terpantau', problem: 'Dinas Lingkungan Hidup ingin memprediksi timbulan sampah harian untuk menjadwalkan armada.', opd: 'dlh', datasets: ['timbulan-sampah-harian', 'kecamatan-bandung'] },
    ],
    ideas: [
      { team: 'Tim Nyamuk Pintar', title: 'Peringatan dini DBD per kecamatan', summary: 'Model sederhana yang menandai kecamatan berisiko naik kasus DBD bulan depan.', problem: 'Fogging sering terlambat: kasus sudah memuncak.', solution: 'Menggabungkan tren kasus bulanan dengan kepadatan penduduk untuk skor risiko per kecamatan, ditampilkan sebagai peta.', challenge: 0, datasets: ['kasus-dbd-bulanan', 'penduduk-per-kecamatan'] },
      { team: 'Tim Kursi Kosong', title: 'Peta daya tampung sekolah', summary: 'Membandingkan kursi sekolah dengan penduduk usia sekolah di tiap kecamatan.', problem: 'Orang tua tidak tahu di mana kursi masih tersedia.', solution: 'Rasio kursi per anak per kecamatan, dengan daftar kecamatan prioritas pembangunan kelas baru.', challenge: 1, datasets: ['sekolah-per-kecamatan', 'penduduk-per-kecamatan'] },
      { team: 'Tim Angkut Tepat', title: 'Jadwal armada sampah berbasis prediksi', summary: 'Prediksi timbulan sampah harian untuk menjadwalkan truk.', problem: 'Truk datang saat TPS belum penuh, atau terlambat saat sudah meluap.', solution: 'Rata-rata bergerak mingguan dan pola hari libur memperkirakan volume esok hari.', challenge: 2, datasets: ['timbulan-sampah-harian'] },
      { team: 'Tim Jentik', title: 'Dasbor kader jumantik', summary: 'Daftar RW prioritas pemeriksaan jentik setiap pekan.', problem: 'Kader jumantik tidak punya urutan prioritas.', solution: 'Peringkat kecamatan dari kasus bulan lalu dan kepadatan penduduk.', challenge: 0, datasets: ['kasus-dbd-bulanan', 'kecamatan-bandung'] },
      { team: 'Tim Zonasi', title: 'Simulasi zonasi PPDB', summary: 'Melihat dampak perubahan radius zonasi pada daya tampung.', problem: 'Perubahan aturan zonasi sulit dibayangkan dampaknya.', solution: 'Simulasi per kecamatan dari data sekolah dan penduduk.', challenge: 1, datasets: ['sekolah-per-kecamatan'] },
      { team: 'Tim Pilah', title: 'Kampanye pilah sampah tepat sasaran', summary: 'Memilih kecamatan untuk kampanye pilah sampah.', problem: 'Kampanye disebar rata tanpa melihat volume.', solution: 'Kecamatan dengan timbulan tertinggi per penduduk menjadi sasaran pertama.', challenge: 2, datasets: ['timbulan-sampah-harian', 'penduduk-per-kecamatan'] },
    ],
  },
  {
    id: 'demo-datathon-2026',
    finished: false,
    voters: 25,
    event: {
      title: 'Datathon Kota Bandung 2026 (demo)',
      description: 'Acara demo yang sedang dalam tahap pemungutan suara publik: beri suara untuk ide favorit Anda. Tim dan ide di sini adalah contoh buatan.',
      rules,
      prizes,
      team_size_max: 4,
      vote_limit: 3,
      ranking_method: 'weighted',
    },
    challenges: [
      { title: 'Udara bersih untuk sekolah', problem: 'Dinas Lingkungan Hidup ingin memberi tahu sekolah kapan kegiatan luar ruang sebaiknya ditunda.', opd: 'dlh', datasets: ['kualitas-udara-harian', 'sekolah-per-kecamatan'] },
      { title: 'Lalu lintas jam sekolah', problem: 'Dinas Perhubungan ingin mengurangi kemacetan di sekitar sekolah pada jam masuk.', opd: 'dishub', datasets: ['volume-lalu-lintas', 'sekolah-per-kecamatan'] },
    ],
    ideas: [
      { team: 'Tim Napas Lega', title: 'Notifikasi udara untuk sekolah', summary: 'Pesan pagi ke sekolah saat kualitas udara memburuk.', problem: 'Sekolah tidak tahu kapan udara tidak sehat.', solution: 'Ambang PM2.5 harian dari stasiun terdekat memicu pesan ke sekolah di kecamatan yang sama.', challenge: 0, datasets: ['kualitas-udara-harian', 'sekolah-per-kecamatan'] },
      { team: 'Tim Jam Masuk', title: 'Jam masuk sekolah bergiliran', summary: 'Mengatur jam masuk agar puncak lalu lintas menyebar.', problem: 'Semua sekolah masuk pada jam yang sama.', solution: 'Volume lalu lintas per jam menunjukkan ruas yang paling padat; sekolah di ruas itu masuk lebih awal.', challenge: 1, datasets: ['volume-lalu-lintas', 'sekolah-per-kecamatan'] },
      { team: 'Tim Taman Sehat', title: 'Peta taman untuk olahraga pagi', summary: 'Taman kota dengan udara terbaik pada pagi hari.', problem: 'Warga tidak tahu taman mana yang udaranya lebih bersih.', solution: 'Menggabungkan lokasi taman dengan data kualitas udara harian.', challenge: 0, datasets: ['taman-kota', 'kualitas-udara-harian'] },
      { team: 'Tim Zebra Cross', title: 'Titik penyeberangan aman dekat sekolah', summary: 'Menandai ruas padat dekat sekolah yang butuh penyeberangan.', problem: 'Anak menyeberang di ruas padat tanpa penyeberangan.', solution: 'Ruas dengan volume tertinggi di kecamatan yang banyak sekolahnya menjadi prioritas.', challenge: 1, datasets: ['volume-lalu-lintas'] },
    ],
  },
];
