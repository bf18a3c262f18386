/**
 * Regenerates every demo source file under datasets/:
 *
 *   node_modules/.bin/node datasets/_generators/generate.ts
 *
 * Deterministic: each dataset draws from its own seeded random stream and the XLSX writer pins every
 * timestamp, so re-running gives the same bytes and the pipelines publish nothing new. Real datasets
 * (datasets/README.md) are copied files, not generated; everything generated here is a synthetic sample,
 * labelled as such in its pipeline spec (synthetic: true, "Sampel sintetis: " title).
 */
import { layananDokumenKependudukan } from './kependudukan.ts';
import { fasilitasKesehatan, kasusDbdBulanan } from './kesehatan.ts';
import { anggaranRealisasiOpd } from './keuangan.ts';
import { aduanWarga } from './layanan-publik.ts';
import { kualitasUdaraHarian } from './lingkungan.ts';
import { kunjunganWisatawanBulanan } from './pariwisata.ts';
import { sekolahPerKecamatan } from './pendidikan.ts';
import { rumahTidakLayakHuni, tamanKota } from './perumahan.ts';
import { volumeLaluLintas } from './transportasi.ts';
import { kecamatanBandung } from './wilayah.ts';

process.env.TZ = 'UTC';

kecamatanBandung();
await layananDokumenKependudukan();
kualitasUdaraHarian();
fasilitasKesehatan();
kasusDbdBulanan();
sekolahPerKecamatan();
volumeLaluLintas();
await anggaranRealisasiOpd();
kunjunganWisatawanBulanan();
rumahTidakLayakHuni();
tamanKota();
aduanWarga();
