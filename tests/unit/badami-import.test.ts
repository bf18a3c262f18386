import { describe, expect, test } from 'vitest';
import { badamiImport } from '../../src/lib/i18n/messages/badami-import.ts';
import { safeName } from '../../src/lib/server/badami/evidence-zip.ts';
import { cellText, columnOfField, parseContacts, sameProfile } from '../../src/lib/server/badami/import-innovations.ts';
import { sniffFormat } from '../../src/lib/server/badami/import.ts';

/** The pure pieces of Badami's bulk update and evidence zip. */
describe('reading an exported row back', () => {
  test('contacts as the IID export writes them ("name, role, e-mail; …") come back field by field', () => {
    expect(parseContacts('Siti Rahma, Kepala Seksi, siti@example.go.id; Budi')).toEqual([
      { name: 'Siti Rahma', role: 'Kepala Seksi', email: 'siti@example.go.id' },
      { name: 'Budi', role: '', email: '' },
    ]);
    expect(parseContacts('Siti Rahma, siti@example.go.id')).toEqual([{ name: 'Siti Rahma', role: '', email: 'siti@example.go.id' }]);
    expect(parseContacts('')).toEqual([]);
    expect(parseContacts(' ; ')).toEqual([]);
  });

  test('cells are trimmed text; nothing is empty; numbers are written plainly', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText('  x \n')).toBe('x');
    expect(cellText(150000000)).toBe('150000000');
  });

  test('a profile problem lands on its column; fields the export does not carry have none', () => {
    expect(columnOfField('contacts.0.email')).toBe('contact');
    expect(columnOfField('start_date')).toBe('start_date');
    expect(columnOfField('parent_id')).toBeUndefined();
  });

  test('profiles compare by value, whatever the key order', () => {
    const a = { title: 'A', budget: null, topics: ['x'] } as never;
    const b = { topics: ['x'], budget: null, title: 'A' } as never;
    expect(sameProfile(a, b)).toBe(true);
    expect(sameProfile(a, { ...(b as object), title: 'B' } as never)).toBe(false);
  });

  test('an XLSX file is recognised by its zip signature, anything else is read as CSV', () => {
    expect(sniffFormat(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBe('xlsx');
    expect(sniffFormat(new TextEncoder().encode('\uFEFFID,Nama'))).toBe('csv');
    expect(sniffFormat(new Uint8Array())).toBe('csv');
  });
});

describe('evidence file names', () => {
  test('plain ASCII: accents dropped, spaces and punctuation a single dash, never empty, bounded', () => {
    expect(safeName('DPA Dinkes 2026 (revisi).pdf')).toBe('dpa-dinkes-2026-revisi.pdf');
    expect(safeName('Pelayanan Kesehatan Ibu & Anak — Cibeunying')).toBe('pelayanan-kesehatan-ibu-anak-cibeunying');
    expect(safeName('Évaluasi ñ')).toBe('evaluasi-n');
    expect(safeName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeName('***')).toBe('berkas');
    expect(safeName('a'.repeat(100), 20)).toHaveLength(20);
  });
});

test('the import messages have the same keys in both languages', () => {
  expect(Object.keys(badamiImport.en).sort()).toEqual(Object.keys(badamiImport.id).sort());
});
