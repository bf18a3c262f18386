/**
 * Synthetic environment data (DLH):
 * - kualitas-udara-harian: a Windows-1252 CSV as exported by an old desktop tool: a title line above the
 *   header, ";" delimiter, decimal commas, dd/mm/yyyy dates, "°C" and "µg/m³" in the header, "-" for gaps.
 * The daily waste sample it once made is replaced by the real waste production data (datasets/produksi-sampah-jabar/).
 */
import iconv from 'iconv-lite';
import { clamp, csvLines, days, decimalComma, pad2, rng, writeOut } from './lib.ts';

const STASIUN = [
  { kode: 'DLH-01', nama: 'Stasiun Sampel Coblong', kecamatan: 'Coblong', level: 0.9 },
  { kode: 'DLH-02', nama: 'Stasiun Sampel Bojongloa Kidul', kecamatan: 'Bojongloa Kidul', level: 1.2 },
  { kode: 'DLH-03', nama: 'Stasiun Sampel Ujungberung', kecamatan: 'Ujungberung', level: 1.0 },
] as const;

export function kualitasUdaraHarian(): void {
  const r = rng('kualitas-udara-harian');
  const title = 'Sampel sintetis – Kualitas Udara Harian per Stasiun Pemantau, Kota Bandung, Oktober–Desember 2025 (bukan data resmi)';
  const header = ['Tanggal', 'Kode Stasiun', 'Nama Stasiun', 'Kecamatan', 'PM10 (µg/m³)', 'PM2,5 (µg/m³)', 'Suhu (°C)', 'Kelembapan Relatif (%)'];
  const rows: string[][] = [];
  const dates = days('2025-10-01', '2025-12-31');
  const anomaly = STASIUN.map(() => 0);
  for (const date of dates) {
    // The rainy season sets in over the quarter: a little cleaner and more humid towards December.
    const wet = (date.getTime() - dates[0]!.getTime()) / (dates.at(-1)!.getTime() - dates[0]!.getTime());
    const weekend = [0, 6].includes(date.getUTCDay()) ? 0.85 : 1;
    STASIUN.forEach((s, i) => {
      anomaly[i] = 0.6 * anomaly[i]! + r.normal(0, 7);
      const pm25 = clamp((34 - 10 * wet) * s.level * weekend + anomaly[i]!, 6, 140);
      const pm10 = pm25 * r.between(1.45, 1.95);
      const suhu = clamp(r.normal(24.2 - 0.8 * wet, 0.9), 20, 29);
      const rh = clamp(r.normal(74 + 12 * wet, 5), 55, 98);
      const offline = r.chance(0.02);
      const tanggal = `${pad2(date.getUTCDate())}/${pad2(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
      rows.push([
        tanggal,
        s.kode,
        s.nama,
        s.kecamatan,
        offline ? '-' : decimalComma(pm10, 1),
        offline ? '-' : decimalComma(pm25, 1),
        decimalComma(suhu, 1),
        decimalComma(rh, 1),
      ]);
    });
  }
  const text = `${title}\r\n` + csvLines(header, rows, ';');
  writeOut('kualitas-udara-harian/kualitas-udara-harian-2025q4.csv', iconv.encode(text, 'windows-1252'));
}

const SUMBER = [
  { sumber: 'Rumah tangga', share: 0.6 },
  { sumber: 'Pasar tradisional', share: 0.15 },
  { sumber: 'Kawasan komersial', share: 0.12 },
  { sumber: 'Perkantoran dan fasilitas publik', share: 0.08 },
  { sumber: 'Jalan dan taman', share: 0.05 },
] as const;

