/**
 * Which files are accepted, decided by their bytes (file-type's sniffing), never by their name or the browser's
 * Content-Type. Images are re-encoded (image.ts), which drops their metadata (EXIF GPS, camera, author); documents
 * are kept as sent and always served as downloads. SVG, HTML and everything else are refused: a browser would run
 * what is inside them.
 */
export const ACCEPTS = ['image', 'document', 'evidence'] as const;
export type Accept = (typeof ACCEPTS)[number];
export type UploadKind = 'image' | 'document';

interface Accepted {
  kind: UploadKind;
  mediaType: string;
  extension: string;
  /** Shown in the "accepted:" list of messages. */
  label: string;
}

const TYPES: Record<string, Accepted> = {
  'image/jpeg': { kind: 'image', mediaType: 'image/jpeg', extension: 'jpg', label: 'JPEG' },
  'image/png': { kind: 'image', mediaType: 'image/png', extension: 'png', label: 'PNG' },
  'image/webp': { kind: 'image', mediaType: 'image/webp', extension: 'webp', label: 'WebP' },
  'image/gif': { kind: 'image', mediaType: 'image/gif', extension: 'gif', label: 'GIF' },
  'application/pdf': { kind: 'document', mediaType: 'application/pdf', extension: 'pdf', label: 'PDF' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    kind: 'document',
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
    label: 'Word (.docx)',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    kind: 'document',
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
    label: 'Excel (.xlsx)',
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    kind: 'document',
    mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extension: 'pptx',
    label: 'PowerPoint (.pptx)',
  },
  'application/vnd.oasis.opendocument.text': { kind: 'document', mediaType: 'application/vnd.oasis.opendocument.text', extension: 'odt', label: 'OpenDocument (.odt)' },
  'application/vnd.oasis.opendocument.spreadsheet': { kind: 'document', mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extension: 'ods', label: 'OpenDocument (.ods)' },
  'application/vnd.oasis.opendocument.presentation': { kind: 'document', mediaType: 'application/vnd.oasis.opendocument.presentation', extension: 'odp', label: 'OpenDocument (.odp)' },
};

function kindsOf(accept: Accept): UploadKind[] {
  return accept === 'evidence' ? ['image', 'document'] : [accept];
}

/** The accepted type for sniffed bytes, or null when this kind of upload does not take it. */
export function acceptedType(sniffedMime: string | undefined, accept: Accept): Accepted | null {
  const found = sniffedMime ? TYPES[sniffedMime] : undefined;
  return found && kindsOf(accept).includes(found.kind) ? found : null;
}

/** "JPEG, PNG, WebP, GIF" for the messages of an upload field. */
export function acceptedLabels(accept: Accept): string {
  return Object.values(TYPES)
    .filter((t) => kindsOf(accept).includes(t.kind))
    .map((t) => t.label)
    .join(', ');
}

/** The `accept` attribute of a file input: a hint for the browser's picker; the server decides by the bytes. */
export function acceptAttribute(accept: Accept): string {
  return Object.values(TYPES)
    .filter((t) => kindsOf(accept).includes(t.kind))
    .flatMap((t) => [t.mediaType, `.${t.extension}`])
    .join(',');
}

/**
 * The name a file is served under: the sender's base name without paths or control characters, shortened, with the
 * extension of what it really is (so "foto.jpg.exe" that is a PNG is served as "foto.jpg.png").
 */
export function safeFileName(original: string, extension: string): string {
  const base = (original.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .trim()
    .slice(0, 100);
  return `${base || 'berkas'}.${extension}`;
}

/** "8 MB" for limits and sizes in messages. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}
