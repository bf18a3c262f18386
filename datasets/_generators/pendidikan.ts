/**
 * Synthetic education data (Disdik): JSON with the records under "data", as many REST APIs answer.
 * The city's Dinas Pendidikan manages TK/PAUD, SD and SMP (SMA/SMK belong to the province), so only those.
 */
import { jsonOneRecordPerLine, KECAMATAN, rng, writeOut } from './lib.ts';

const JENJANG = [
  { jenjang: 'TK', negeri: [0, 1], swasta: [8, 26], siswa: [35, 90], rasio: [10, 15] },
  { jenjang: 'SD', negeri: [5, 15], swasta: [2, 12], siswa: [220, 460], rasio: [20, 28] },
  { jenjang: 'SMP', negeri: [1, 4], swasta: [2, 8], siswa: [350, 950], rasio: [15, 22] },
] as const;

export function sekolahPerKecamatan(): void {
  const r = rng('sekolah-per-kecamatan');
  const data: Record<string, unknown>[] = [];
  for (const kecamatan of KECAMATAN) {
    for (const j of JENJANG) {
      for (const status of ['Negeri', 'Swasta'] as const) {
        const [min, max] = status === 'Negeri' ? j.negeri : j.swasta;
        const sekolah = r.int(min, max);
        if (sekolah === 0) continue;
        const perSekolah = r.between(j.siswa[0], j.siswa[1]) * (status === 'Negeri' && j.jenjang === 'SMP' ? 1.3 : 1);
        const siswa = Math.round(sekolah * perSekolah);
        const guru = Math.max(sekolah * 3, Math.round(siswa / r.between(j.rasio[0], j.rasio[1])));
        data.push({ tahun_ajaran: '2025/2026', kecamatan, jenjang: j.jenjang, status_sekolah: status, jumlah_sekolah: sekolah, jumlah_siswa: siswa, jumlah_guru: guru });
      }
    }
  }
  const doc = {
    meta: {
      sumber: 'Sampel sintetis untuk demonstrasi Kota Terbuka; bukan data resmi Dinas Pendidikan Kota Bandung.',
      tahun_ajaran: '2025/2026',
      jumlah_baris: data.length,
    },
    data,
  };
  writeOut('sekolah-per-kecamatan/sekolah-per-kecamatan-2025.json', jsonOneRecordPerLine(doc, data));
}
