/**
 * What the /design page says about each component of the design system: its purpose and its props, in both
 * languages. tests/unit/design-catalogue.test.ts checks this list against the components' own `Props`, so the
 * documentation cannot drift from the code.
 */
export interface PropDoc {
  name: string;
  type: string;
  default?: string;
  id: string;
  en: string;
}

export interface ComponentDoc {
  name: string;
  id: string;
  en: string;
  props: PropDoc[];
  slots?: string[];
}

const tones = "'neutral' | 'primary' | 'info' | 'success' | 'warning' | 'danger'";

export const CATALOGUE: ComponentDoc[] = [
  {
    name: 'Button',
    id: 'Tombol, atau tautan yang tampil seperti tombol. Satu tombol primary per tampilan; danger untuk tindakan yang menghapus.',
    en: 'A button, or a link that looks like one. One primary button per view; danger for actions that delete.',
    props: [
      { name: 'variant', type: "'primary' | 'secondary' | 'danger' | 'link'", default: "'primary'", id: 'Gaya tombol', en: 'Look of the button' },
      { name: 'size', type: "'sm' | 'md' | 'lg'", default: "'md'", id: 'Ukuran; md dan lg setinggi 44 px atau lebih (target sentuh)', en: 'Size; md and lg are at least 44 px tall (touch target)' },
      { name: 'href', type: 'string', id: 'Jika diisi, menjadi tautan <a>', en: 'When given, renders a link <a>' },
      { name: 'type', type: "'button' | 'submit' | 'reset'", default: "'submit'", id: 'Jenis tombol di dalam formulir', en: 'Button type inside a form' },
      { name: 'icon', type: 'string', id: 'Nama ikon (icons.ts) sebelum label', en: 'Icon name (icons.ts) before the label' },
      { name: 'block', type: 'boolean', default: 'false', id: 'Selebar wadahnya', en: 'As wide as its container' },
      { name: 'download', type: 'string | boolean', id: 'Untuk tautan unduhan', en: 'For download links' },
    ],
    slots: ['default'],
  },
  {
    name: 'Field',
    id: 'Isian formulir berlabel dengan petunjuk dan pesan kesalahan yang terhubung ke pembaca layar (aria-describedby, aria-invalid).',
    en: 'A labelled form control with a hint and an error wired for screen readers (aria-describedby, aria-invalid).',
    props: [
      { name: 'label', type: 'string', id: 'Label yang terlihat', en: 'Visible label' },
      { name: 'name', type: 'string', id: 'Nama isian dalam formulir', en: 'Form field name' },
      { name: 'id', type: 'string', default: "'f-' + name", id: 'id elemen', en: 'Element id' },
      { name: 'as', type: "'input' | 'select' | 'textarea'", default: "'input'", id: 'Jenis kontrol', en: 'Kind of control' },
      { name: 'hint', type: 'string', id: 'Petunjuk di bawah label', en: 'Hint under the label' },
      { name: 'error', type: 'string', id: 'Apa yang salah, dalam bahasa pembaca', en: 'What is wrong, in the reader’s language' },
      { name: 'options', type: '[value, label][]', id: 'Pilihan untuk select', en: 'Options of a select' },
      { name: 'rows', type: 'number', default: '4', id: 'Baris textarea', en: 'Textarea rows' },
    ],
  },
  {
    name: 'Card',
    id: 'Kartu dengan judul yang menjadi tautan untuk seluruh kartu, baris kecil di atas judul, ikon, isi, dan footer.',
    en: 'A card whose heading link covers the whole card, with an eyebrow line, icon, body and footer.',
    props: [
      { name: 'heading', type: 'string', id: 'Judul kartu', en: 'Card heading' },
      { name: 'href', type: 'string', id: 'Tujuan tautan', en: 'Link target' },
      { name: 'level', type: '2 | 3 | 4', default: '3', id: 'Tingkat judul dalam kerangka halaman', en: 'Heading level in the page outline' },
      { name: 'eyebrow', type: 'string', id: 'Baris kecil di atas judul (mis. OPD)', en: 'Small line above the heading (e.g. the OPD)' },
      { name: 'icon', type: 'string', id: 'Nama ikon', en: 'Icon name' },
      { name: 'tone', type: "'default' | 'muted' | 'primary'", default: "'default'", id: 'muted untuk yang belum tersedia', en: 'muted for things not available yet' },
    ],
    slots: ['default', 'footer'],
  },
  {
    name: 'Tag',
    id: 'Label pendek: status, topik, atau kata kunci; dapat menjadi tautan.',
    en: 'A short label: a status, topic or keyword; may be a link.',
    props: [
      { name: 'tone', type: tones, default: "'neutral'", id: 'Warna sesuai makna', en: 'Colour by meaning' },
      { name: 'href', type: 'string', id: 'Menjadikannya tautan', en: 'Makes it a link' },
      { name: 'icon', type: 'string', id: 'Nama ikon', en: 'Icon name' },
      { name: 'label', type: 'string', id: 'Teks untuk pembaca layar bila teks terlihat ambigu', en: 'Spoken text when the visible text is ambiguous' },
    ],
    slots: ['default'],
  },
  {
    name: 'Tabs',
    id: 'Tab sebagai tautan: tiap tab punya URL sendiri, berfungsi tanpa JavaScript.',
    en: 'Tabs as links: each tab has its own URL and works without JavaScript.',
    props: [
      { name: 'items', type: '{ label, href, current?, count? }[]', id: 'Tab-tabnya', en: 'The tabs' },
      { name: 'label', type: 'string', id: 'Nama navigasi untuk pembaca layar', en: 'The navigation’s accessible name' },
    ],
  },
  {
    name: 'Table',
    id: 'Tabel yang tidak pernah membuat halaman bergeser ke samping: menggulir di kotaknya sendiri (kolom pertama dapat menempel) atau menjadi kartu per baris di layar sempit (setiap <td> memakai data-label).',
    en: 'A table that never makes the page scroll sideways: it scrolls in its own box (optionally with a sticky first column) or stacks each row as a card on narrow screens (each <td> carries data-label).',
    props: [
      { name: 'labelledBy', type: 'string', id: 'id judul yang menamai tabel', en: 'id of the heading naming the table' },
      { name: 'headers', type: '(string | { label, numeric? })[]', id: 'Judul kolom; numeric rata kanan', en: 'Column titles; numeric ones align right' },
      { name: 'layout', type: "'scroll' | 'stack'", default: "'scroll'", id: 'Perilaku di layar sempit', en: 'Behaviour on narrow screens' },
      { name: 'stickyFirst', type: 'boolean', default: 'false', id: 'Kolom pertama tetap terlihat saat menggulir', en: 'Keeps the first column in view while scrolling' },
      { name: 'caption', type: 'string', id: 'Keterangan tabel', en: 'Table caption' },
    ],
    slots: ['default (<tr> rows)'],
  },
  {
    name: 'Notice',
    id: 'Kotak pemberitahuan: info dan success diumumkan dengan sopan, danger sebagai peringatan (role=alert).',
    en: 'A notice box: info and success are announced politely, danger as an alert (role=alert).',
    props: [
      { name: 'tone', type: "'info' | 'success' | 'warning' | 'danger'", default: "'info'", id: 'Makna pemberitahuan', en: 'Meaning of the notice' },
      { name: 'title', type: 'string', id: 'Judul tebal', en: 'Bold title' },
      { name: 'role', type: "'status' | 'alert' | 'note'", id: 'Mengganti role bawaan', en: 'Overrides the default role' },
    ],
    slots: ['default'],
  },
  {
    name: 'EmptyState',
    id: 'Yang ditampilkan daftar kosong: apa yang terjadi, mengapa, dan apa yang dapat dilakukan.',
    en: 'What an empty list shows: what happened, why, and what to do next.',
    props: [
      { name: 'title', type: 'string', id: 'Kalimat utama', en: 'Main sentence' },
      { name: 'icon', type: 'string', default: "'inbox'", id: 'Nama ikon', en: 'Icon name' },
    ],
    slots: ['default', 'actions'],
  },
  {
    name: 'Pagination',
    id: 'Tautan halaman sebelumnya, bernomor, dan berikutnya untuk daftar apa pun.',
    en: 'Previous, numbered and next links for any paged list.',
    props: [
      { name: 'page', type: 'number', id: 'Halaman saat ini (mulai 1)', en: 'Current page (from 1)' },
      { name: 'pages', type: 'number', id: 'Jumlah halaman', en: 'Number of pages' },
      { name: 'href', type: '(page: number) => string', id: 'URL tiap halaman', en: 'URL of each page' },
      { name: 'labels', type: '{ nav, status, prev, next }', id: 'Teks dalam bahasa halaman', en: 'Texts in the page’s language' },
      { name: 'format', type: '(n: number) => string', default: 'String', id: 'Format angka halaman', en: 'Formats page numbers' },
    ],
  },
  {
    name: 'Breadcrumbs',
    id: 'Jejak lokasi halaman; butir terakhir adalah halaman ini.',
    en: 'Where the page sits; the last item is the page itself.',
    props: [
      { name: 'items', type: '{ label, href? }[]', id: 'Butir jejak', en: 'Trail items' },
      { name: 'label', type: 'string', id: 'Nama navigasi', en: 'Accessible name' },
    ],
  },
  {
    name: 'StatTile',
    id: 'Satu angka penting, besar, dengan apa yang dihitungnya.',
    en: 'One figure that matters, large, with what it counts.',
    props: [
      { name: 'value', type: 'string', id: 'Angka yang sudah diformat', en: 'The figure, already formatted' },
      { name: 'label', type: 'string', id: 'Apa yang dihitung', en: 'What it counts' },
      { name: 'href', type: 'string', id: 'Tautan pada label', en: 'Link on the label' },
      { name: 'icon', type: 'string', id: 'Nama ikon', en: 'Icon name' },
    ],
  },
  {
    name: 'Icon',
    id: 'Ikon dekoratif (Lucide, SVG sebaris) menurut nama di icons.ts; disembunyikan dari pembaca layar.',
    en: 'A decorative icon (Lucide, inline SVG) by its name in icons.ts; hidden from screen readers.',
    props: [
      { name: 'name', type: 'string', id: 'Nama ikon; yang tidak dikenal menjadi database', en: 'Icon name; unknown names become database' },
      { name: 'size', type: 'number', default: '20', id: 'Ukuran dalam piksel', en: 'Size in pixels' },
      { name: 'class', type: 'string', id: 'Kelas tambahan', en: 'Extra class' },
    ],
  },
];
