/**
 * What the community functions answer when they refuse: a value a person can act on (which field, what was
 * expected), turned into a message in the reader's language by src/actions/community.ts (`community.error.<code>`).
 */
export const FAILURE_CODES = [
  'forbidden',
  'not_found',
  'closed',
  'empty',
  'too_long',
  'rate_limited',
  'edit_window',
  'not_editable',
  'reason_required',
  'own_comment',
  'not_moderatable',
  'empty_file',
  'too_many_files',
  'too_large',
  'type_not_allowed',
  'unreadable_image',
  'too_many_pixels',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export interface Failure {
  ok: false;
  code: FailureCode;
  /** The form field the answer is about. */
  field?: string;
  retryAfterSeconds?: number;
  /** Values for the message, e.g. { max: 10000 }. */
  params?: Record<string, string | number>;
}

export function failure(code: FailureCode, extra: Omit<Failure, 'ok' | 'code'> = {}): Failure {
  return { ok: false, code, ...extra };
}

export type Result<T extends object = object> = ({ ok: true } & T) | Failure;
