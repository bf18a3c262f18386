import { PassThrough, type Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { t } from '../../i18n/index.ts';
import type { Actor } from '../auth/authorization.ts';
import { csvLine, guardCell } from '../community/csv.ts';
import { uploadForViewer } from '../community/uploads.ts';
import { now } from '../clock.ts';
import { wibDate } from './health.ts';
import { iidRows } from './iid-export.ts';

/**
 * The evidence (bukti dukung) of an OPD's innovations, or the city's, as one zip beside the IID export, so an OPD
 * attaches its files to the annual IID submission as they are: one folder per OPD and innovation, each file named
 * `<indicator>-<n>-<its name>` in plain ASCII (portals of the index reject odd names), and `manifest.csv` listing
 * every piece — files with their path in the zip, links with their address — plus a short README.
 * Who may download it is the IID export's rule (`badami.export`); the caller checks.
 */
export interface EvidenceZipEntry {
  innovationId: string;
  innovation: string;
  opd: string;
  indicator: string;
  title: string;
  path: string | null;
  url: string | null;
  bytes: number | null;
}

/** Plain, portable file-name text: accents dropped, anything else but letters, digits, dot and dash made a dash. */
export function safeName(text: string, max = 60): string {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/-?\.-?/g, '.')
    .replace(/\.{2,}/g, '.')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return plain.slice(0, max).replace(/[-.]+$/, '') || 'berkas';
}

export async function evidenceZip(viewer: Actor, opd: string | null): Promise<{ stream: Readable; filename: string; entries: EvidenceZipEntry[] }> {
  const rows = await iidRows(opd);
  const scope = opd ?? 'kota';
  const root = `bukti-dukung-${safeName(scope)}`;
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const out = new PassThrough();
  zip.on('error', (error: Error) => out.destroy(error));
  zip.pipe(out);
  const entries: EvidenceZipEntry[] = [];
  for (const row of rows) {
    const { innovation } = row;
    const folder = `${root}/${safeName(innovation.opd)}/${safeName(innovation.title, 50)}-${innovation.id}`;
    let n = 0;
    for (const e of row.evidence) {
      const entry: EvidenceZipEntry = { innovationId: innovation.id, innovation: innovation.title, opd: innovation.opd, indicator: e.indicator, title: e.title, path: null, url: e.url, bytes: null };
      if (e.upload_id) {
        const found = await uploadForViewer(e.upload_id, viewer);
        if (found) {
          const base = found.upload.fileName.replace(/\.[^.]*$/, '');
          entry.path = `${folder}/${safeName(e.indicator)}-${++n}-${safeName(base, 40)}.${found.upload.extension}`;
          entry.bytes = found.upload.size;
          zip.file(found.file, { name: entry.path });
        }
      }
      entries.push(entry);
    }
  }
  const header = ['ID inovasi / Innovation ID', 'Nama inovasi / Innovation', 'Perangkat daerah / Agency', 'Indikator IID / IID indicator', 'Judul / Title', 'Berkas / File', 'Tautan / Link', 'Bita / Bytes'];
  const manifest = [
    `\uFEFF${csvLine(header)}`,
    ...entries.map((e) => csvLine([e.innovationId, guardCell(e.innovation), e.opd, `${e.indicator} (${t('id', `badami.indicator.${e.indicator}`)})`, guardCell(e.title), e.path?.slice(root.length + 1) ?? '', e.url ?? '', e.bytes === null ? '' : String(e.bytes)])),
  ].join('');
  const date = wibDate(now());
  const readme = ['id', 'en'].map((l) => t(l as 'id' | 'en', 'badami.evidence_zip.manifest_readme', { scope, date })).join('\n\n');
  zip.append(manifest, { name: `${root}/manifest.csv` });
  zip.append(`${readme}\n`, { name: `${root}/README.txt` });
  void zip.finalize();
  return { stream: out, filename: `${root}.zip`, entries };
}
