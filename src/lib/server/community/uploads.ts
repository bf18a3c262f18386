import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { audit } from '../audit/audit.ts';
import { can, type Actor } from '../auth/authorization.ts';
import { randomId } from '../auth/secret.ts';
import { now } from '../clock.ts';
import { deployment } from '../config/deployment.ts';
import { dataDir } from '../config/paths.ts';
import { sql, type Kysely } from 'kysely';
import { db, store, transaction } from '../db/store.ts';
import { touchReaders } from '../http/reader-revision.ts';
import type { Database } from '../domains.ts';
import { consume } from '../http/rate-limit.ts';
import { MAX_PIXELS, reencodeImage, type ImageFormat } from './image.ts';
import { failure, type Result } from './results.ts';
import { loadSubject, subjectOpenTo, type Subject } from './subjects.ts';
import { acceptedLabels, acceptedType, formatMegabytes, safeFileName, type Accept, type UploadKind } from './upload-types.ts';

/**
 * Files people attach to a subject: images (re-encoded, metadata stripped) and documents (PDF, office formats),
 * typed by their bytes. Stored once per content under DATA_DIR/uploads/<sha256[0,2]>/<sha256>.<ext> (written to a
 * temporary name, flushed, then renamed, before the row that points at it commits), with an owner and a subject.
 * Served by /uploads/<id> to whoever may view the subject, with headers that keep a browser from running them.
 */
export interface UploadInfo {
  id: string;
  url: string;
  subject: string;
  ownerId: string;
  kind: UploadKind;
  mediaType: string;
  fileName: string;
  size: number;
  width: number | null;
  height: number | null;
  createdAt: number;
  sha256: string;
  extension: string;
}

export function uploadsDir(): string {
  return path.join(dataDir(), 'uploads');
}

function storedPath(sha256: string, extension: string): string {
  return path.join(uploadsDir(), sha256.slice(0, 2), `${sha256}.${extension}`);
}

function limits(): Record<UploadKind, number> {
  const { image_max_mb, document_max_mb } = deployment().community.uploads;
  return { image: image_max_mb * 1024 * 1024, document: document_max_mb * 1024 * 1024 };
}

/** May `actor` attach files to `subject`? The subject's rule, else whoever may comment on it. */
function mayUpload(subject: Subject, actor: Actor): boolean {
  return can(actor, 'community.upload') && subject.mayView(actor) && (subject.mayUpload ? subject.mayUpload(actor) : subjectOpenTo(subject, actor));
}

/** Checks, types, re-encodes (images) and stores one file for `subject`. Nothing is stored when it is refused. */
export async function saveUpload(
  actor: Actor,
  input: { subject: string; name: string; bytes: Uint8Array; accept: Accept },
): Promise<Result<{ upload: UploadInfo }>> {
  const saved = await saveUploads(actor, { subject: input.subject, files: [{ name: input.name, bytes: input.bytes }], accept: input.accept });
  return saved.ok ? { ok: true, upload: saved.uploads[0]! } : saved;
}

/**
 * Several files for one subject (a submission's images, an update's evidence): all are checked first, and either
 * all are stored or, when one is refused (the answer names it), none. `max` caps how many one request may bring.
 */
