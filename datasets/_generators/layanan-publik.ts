/**
 * Synthetic citizen complaints (Diskominfo): one row per complaint, comma CSV with "YYYY-MM-DD HH:MM:SS"
 * timestamps; unfinished complaints have an empty completion time. Published as "terbatas" (row-level data).
 */
import { csvLines, days, isoDate, KECAMATAN, pad2, rng, writeOut } from './lib.ts';

const KANAL = [
  { kanal: 'Aplikasi', weight: 0.42 },
  { kanal: 'Media Sosial', weight: 0.25 },
  { kanal: 'Situs Web', weight: 0.13 },
  { kanal: 'Call Center', weight: 0.12 },
  { kanal: 'SMS', weight: 0.08 },
] as const;

const KATEGORI = [
  { kategori: 'Jalan Rusak', weight: 0.22, jam: 96 },
  { kategori: 'Sampah', weight: 0.2, jam: 30 },
  { kategori: 'Penerangan Jalan', weight: 0.14, jam: 60 },
  { kategori: 'Banjir dan Drainase', weight: 0.13, jam: 120 },
  { kategori: 'Pelayanan Administrasi', weight: 0.12, jam: 48 },
  { kategori: 'Lalu Lintas dan Parkir', weight: 0.11, jam: 36 },
  { kategori: 'Lainnya', weight: 0.08, jam: 72 },
] as const;

function weighted<T extends { weight: number }>(items: readonly T[], u: number): T {
  for (const item of items) if ((u -= item.weight) < 0) return item;
  return items.at(-1)!;
}

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${isoDate(d)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

export function aduanWarga(): void {
  const r = rng('aduan-warga');
  // The export was taken on 2026-01-05: most complaints are closed, the latest ones may still be open.
  const exportAt = Date.parse('2026-01-05T00:00:00Z');
  const rows: string[][] = [];
  let n = 0;
  for (const date of days('2025-10-01', '2025-12-31')) {
    const count = r.int(6, 14) - ([0, 6].includes(date.getUTCDay()) ? 3 : 0);
    const times = Array.from({ length: count }, () => date.getTime() + Math.round(r.between(6, 22.5) * 3600) * 1000).sort((a, b) => a - b);
    for (const masuk of times) {
      n++;
      const kategori = weighted(KATEGORI, r.next());
      const kanal = weighted(KANAL, r.next()).kanal;
      const selesaiMs = masuk + Math.round(Math.exp(r.normal(Math.log(kategori.jam), 0.7)) * 3600) * 1000;
      let status: string;
      if (r.chance(0.04)) status = 'Ditolak';
      else if (selesaiMs <= exportAt) status = 'Selesai';
      else status = r.chance(0.7) ? 'Diproses' : 'Diterima';
      const closed = status === 'Selesai' || status === 'Ditolak';
      const selesai = status === 'Ditolak' ? masuk + Math.round(r.between(1, 24) * 3600) * 1000 : selesaiMs;
      rows.push([`ADU-2025-${String(n).padStart(5, '0')}`, stamp(masuk), kanal, kategori.kategori, r.pick(KECAMATAN), status, closed ? stamp(selesai) : '']);
    }
  }
  const header = ['id_aduan', 'waktu_masuk', 'kanal', 'kategori', 'kecamatan', 'status', 'waktu_selesai'];
  writeOut('aduan-warga/aduan-warga-2025q4.csv', csvLines(header, rows, ','));
}

