/**
 * Writes XLSX files byte-for-byte reproducibly: exceljs stamps the current time into the
 * document properties and into every zip entry, so both are pinned to one fixed date here.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

const FIXED_DATE = new Date(Date.UTC(2026, 0, 15, 0, 0, 0));

export function newWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kota Terbuka demo generator (datasets/_generators)';
  wb.lastModifiedBy = 'Kota Terbuka demo generator (datasets/_generators)';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  return wb;
}

export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  const raw = await wb.xlsx.writeBuffer();
  const zip = await JSZip.loadAsync(raw);
  const out = new JSZip();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (entry.dir) continue;
    out.file(name, await entry.async('uint8array'), { date: FIXED_DATE, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/** Bold header cells with a light fill, as an OPD's spreadsheet would have. */
export function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = { bottom: { style: 'thin' } };
  });
}
