/**
 * Synthetic housing and parks data (DPKP):
 * - rumah-tidak-layak-huni: comma CSV per kecamatan and year.
 * - taman-kota: comma CSV of park points with latitude/longitude columns and yes/no facilities as booleans.
 *   Names are "Taman Sampel …" and the coordinates are random points, not real parks.
 */
import { clamp, csvLines, KECAMATAN, rng, round, writeOut } from './lib.ts';

export function rumahTidakLayakHuni(): void {
  const r = rng('rumah-tidak-layak-huni');
  const rows: (string | number)[][] = [];
  const stock = KECAMATAN.map(() => r.int(150, 1_400));
  for (let tahun = 2023; tahun <= 2025; tahun++) {
    KECAMATAN.forEach((kecamatan, i) => {
      const terdata = stock[i]!;
      const diperbaiki = Math.round(terdata * r.between(0.08, 0.22));
      rows.push([tahun, kecamatan, terdata, diperbaiki]);
      // Next year: what was left, plus newly recorded houses.
      stock[i] = terdata - diperbaiki + r.int(0, Math.round(terdata * 0.06));
    });
  }
  writeOut('rumah-tidak-layak-huni/rtlh-per-kecamatan-2023-2025.csv', csvLines(['tahun', 'kecamatan', 'jumlah_rtlh_terdata', 'jumlah_rtlh_diperbaiki'], rows, ','));
}

const JENIS = [
  { jenis: 'Taman Kota', luas: [3_000, 25_000], weight: 0.2 },
  { jenis: 'Taman Tematik', luas: [800, 6_000], weight: 0.3 },
  { jenis: 'Taman Lingkungan', luas: [150, 1_500], weight: 0.4 },
  { jenis: 'Hutan Kota', luas: [5_000, 60_000], weight: 0.1 },
] as const;

export function tamanKota(): void {
  const r = rng('taman-kota');
  const rows: (string | number | boolean)[][] = [];
  for (let i = 1; i <= 64; i++) {
    let u = r.next();
    const j = JENIS.find((x) => (u -= x.weight) < 0) ?? JENIS[0];
    const luas = round(Math.exp(r.between(Math.log(j.luas[0]), Math.log(j.luas[1]))), 0);
    const kode = `TMN-${String(i).padStart(3, '0')}`;
    rows.push([
      kode,
      `Taman Sampel ${String(i).padStart(3, '0')}`,
      j.jenis,
      r.pick(KECAMATAN),
      luas,
      round(r.between(-6.96, -6.87), 6),
      round(r.between(107.57, 107.72), 6),
      r.chance(clamp(luas / 10_000, 0.2, 0.8)),
      r.chance(j.jenis === 'Taman Lingkungan' ? 0.1 : 0.55),
      r.chance(j.jenis === 'Taman Tematik' ? 0.6 : 0.25),
    ]);
  }
  const header = ['kode_taman', 'nama_taman', 'jenis_taman', 'kecamatan', 'luas_m2', 'latitude', 'longitude', 'ramah_disabilitas', 'tersedia_toilet', 'tersedia_wifi'];
  writeOut('taman-kota/taman-kota.csv', csvLines(header, rows, ','));
}
