/**
 * Synthetic traffic counts (Dishub): NDJSON, one record per counting point and hour, as a sensor feed
 * would deliver it. Road names are real streets; the counts are generated.
 */
import { clamp, days, isoDate, pad2, rng, writeOut } from './lib.ts';

const TITIK = [
  { kode: 'TH-01', ruas: 'Jl. Ir. H. Juanda', scale: 1.0 },
  { kode: 'TH-02', ruas: 'Jl. Asia Afrika', scale: 0.8 },
  { kode: 'TH-03', ruas: 'Jl. Soekarno-Hatta', scale: 1.5 },
  { kode: 'TH-04', ruas: 'Jl. Pasteur', scale: 1.2 },
] as const;

// Share of the daily peak per hour (0–23), weekday and weekend.
const WEEKDAY = [0.08, 0.05, 0.04, 0.04, 0.08, 0.3, 0.7, 1.0, 0.9, 0.7, 0.65, 0.65, 0.7, 0.68, 0.7, 0.8, 0.95, 1.0, 0.85, 0.65, 0.5, 0.38, 0.25, 0.14];
const WEEKEND = [0.12, 0.08, 0.05, 0.04, 0.05, 0.12, 0.3, 0.5, 0.65, 0.78, 0.85, 0.88, 0.9, 0.9, 0.88, 0.88, 0.9, 0.92, 0.88, 0.8, 0.7, 0.55, 0.38, 0.22];

export function volumeLaluLintas(): void {
  const r = rng('volume-lalu-lintas');
  const lines: string[] = [];
  for (const date of days('2025-11-03', '2025-11-09')) {
    const weekend = [0, 6].includes(date.getUTCDay());
    for (let jam = 0; jam < 24; jam++) {
      for (const t of TITIK) {
        const level = (weekend ? WEEKEND : WEEKDAY)[jam]! * t.scale * clamp(r.normal(1, 0.07), 0.75, 1.25);
        const motor = Math.round(3_200 * level);
        const mobil = Math.round(1_100 * level * r.between(0.9, 1.1));
        const berat = Math.round((weekend ? 45 : 80) * t.scale * r.between(0.6, 1.4) * (jam >= 22 || jam < 5 ? 1.6 : 1) * Math.sqrt(level + 0.05));
        const waktu = `${isoDate(date)}T${pad2(jam)}:00:00`;
        lines.push(JSON.stringify({ waktu, kode_titik: t.kode, ruas_jalan: t.ruas, sepeda_motor: motor, mobil_penumpang: mobil, kendaraan_berat: berat }));
      }
    }
  }
  writeOut('volume-lalu-lintas/volume-lalu-lintas-2025-11-minggu1.ndjson', lines.join('\n') + '\n');
}
