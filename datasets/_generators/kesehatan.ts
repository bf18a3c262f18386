/**
 * Synthetic health data (Dinkes):
 * - fasilitas-kesehatan: GeoJSON points. Coordinates are random points inside a box around Kota Bandung
 *   and do NOT mark real buildings; names are "… Sampel …" so nobody mistakes them for real facilities.
 * - kasus-dbd-bulanan: comma CSV, one row per kecamatan and month; the pipeline's transform builds the date.
 */
import { clamp, csvLines, KECAMATAN, pad2, rng, round, writeOut } from './lib.ts';

// Roughly the extent of Kota Bandung (WGS 84).
const BOX = { west: 107.56, east: 107.73, south: -6.965, north: -6.86 };

interface Faskes {
  kode_faskes: string;
  nama_faskes: string;
  jenis_faskes: string;
  kecamatan: string;
  rawat_inap: boolean;
  layanan_24_jam: boolean;
  jumlah_tempat_tidur: number;
}

export function fasilitasKesehatan(): void {
  const r = rng('fasilitas-kesehatan');
  const items: Faskes[] = [];
  for (const kecamatan of KECAMATAN) {
    const n = r.int(1, 3);
    for (let i = 1; i <= n; i++) {
      const inap = r.chance(0.25);
      items.push({
        kode_faskes: '',
        nama_faskes: `Puskesmas Sampel ${kecamatan}${n > 1 ? ` ${i}` : ''}`,
        jenis_faskes: 'Puskesmas',
        kecamatan,
        rawat_inap: inap,
        layanan_24_jam: inap || r.chance(0.1),
        jumlah_tempat_tidur: inap ? r.int(5, 20) : 0,
      });
    }
  }
  for (let i = 1; i <= 20; i++) {
    items.push({
      kode_faskes: '',
      nama_faskes: `Rumah Sakit Sampel ${pad2(i)}`,
      jenis_faskes: 'Rumah Sakit',
      kecamatan: r.pick(KECAMATAN),
      rawat_inap: true,
      layanan_24_jam: true,
      jumlah_tempat_tidur: Math.round(clamp(Math.exp(r.normal(Math.log(180), 0.55)), 50, 650)),
    });
  }
  for (let i = 1; i <= 24; i++) {
    const h24 = r.chance(0.3);
    items.push({
      kode_faskes: '',
      nama_faskes: `Klinik Pratama Sampel ${pad2(i)}`,
      jenis_faskes: 'Klinik Pratama',
      kecamatan: r.pick(KECAMATAN),
      rawat_inap: false,
      layanan_24_jam: h24,
      jumlah_tempat_tidur: 0,
    });
  }
  const features = items.map((item, i) => ({
    type: 'Feature',
    properties: { ...item, kode_faskes: `FKS-${String(i + 1).padStart(3, '0')}` },
    geometry: {
      type: 'Point',
      coordinates: [round(r.between(BOX.west, BOX.east), 6), round(r.between(BOX.south, BOX.north), 6)],
    },
  }));
  const text = '{"type":"FeatureCollection","name":"fasilitas_kesehatan_sampel_sintetis","features":[\n' + features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
  writeOut('fasilitas-kesehatan/fasilitas-kesehatan.geojson', text);
}

export function kasusDbdBulanan(): void {
  const r = rng('kasus-dbd-bulanan');
  // Dengue in West Java peaks in the rainy season's second half (January–May).
  const season = [1.6, 1.9, 2.0, 1.8, 1.4, 0.9, 0.6, 0.45, 0.4, 0.5, 0.75, 1.1];
  const risk = KECAMATAN.map(() => r.between(0.5, 1.6));
  const rows: (string | number)[][] = [];
  for (let tahun = 2024; tahun <= 2025; tahun++) {
    const yearFactor = tahun === 2024 ? 1.3 : 0.8;
    for (let bulan = 1; bulan <= 12; bulan++) {
      KECAMATAN.forEach((kecamatan, i) => {
        const mean = 9 * season[bulan - 1]! * risk[i]! * yearFactor;
        const kasus = Math.max(0, Math.round(r.normal(mean, Math.sqrt(mean) + 0.5)));
        let meninggal = 0;
        for (let k = 0; k < kasus; k++) if (r.chance(0.004)) meninggal++;
        rows.push([tahun, bulan, kecamatan, kasus, meninggal]);
      });
    }
  }
  writeOut('kasus-dbd-bulanan/kasus-dbd-2024-2025.csv', csvLines(['tahun', 'bulan', 'kecamatan', 'jumlah_kasus', 'jumlah_meninggal'], rows, ','));
}
