/**
 * What a datathon function answers when a person must change something: a code (its message is
 * `datathon.error.<code>` in the reader's language), the form field it is about, and the values the message names
 * (a deadline, a limit). Domain functions return these instead of throwing, so actions, pages and tests see the
 * same precise answer; nothing is written when one is returned.
 */
export const FAILURE_STATUS = {
  not_found: 404,
  forbidden: 403,
  phase_closed: 409,
  already_in_team: 409,
  team_full: 409,
  invite_expired: 410,
  invite_invalid: 404,
  not_leader: 403,
  leader_must_transfer: 409,
  not_member: 403,
  unknown_dataset: 400,
  unknown_challenge: 400,
  invalid: 400,
  schedule_order: 400,
  taken: 409,
  vote_limit: 409,
  own_submission: 409,
  not_submitted: 409,
  conflict_of_interest: 403,
  not_assigned: 403,
  score_range: 400,
  no_pair: 409,
  incomplete: 409,
} as const;
export type FailureCode = keyof typeof FAILURE_STATUS;

export interface Failure {
  ok: false;
  code: FailureCode;
  field?: string;
  params?: Record<string, string | number>;
}

export type Outcome<T = object> = ({ ok: true } & T) | Failure;

export function failure(code: FailureCode, field?: string, params?: Record<string, string | number>): Failure {
  return { ok: false, code, ...(field ? { field } : {}), ...(params ? { params } : {}) };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as Failure).ok === false;
}

/**
 * Thrown inside a transaction to roll it back with a person-facing answer; `answer()` turns it back into a value.
 */
export class Refusal extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.code);
    this.failure = failure;
  }
}

export function refuse(code: FailureCode, field?: string, params?: Record<string, string | number>): never {
  throw new Refusal(failure(code, field, params));
}

/** Runs `work`; a Refusal thrown inside (which rolled its transaction back) becomes the failure value. */
export async function answer<T extends object>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, ...(await work()) } as Outcome<T>;
  } catch (error) {
    if (error instanceof Refusal) return error.failure;
    throw error;
  }
}
