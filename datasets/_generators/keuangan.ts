/**
 * Synthetic budget data (BPKAD): an XLSX as OPDs really send it: a merged title row above the header,
 * rupiah amounts with a display format. The OPD names come from kota.config.yaml.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DATASETS_DIR, rng, round, writeOut } from './lib.ts';
import { newWorkbook, styleHeader, workbookBytes } from './xlsx.ts';

// Rough size of each OPD's yearly spending, in billions of rupiah (synthetic).
const BELANJA_MILIAR: Record<string, [number, number]> = {
  disdik: [1_250, 1_650],
  dinkes: [620, 900],
  dpkp: [220, 420],
  dishub: [150, 260],
  dlh: [200, 340],
  bpkad: [90, 160],
  diskominfo: [60, 120],
  disdukcapil: [40, 75],
  disbudpar: [45, 95],
  bappelitbang: [20, 45],
};

export async function anggaranRealisasiOpd(): Promise<void> {
  const r = rng('anggaran-realisasi-opd');
  const config = parse(readFileSync(path.join(DATASETS_DIR, '..', 'kota.config.yaml'), 'utf8')) as { opds: { code: string; name: string }[] };
  const wb = newWorkbook();
  const sheet = wb.addWorksheet('Realisasi Belanja');
  sheet.columns = [
    { width: 8 },
    { width: 14 },
    { width: 70 },
    { width: 22, style: { numFmt: '#,##0' } },
    { width: 22, style: { numFmt: '#,##0' } },
    { width: 14, style: { numFmt: '0.00' } },
  ];
  sheet.mergeCells('A1:F1');
  sheet.getCell('A1').value = 'SAMPEL SINTETIS: Anggaran dan Realisasi Belanja per Perangkat Daerah, Kota Bandung, 2022–2025 (bukan data resmi)';
  sheet.getCell('A1').font = { bold: true, size: 13 };
  styleHeader(sheet.addRow(['Tahun', 'Kode OPD', 'Perangkat Daerah', 'Anggaran (Rp)', 'Realisasi (Rp)', 'Realisasi (%)']));
  const base = new Map(config.opds.map((o) => [o.code, r.between(...(BELANJA_MILIAR[o.code] ?? [50, 100]))]));
  for (let tahun = 2022; tahun <= 2025; tahun++) {
    for (const opd of config.opds) {
      const miliar = base.get(opd.code)! * (1 + 0.045 * (tahun - 2022)) * r.between(0.95, 1.06);
      const anggaran = Math.round(miliar * 1e6) * 1_000; // whole thousands of rupiah
      const persen = r.between(82, 98.5);
      const realisasi = Math.round((anggaran * persen) / 100 / 1_000) * 1_000;
      sheet.addRow([tahun, opd.code, opd.name, anggaran, realisasi, round((realisasi / anggaran) * 100, 2)]);
    }
  }
  writeOut('anggaran-realisasi-opd/anggaran-realisasi-belanja-opd-2022-2025.xlsx', await workbookBytes(wb));
}
