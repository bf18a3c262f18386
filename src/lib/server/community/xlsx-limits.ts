import { inflateRawSync } from 'node:zlib';

/**
 * How much an XLSX may unpack to before ExcelJS reads it. ExcelJS inflates the whole archive and builds every row in
 * memory before an importer can count them: a 1 MB upload of tiny rows became 200,000 rows, 1.9 s of CPU and 466 MB
 * of memory (measured), so a 5 MB one (the import cap) would take the server down. The archive's own directory says how
 * big each part is, but a crafted file can lie, so each part is inflated here under a budget (zlib stops at
 * `maxOutputLength`), and the cells of its sheets are counted from the XML before anything is parsed.
 */
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024;
export const MAX_XLSX_CELLS = 500_000;

export class XlsxTooLarge extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Throws XlsxTooLarge when the archive unpacks beyond the limits, Error when it is not a zip this can read. */
export function checkXlsxSize(bytes: Uint8Array, limits = { bytes: MAX_XLSX_UNPACKED_BYTES, cells: MAX_XLSX_CELLS }): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  // The end-of-directory record is in the last 22 bytes plus a comment of at most 64 KiB.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  let unpacked = 0;
  let cells = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw new Error('broken zip directory');
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) throw new Error('broken zip entry');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + compressed > buf.length) throw new Error('broken zip entry');
    const data = buf.subarray(start, start + compressed);
    const budget = limits.bytes - unpacked;
    let content: Buffer;
    if (method === 0) content = data;
    else if (method === 8) {
      try {
        content = inflateRawSync(data, { maxOutputLength: Math.max(1, budget + 1) });
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new XlsxTooLarge('unpacked size');
        throw error;
      }
    } else throw new Error(`zip compression method ${method}`);
    unpacked += content.length;
    if (unpacked > limits.bytes) throw new XlsxTooLarge('unpacked size');
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) {
      cells += countCells(content);
      if (cells > limits.cells) throw new XlsxTooLarge('cells');
    }
  }
}

/** `<c ` and `<c>` start a cell in SpreadsheetML (an `<x:c` prefix too); `<col`, `<cfRule` do not match. */
function countCells(xml: Buffer): number {
  const letterOrDigit = (b: number | undefined) => b !== undefined && ((b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39));
  const ends = new Set([0x20, 0x3e, 0x2f, 0x09, 0x0a, 0x0d]); // space, >, /, tab, line breaks
  let n = 0;
  for (let i = xml.indexOf(0x3c); i >= 0; i = xml.indexOf(0x3c, i + 1)) {
    let j = i + 1;
    // a namespace prefix ("x:"), looked for in the next few bytes only
    let k = j;
    while (k - j < 12 && letterOrDigit(xml[k])) k++;
    if (xml[k] === 0x3a && k > j) j = k + 1;
    if (xml[j] === 0x63 /* c */ && ends.has(xml[j + 1]!)) n++;
  }
  return n;
}
