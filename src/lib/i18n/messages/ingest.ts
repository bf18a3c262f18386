/**
 * What the pipeline runner says about a source file: problems that stop a run (each naming the line and the spec
 * option that fixes it) and notices of what it handled by itself. Keys are stored in run records
 * (`problem`, `notices`), so they are shown in the reader's language whenever the run is shown.
 */
export const ingest = {
  id: {
    'run.notice': 'Catatan:',
    'opd.unregistered': 'OPD tidak terdaftar di konfigurasi (kode {code})',
    'source.encoding.unknown': 'source.encoding: pengodean "{encoding}" tidak dikenal; contoh: utf-8, windows-1252, utf-16le, mixed',
    'source.encoding.utf16':
      'source: berkas tampaknya UTF-16 tanpa penanda urutan byte (setiap byte kedua bernilai 0); tulis source.encoding: {encoding} di pipeline.yaml',
    'source.encoding.declared_utf8_is_utf16':
      'source.encoding: spec menyebut utf-8, tetapi berkas diawali penanda urutan byte {encoding}; tulis source.encoding: {encoding} atau hapus baris itu',
    'source.encoding.invalid_utf8':
      'source.encoding: spec menyebut utf-8, tetapi {count} baris bukan UTF-8 yang sah (baris {lines}). Bila berkas disimpan Excel di Windows, tulis source.encoding: windows-1252; bila hanya sebagian baris, tulis source.encoding: mixed (tiap baris dibaca sebagai UTF-8 bila sah, selain itu Windows-1252)',
    'source.encoding.mixed':
      'source: pengodean campuran: berkas ini UTF-8, tetapi {count} baris bukan UTF-8 yang sah (baris {lines}); tidak diterbitkan agar teks seperti "Café" tidak menjadi "CafÃ©". Perbaiki baris tersebut, atau tulis source.encoding: mixed (tiap baris dibaca sebagai UTF-8 bila sah, selain itu Windows-1252) atau source.encoding: windows-1252 (seluruh berkas)',
    'source.csv.too_many_fields':
      'source: {count} baris berisi lebih banyak nilai daripada {width} kolom pada header (baris {lines}); perbaiki baris tersebut, atau tulis source.extra_fields: ignore untuk membuang nilai yang berlebih',
    'source.csv.open_quote':
      'source: tanda kutip {quote} yang dibuka pada baris {line} tidak pernah ditutup; perbaiki berkas, atau tulis source.quote dengan karakter kutip yang dipakai berkas',
    'source.csv.unreadable_line': 'source: baris {line} tidak dapat dibaca: {cause}',
    'source.unreadable': 'source: tidak dapat dibaca: {cause}',
    'source.notice.encoding': 'pengodean terdeteksi: {encoding}',
    'source.notice.sep_line': 'baris "sep=" dari Excel dilewati; pemisah {delimiter}',
    'source.notice.header_row': 'header ditemukan pada baris {line}; {skipped} baris di atasnya dilewati (source.skip_rows dapat menetapkannya)',
    'source.notice.renamed': 'nama kolom kosong atau berulang diganti (kolom {list}); rujuk dengan nama baru pada source',
    'source.notice.trailing_delimiter': 'setiap baris diakhiri pemisah; kolom kosong {column} diabaikan',
    'source.notice.footer': '{rows} baris catatan di bawah data dibuang, mulai dari "{first}" (source.footer_rows dapat menetapkannya; 0 mematikannya)',
    'source.notice.padded': '{count} baris berisi kurang dari {width} nilai dan dilengkapi dengan sel kosong (baris {lines})',
    'source.notice.extra_ignored': '{count} baris berisi lebih dari {width} nilai; nilai yang berlebih dibuang karena source.extra_fields: ignore (baris {lines})',
    'source.notice.mixed_newlines': 'akhir baris campuran ({counts}) dibaca apa adanya',
  },
  en: {
    'run.notice': 'Note:',
    'opd.unregistered': 'OPD not listed in the configuration (code {code})',
    'source.encoding.unknown': 'source.encoding: unknown encoding "{encoding}"; for example utf-8, windows-1252, utf-16le, mixed',
    'source.encoding.utf16': 'source: the file looks like UTF-16 without a byte-order mark (every second byte is 0); set source.encoding: {encoding} in pipeline.yaml',
    'source.encoding.declared_utf8_is_utf16':
      'source.encoding: the spec says utf-8, but the file starts with a {encoding} byte-order mark; set source.encoding: {encoding} or remove that line',
    'source.encoding.invalid_utf8':
      'source.encoding: the spec says utf-8, but {count} line(s) are not valid UTF-8 (lines {lines}). If Excel on Windows saved the file, set source.encoding: windows-1252; if only some lines are, set source.encoding: mixed (each line read as UTF-8 when valid, otherwise as Windows-1252)',
    'source.encoding.mixed':
      'source: mixed encodings: this file is UTF-8, but {count} line(s) are not valid UTF-8 (lines {lines}); not published, so that text like "Café" does not become "CafÃ©". Fix those lines, or set source.encoding: mixed (each line read as UTF-8 when valid, otherwise as Windows-1252) or source.encoding: windows-1252 (the whole file)',
    'source.csv.too_many_fields':
      'source: {count} row(s) have more values than the {width} columns of the header (lines {lines}); fix those lines, or set source.extra_fields: ignore to drop the extra values',
    'source.csv.open_quote': 'source: the quote {quote} opened on line {line} is never closed; fix the file, or set source.quote to the quote character the file uses',
    'source.csv.unreadable_line': 'source: line {line} cannot be read: {cause}',
    'source.unreadable': 'source: cannot be read: {cause}',
    'source.notice.encoding': 'encoding detected: {encoding}',
    'source.notice.sep_line': 'Excel\'s "sep=" line skipped; delimiter {delimiter}',
    'source.notice.header_row': 'header found on line {line}; the {skipped} line(s) above it skipped (source.skip_rows sets this)',
    'source.notice.renamed': 'blank or repeated column names renamed (columns {list}); refer to them by the new name in source',
    'source.notice.trailing_delimiter': 'every line ends with a delimiter; the empty column {column} is ignored',
    'source.notice.footer': '{rows} row(s) of notes below the data dropped, starting "{first}" (source.footer_rows sets this; 0 turns it off)',
    'source.notice.padded': '{count} row(s) have fewer than {width} values and were padded with empty cells (lines {lines})',
    'source.notice.extra_ignored': '{count} row(s) have more than {width} values; the extra values were dropped as source.extra_fields: ignore says (lines {lines})',
    'source.notice.mixed_newlines': 'mixed line endings ({counts}) read as they are',
  },
};
