import type { Accept } from './upload-types.ts';
import type { Actor } from '../auth/rule-kit.ts';

/**
 * What a discussion is about. A subject is named `<type>:<id>` (`submission:7hq2`, `innovation:42`,
 * `dataset:penduduk-kecamatan`); the domain that owns the type registers a loader in registry.ts and says, per
 * subject, what it is called, where it is shown, who may see it, comment on it, moderate it and answer for it.
 * The community module never reads another domain's tables: it asks the loader.
 */
export interface SubjectType {
  /** The part before the colon: lowercase letters, digits and dashes. */
  type: string;
  /** The subject, or null when there is none with this id (pages answer 404). */
  load(id: string): Promise<SubjectInfo | null>;
}

export interface SubjectInfo {
  /** Plain text; shown in notifications, e-mails and the moderation queue. */
  title: string;
  /** The path on this site where the subject and its thread are shown (notifications link to `url#comment-<id>`). */
  url: string;
  /**
   * Moderation scope, `<kind>:<id>` such as `datathon:<event>` or `opd:<code>`: subjects with one scope share their
   * moderators and their part of the moderation queue. Stored with each comment.
   */
  scope: string;
  /** How the scope is named in the moderation queue ("Datathon Bandung 2026", "Dinas Kesehatan"). */
  scopeTitle: string;
  /** Accounts told about new comments ("a comment on your submission"): the team, the innovation's owners. */
  ownerIds: readonly string[];
  /** Who may see the subject and its thread, files and comments (null: not signed in). */
  mayView(actor: Actor | null): boolean;
  /** Who may comment now (a thread may close, e.g. after judging). Default: every account that may view it. */
  mayComment?(actor: Actor): boolean;
  /**
   * Who may attach files to it (images, evidence), and so also delete their own (a subject that locks, e.g. an
   * idea after the deadline, freezes its files too). Default: whoever may comment on it.
   */
  mayUpload?(actor: Actor): boolean;
  /** What files it holds: the kinds it takes (whatever the form says) and how many at once. Default: any, no cap. */
  files?: { accept: Accept; max: number };
  /** Who moderates it, usually through the domain's can() (admins always do: rules.ts). */
  mayModerate(actor: Actor): boolean;
  /** Who may give official answers (e.g. officials of the challenge's OPD). Default: nobody. */
  mayAnswerOfficially?(actor: Actor): boolean;
}

export interface Subject extends SubjectInfo {
  /** `<type>:<id>` */
  ref: string;
  type: string;
  id: string;
}

export const SUBJECT_REF = /^([a-z][a-z0-9-]{0,31}):([A-Za-z0-9][A-Za-z0-9_.-]{0,127})$/;

/** Declares a subject type (keeps its literal type name). */
export function defineSubjectType<const T extends SubjectType>(subjectType: T): T {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(subjectType.type)) throw new Error(`subject type "${subjectType.type}": lowercase letters, digits and dashes`);
  return subjectType;
}

export function subjectRef(type: string, id: string): string {
  const ref = `${type}:${id}`;
  if (!SUBJECT_REF.test(ref)) throw new Error(`not a subject reference: "${ref}"`);
  return ref;
}

export function parseSubjectRef(ref: string): { type: string; id: string } | null {
  const match = SUBJECT_REF.exec(ref);
  return match ? { type: match[1]!, id: match[2]! } : null;
}

/** The subject named by `ref`, from its domain's loader; null for a malformed ref, an unknown type or id. */
export async function loadSubject(ref: string): Promise<Subject | null> {
  const parsed = parseSubjectRef(ref);
  if (!parsed) return null;
  // Loaded lazily: the loaders import their domains, which import this module to notify and comment.
  const { SUBJECT_TYPES } = await import('./registry.ts');
  const loader = Object.hasOwn(SUBJECT_TYPES, parsed.type) ? SUBJECT_TYPES[parsed.type] : undefined;
  if (!loader) return null;
  const subjectType = await loader();
  const info = await subjectType.load(parsed.id);
  return info ? { ...info, ref, type: parsed.type, id: parsed.id } : null;
}

/** Several subjects at once (the moderation queue, upload listings), each loaded once. */
export async function loadSubjects(refs: Iterable<string>): Promise<Map<string, Subject>> {
  const unique = [...new Set(refs)];
  const loaded = await Promise.all(unique.map(async (ref) => [ref, await loadSubject(ref)] as const));
  return new Map(loaded.filter((entry): entry is readonly [string, Subject] => entry[1] !== null));
}

/** May `actor` comment on `subject` now (viewing it, and the subject open to them)? */
export function subjectOpenTo(subject: Subject, actor: Actor): boolean {
  return subject.mayView(actor) && (subject.mayComment?.(actor) ?? true);
}
