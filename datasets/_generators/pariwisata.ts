/** Synthetic tourism data (Disbudpar): a tab-separated file with human headers, one row per month and visitor type. */
import { csvLines, pad2, rng, writeOut } from './lib.ts';

// Long weekends, school holidays (June–July) and year-end bring visitors to Bandung.
const SEASON = [0.95, 0.8, 0.9, 1.05, 1.0, 1.2, 1.25, 0.95, 0.9, 0.95, 0.95, 1.35];
const NAMA_BULAN = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

export function kunjunganWisatawanBulanan(): void {
  const r = rng('kunjungan-wisatawan-bulanan');
  const rows: (string | number)[][] = [];
  for (let tahun = 2023; tahun <= 2025; tahun++) {
    const growth = 1 + 0.06 * (tahun - 2023);
    for (let bulan = 1; bulan <= 12; bulan++) {
      const periode = `${tahun}-${pad2(bulan)}-01`;
      const nusantara = Math.round(640_000 * SEASON[bulan - 1]! * growth * r.between(0.93, 1.07));
      const mancanegara = Math.round(19_000 * (bulan === 7 || bulan === 8 || bulan === 12 ? 1.25 : 1) * growth * r.between(0.85, 1.15));
      rows.push([periode, tahun, NAMA_BULAN[bulan - 1]!, 'Wisatawan Nusantara', nusantara]);
      rows.push([periode, tahun, NAMA_BULAN[bulan - 1]!, 'Wisatawan Mancanegara', mancanegara]);
    }
  }
  writeOut('kunjungan-wisatawan-bulanan/kunjungan-wisatawan-2023-2025.tsv', csvLines(['Periode', 'Tahun', 'Bulan', 'Jenis Wisatawan', 'Jumlah Kunjungan'], rows, '\t'));
}
