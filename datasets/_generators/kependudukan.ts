/**
 * Synthetic population data (Disdukcapil). The population per kecamatan sample it once made is replaced by
 * the real population per kelurahan (datasets/penduduk-kelurahan/).
 * - layanan-dokumen-kependudukan: XLSX whose data sits on the second sheet ("Rekap"), dates as Excel dates.
 */
import { rng, writeOut } from './lib.ts';
import { newWorkbook, styleHeader, workbookBytes } from './xlsx.ts';

const DOKUMEN = [
  { jenis: 'KTP-el', base: 21_000, sd: 3_000 },
  { jenis: 'Kartu Keluarga', base: 26_000, sd: 3_500 },
  { jenis: 'Kartu Identitas Anak', base: 9_000, sd: 2_500 },
  { jenis: 'Akta Kelahiran', base: 3_700, sd: 350 },
  { jenis: 'Akta Kematian', base: 1_400, sd: 200 },
] as const;

export async function layananDokumenKependudukan(): Promise<void> {
  const r = rng('layanan-dokumen-kependudukan');
  const wb = newWorkbook();
  const notes = wb.addWorksheet('Keterangan');
  notes.getColumn(1).width = 110;
  for (const line of [
    'SAMPEL SINTETIS - bukan data resmi Disdukcapil Kota Bandung.',
    'Angka pada lembar "Rekap" dibangkitkan secara acak (dengan seed tetap) untuk demonstrasi platform Kota Terbuka.',
    'Jumlah Permohonan: permohonan dokumen yang diterima dalam bulan tersebut.',
    'Jumlah Diterbitkan: dokumen yang selesai diterbitkan dalam bulan tersebut.',
  ]) {
    notes.addRow([line]);
  }

  const sheet = wb.addWorksheet('Rekap');
  sheet.columns = [
    { key: 'periode', width: 14, style: { numFmt: 'mmm yyyy' } },
    { key: 'jenis', width: 24 },
    { key: 'permohonan', width: 20, style: { numFmt: '#,##0' } },
    { key: 'terbit', width: 20, style: { numFmt: '#,##0' } },
  ];
  styleHeader(sheet.addRow(['Periode', 'Jenis Dokumen', 'Jumlah Permohonan', 'Jumlah Diterbitkan']));
  for (let year = 2024; year <= 2025; year++) {
    for (let month = 1; month <= 12; month++) {
      // More KTP-el and KK requests after Lebaran (April 2024, March/April 2025) and before school enrolment (June–July).
      const season = [4, 6, 7].includes(month) ? 1.15 : month === 12 ? 0.9 : 1;
      for (const d of DOKUMEN) {
        const permohonan = Math.max(100, Math.round(r.normal(d.base * season, d.sd)));
        const terbit = Math.round(permohonan * r.between(0.94, 0.995));
        sheet.addRow([new Date(Date.UTC(year, month - 1, 1)), d.jenis, permohonan, terbit]);
      }
    }
  }
  writeOut('layanan-dokumen-kependudukan/rekap-layanan-dokumen-2024-2025.xlsx', await workbookBytes(wb));
}
