import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { sourceProblem, lineList } from './source-problem.ts';

/**
 * Which encoding a text source is in, decided from its bytes. OPD files are UTF-8 (often with Excel's BOM),
 * Windows-1252 (Excel on Windows), sometimes UTF-16 ("Unicode text" from Excel), and sometimes a mix: a file
 * appended to by two tools. A mix must never be read as one encoding silently, or "Café" is published as
 * "CafÃ©"; it is reported with the lines that do not decode, naming `source.encoding`.
 */
export interface EncodingScan {
  bom: 'utf-8' | 'utf-16le' | 'utf-16be' | null;
  /** No byte-order mark, but every second byte is 0: UTF-16 text. */
  looksUtf16: 'utf-16le' | 'utf-16be' | null;
  /** Every byte sequence is valid UTF-8. */
  validUtf8: boolean;
  /** Some line holds valid non-ASCII UTF-8 (é as two bytes): evidence the file is meant to be UTF-8. */
  utf8Text: boolean;
  /** 1-based numbers of the first lines that are not valid UTF-8, and how many there are in all. */
  invalidLines: number[];
  invalidCount: number;
}

const CHUNK = 4 << 20;
const MAX_LINES_LISTED = 10;

/**
 * One fast pass (simdutf through `isUtf8`, about 20 ms per 100 MB) over whole chunks; only a file that fails it
 * is read again line by line to name the lines.
 */
export async function scanEncoding(file: string): Promise<EncodingScan> {
  const scan: EncodingScan = { bom: null, looksUtf16: null, validUtf8: true, utf8Text: false, invalidLines: [], invalidCount: 0 };
  const handle = await open(file);
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let carry = Buffer.alloc(0);
    let first = true;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      const chunk = Buffer.concat([carry, buffer.subarray(0, bytesRead)]);
      if (first) {
        first = false;
        scan.bom = byteOrderMark(chunk);
        scan.looksUtf16 = scan.bom ? null : utf16Pattern(chunk.subarray(0, 4096));
        if (scan.bom === 'utf-16le' || scan.bom === 'utf-16be' || scan.looksUtf16) return scan;
      }
      // Valid UTF-8 never has a newline byte inside a character, so checking up to the last newline is exact.
      const end = bytesRead === 0 ? chunk.length : chunk.lastIndexOf(10) + 1;
      const whole = chunk.subarray(0, end);
      if (!isUtf8(whole)) {
        scan.validUtf8 = false;
        break;
      }
      if (!scan.utf8Text && !isAscii(whole)) scan.utf8Text = true;
      carry = Buffer.from(chunk.subarray(end));
      if (bytesRead === 0) break;
    }
  } finally {
    await handle.close();
  }
  if (!scan.validUtf8) await scanLines(file, scan);
  return scan;
}

async function scanLines(file: string, scan: EncodingScan): Promise<void> {
  let line = 0;
  scan.utf8Text = false;
  for await (const bytes of splitLines(file)) {
    line++;
    if (isUtf8(bytes)) {
      if (!scan.utf8Text && !isAscii(bytes)) scan.utf8Text = true;
    } else {
      scan.invalidCount++;
      if (scan.invalidLines.length < MAX_LINES_LISTED) scan.invalidLines.push(line);
    }
  }
}

/** The file's lines as bytes, newline included. */
async function* splitLines(file: string): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  for await (const data of createReadStream(file, { highWaterMark: CHUNK })) {
    const chunk = carry.length ? Buffer.concat([carry, data as Buffer]) : (data as Buffer);
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf(10, start)) !== -1) {
      yield chunk.subarray(start, nl + 1);
      start = nl + 1;
    }
    carry = Buffer.from(chunk.subarray(start));
  }
  if (carry.length) yield carry;
}

function byteOrderMark(b: Buffer): EncodingScan['bom'] {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}

/** Latin text in UTF-16 has a 0 byte in every other position: low bytes first (LE) or high bytes first (BE). */
function utf16Pattern(head: Buffer): EncodingScan['looksUtf16'] {
  if (head.length < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const pairs = Math.floor(head.length / 2);
  if (odd > pairs * 0.6 && even < pairs * 0.1) return 'utf-16le';
  if (even > pairs * 0.6 && odd < pairs * 0.1) return 'utf-16be';
  return null;
}

/**
 * The encoding to decode with: the spec's when given (after checking a declared UTF-8 really is), otherwise the
 * detected one. Throws a problem naming `source.encoding` for UTF-16 without a byte-order mark and for a mix.
 */
export function chooseEncoding(scan: EncodingScan, declared: string | undefined): string {
  const lines = lineList(scan.invalidLines, scan.invalidCount);
  if (declared && declared !== 'utf-8') return declared;
  if (scan.bom === 'utf-16le' || scan.bom === 'utf-16be') {
    if (declared === 'utf-8') throw sourceProblem('source.encoding.declared_utf8_is_utf16', { encoding: scan.bom });
    return scan.bom;
  }
  if (scan.looksUtf16) throw sourceProblem('source.encoding.utf16', { encoding: scan.looksUtf16 });
  if (scan.validUtf8) return 'utf-8';
  if (declared === 'utf-8') throw sourceProblem('source.encoding.invalid_utf8', { lines, count: scan.invalidCount });
  // Not one valid multi-byte character anywhere: a plain Windows-1252 file, as Excel on Windows writes it.
  if (!scan.utf8Text) return 'windows-1252';
  throw sourceProblem('source.encoding.mixed', { lines, count: scan.invalidCount });
}

export function normalizeEncoding(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, '-');
  return lower === 'utf8' ? 'utf-8' : lower === 'cp1252' ? 'windows-1252' : lower === 'utf16le' ? 'utf-16le' : lower;
}

export function encodingExists(name: string): boolean {
  return name === 'mixed' || iconv.encodingExists(name);
}

/** Writes the file as UTF-8 (no BOM). `mixed` decodes each line on its own: UTF-8 when valid, else Windows-1252. */
export async function transcodeToUtf8(file: string, encoding: string, out: string): Promise<void> {
  if (encoding === 'mixed') {
    const target = createWriteStream(out);
    await pipe(async function* () {
      for await (const line of splitLines(file)) yield isUtf8(line) ? line : Buffer.from(iconv.decode(line, 'windows-1252'), 'utf8');
    }, target);
    return;
  }
  await pipe(createReadStream(file), iconv.decodeStream(encoding), stripBom(), createWriteStream(out));
}

function stripBom(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: string | Buffer, _enc, done) {
      let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (first) {
        first = false;
        text = text.replace(/^\uFEFF/, '');
      }
      done(null, Buffer.from(text, 'utf8'));
    },
  });
}