export async function saveUploads(
  actor: Actor,
  input: { subject: string; files: readonly { name: string; bytes: Uint8Array }[]; accept: Accept; max?: number },
): Promise<Result<{ uploads: UploadInfo[] }>> {
  const subject = await loadSubject(input.subject);
  if (!subject || !subject.mayView(actor)) return failure('not_found', { field: 'subject' });
  if (!mayUpload(subject, actor)) return failure('forbidden');
  if (input.max !== undefined && input.files.length > input.max) return failure('too_many_files', { field: 'file', params: { max: input.max } });
  const cap = subject.files?.max;
  const full = () => failure('too_many_files', { field: 'file', params: { max: cap ?? 0 } });
  if (cap !== undefined && (await countFiles(db(), subject.ref)) + input.files.length > cap) return full();
  const prepared: Prepared[] = [];
  for (const file of input.files) {
    const ready = await prepare(file, subject.files?.accept ?? input.accept);
    if (!ready.ok) return ready;
    prepared.push(ready.file);
  }
  if (prepared.length === 0) return { ok: true, uploads: [] };
  const limit = await consume('upload.account', actor.id);
  if (!limit.ok) return failure('rate_limited', { retryAfterSeconds: limit.retryAfterSeconds });
  const at = now();
  const rows = prepared.map((p) => ({
    id: randomId(),
    sha256: p.sha256,
    owner_id: actor.id,
    subject: subject.ref,
    kind: p.kind,
    media_type: p.mediaType,
    extension: p.extension,
    file_name: p.fileName,
    byte_size: p.bytes.byteLength,
    width: p.width,
    height: p.height,
    created_at: at,
    deleted_at: null,
  }));
  const hashes = [...new Set(rows.map((r) => r.sha256))].sort();
  const stored = await underFileLocks(hashes, async () => {
    for (const p of prepared) writeOnce(storedPath(p.sha256, p.extension), p.bytes);
    return transaction(async (trx) => {
      if (cap !== undefined) {
        // Two uploads at once must not pass the cap together: on PostgreSQL they queue on a lock per subject (on
        // SQLite the writer already holds the one write lock), then count what is committed.
        if (store().dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${subject.ref}))`.execute(trx);
        if ((await countFiles(trx, subject.ref)) + rows.length > cap) return false;
      }
      await trx.insertInto('community_upload').values(rows).execute();
      await touchReaders('community');
      return true;
    });
  });
  // Bytes written for a refused race stay until the same image is uploaded or deleted: content-addressed, harmless.
  if (!stored) return full();
  return { ok: true, uploads: rows.map(toInfo) };
}

async function countFiles(from: Kysely<Database>, subject: string): Promise<number> {
  const row = await from.selectFrom('community_upload').select((eb) => eb.fn.countAll<number>().as('n')).where('subject', '=', subject).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

interface Prepared {
  kind: UploadKind;
  mediaType: string;
  extension: string;
  fileName: string;
  bytes: Buffer;
  sha256: string;
  width: number | null;
  height: number | null;
}

/** One file checked by its bytes and, for an image, re-encoded: what will be stored, or why not. */
async function prepare(file: { name: string; bytes: Uint8Array }, accept: Accept): Promise<Result<{ file: Prepared }>> {
  const name = file.name.split(/[\\/]/).pop()?.slice(0, 200) || 'berkas';
  if (file.bytes.byteLength === 0) return failure('empty_file', { field: 'file', params: { name } });
  const max = limits();
  const largest = Math.max(...(accept === 'evidence' ? [max.image, max.document] : [max[accept]]));
  if (file.bytes.byteLength > largest) {
    return failure('too_large', { field: 'file', params: { name, size: formatMegabytes(file.bytes.byteLength), max: formatMegabytes(largest) } });
  }
  const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  const sniffed = await fileTypeFromBuffer(bytes);
  const type = acceptedType(sniffed?.mime, accept);
  if (!type) return failure('type_not_allowed', { field: 'file', params: { name, found: sniffed?.ext ?? '?', allowed: acceptedLabels(accept) } });
  if (bytes.byteLength > max[type.kind]) {
    return failure('too_large', { field: 'file', params: { name, size: formatMegabytes(bytes.byteLength), max: formatMegabytes(max[type.kind]) } });
  }
  let stored = bytes;
  let width: number | null = null;
  let height: number | null = null;
  if (type.kind === 'image') {
    const image = await reencodeImage(bytes, type.extension === 'jpg' ? 'jpeg' : (type.extension as ImageFormat));
    if (!image.ok) {
      if (image.code === 'too_many_pixels') return failure('too_many_pixels', { field: 'file', params: { name, width: image.width, height: image.height, max: MAX_PIXELS / 1_000_000 } });
      return failure('unreadable_image', { field: 'file', params: { name } });
    }
    ({ bytes: stored, width, height } = image);
  }
  return {
    ok: true,
    file: {
      kind: type.kind,
      mediaType: type.mediaType,
      extension: type.extension,
      fileName: safeFileName(name, type.extension),
      bytes: stored,
      sha256: createHash('sha256').update(stored).digest('hex'),
      width,
      height,
    },
  };
}

/**
 * Writing a file and recording it, and removing a file no row uses any more, take turns per content hash: otherwise
 * a removal could check "nobody uses these bytes" just before a new upload of the same bytes records itself.
 * (One process writes DATA_DIR/uploads; the servers of a fleet each keep their own.)
 */
const fileLocks = new Map<string, Promise<unknown>>();

/** Several hashes, taken in sorted order so two callers never wait on each other in a circle. */
function underFileLocks<T>(hashes: readonly string[], work: () => Promise<T>): Promise<T> {
  return hashes.reduceRight<() => Promise<T>>((inner, sha256) => () => underFileLock(sha256, inner), work)();
}

async function underFileLock<T>(sha256: string, work: () => Promise<T>): Promise<T> {
  const previous = fileLocks.get(sha256) ?? Promise.resolve();
  const next = previous.then(work, work);
  fileLocks.set(sha256, next);
  try {
    return await next;
  } finally {
    if (fileLocks.get(sha256) === next) fileLocks.delete(sha256);
  }
}

/** Content-addressed: the same bytes are one file. Written beside, flushed to disk, renamed into place. */
function writeOnce(file: string, bytes: Buffer): void {
  if (existsSync(file) && statSync(file).size === bytes.byteLength) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'w', 0o640);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** A community_upload row as read (the deletion mark aside). */
type UploadRow = Omit<Database['community_upload'], 'deleted_at'>;

function toInfo(r: UploadRow): UploadInfo {
  return {
    id: r.id,
    url: `/uploads/${r.id}`,
    subject: r.subject,
    ownerId: r.owner_id,
    kind: r.kind as UploadKind,
    mediaType: r.media_type,
    fileName: r.file_name,
    size: Number(r.byte_size),
    width: r.width === null ? null : Number(r.width),
    height: r.height === null ? null : Number(r.height),
    createdAt: Number(r.created_at),
    sha256: r.sha256,
    extension: r.extension,
  };
}

const COLUMNS = ['id', 'sha256', 'owner_id', 'subject', 'kind', 'media_type', 'extension', 'file_name', 'byte_size', 'width', 'height', 'created_at'] as const;

/** The files of a subject, oldest first (the reader must be allowed to view the subject: check before). */
export async function listUploads(ref: string, options: { kind?: UploadKind } = {}): Promise<UploadInfo[]> {
  const rows = await db()
    .selectFrom('community_upload')
    .select(COLUMNS)
    .where('subject', '=', ref)
    .where('deleted_at', 'is', null)
    .$if(options.kind !== undefined, (q) => q.where('kind', '=', options.kind!))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toInfo);
}

/** A subject's files as `viewer` may see and handle them (null: not theirs to see); for a page's file list. */
export async function filesFor(of: string | Subject, viewer: Actor | null): Promise<{ files: (UploadInfo & { canDelete: boolean })[]; mayUpload: boolean } | null> {
  const subject = typeof of === 'string' ? await loadSubject(of) : of;
  if (!subject || !subject.mayView(viewer)) return null;
  const ref = subject.ref;
  const moderates = viewer !== null && can(viewer, 'community.moderate', { subject });
  const uploads = viewer !== null && mayUpload(subject, viewer);
  const files = (await listUploads(ref)).map((f) => ({ ...f, canDelete: moderates || (uploads && f.ownerId === viewer!.id) }));
  return { files, mayUpload: uploads };
}

export async function getUpload(id: string): Promise<UploadInfo | null> {
  const row = await db().selectFrom('community_upload').select(COLUMNS).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return row ? toInfo(row) : null;
}

/** The upload and where its bytes are, if `viewer` may see its subject; null otherwise (answer 404). */
export async function uploadForViewer(id: string, viewer: Actor | null): Promise<{ upload: UploadInfo; file: string; public: boolean } | null> {
  if (!/^[a-z0-9]{8,64}$/.test(id)) return null;
  const upload = await getUpload(id);
  const subject = upload ? await loadSubject(upload.subject) : null;
  if (!upload || !subject || !subject.mayView(viewer)) return null;
  const file = storedPath(upload.sha256, upload.extension);
  return existsSync(file) ? { upload, file, public: subject.mayView(null) } : null;
}

/** The owner, or a moderator of the subject, removes a file; its bytes go when no other upload shares them. */
export async function deleteUpload(actor: Actor, id: string, ip?: string | null): Promise<Result<{ subject: string }>> {
  const upload = await getUpload(id);
  const subject = upload ? await loadSubject(upload.subject) : null;
  if (!upload || !subject || !subject.mayView(actor)) return failure('not_found', { field: 'id' });
  const moderates = can(actor, 'community.moderate', { subject });
  if (upload.ownerId !== actor.id && !moderates) return failure('forbidden');
  if (upload.ownerId === actor.id && !moderates && !mayUpload(subject, actor)) return failure('forbidden');
  await underFileLock(upload.sha256, async () => {
    await transaction(async (trx) => {
      await trx.updateTable('community_upload').set({ deleted_at: now() }).where('id', '=', id).where('deleted_at', 'is', null).execute();
      await touchReaders('community');
      if (upload.ownerId !== actor.id) await audit('community.upload.delete', { actorId: actor.id, subjectId: upload.ownerId, ip, detail: `${subject.ref} ${id}` });
    });
    // The bytes go with the last upload that uses them (a person who deletes a photo expects it gone).
    const shared = await db().selectFrom('community_upload').select('id').where('sha256', '=', upload.sha256).where('deleted_at', 'is', null).executeTakeFirst();
    if (!shared) rmSync(storedPath(upload.sha256, upload.extension), { force: true });
  });
  return { ok: true, subject: subject.ref };
}
