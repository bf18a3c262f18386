/**
 * What a Badami function answers when it refuses: a code (its message is `badami.error.<code>` in the reader's
 * language), the HTTP status it maps to, and — for a form — every field that is wrong at once, each with its own code
 * and values. Nothing is written when a failure is returned.
 */
export const FAILURE_STATUS = {
  not_found: 404,
  forbidden: 403,
  invalid: 400,
  same_stage: 409,
  reason_required: 400,
  conflict: 409,
  import_rejected: 400,
} as const;
export type FailureCode = keyof typeof FAILURE_STATUS;

/** One wrong field: its name in the form, a problem code (`badami.problem.<code>`) and the values it names. */
export interface Problem {
  field: string;
  code: string;
  params?: Record<string, string | number>;
}

export interface Failure {
  ok: false;
  code: FailureCode;
  problems?: Problem[];
  params?: Record<string, string | number>;
}

export type Outcome<T extends object = object> = ({ ok: true } & T) | Failure;

export function failure(code: FailureCode, extra: Omit<Failure, 'ok' | 'code'> = {}): Failure {
  return { ok: false, code, ...extra };
}

export function invalid(problems: Problem[]): Failure {
  return { ok: false, code: 'invalid', problems };
}

/** Thrown inside a transaction to roll it back with a person-facing answer; `settle()` turns it back into a value. */
export class Refusal extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.code);
    this.failure = failure;
  }
}

/** Runs `work`; a Refusal thrown inside (and its rolled-back transaction) becomes its Failure. */
export async function settle<T extends object>(work: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refusal) return error.failure;
    throw error;
  }
}
