import { ActionError, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro/zod';
import { failureText } from '../lib/badami/problem-text.ts';
import { t } from '../lib/i18n/index.ts';
import type { Failure, Outcome } from '../lib/server/badami/results.ts';
import type { User } from '../lib/server/auth/user.ts';

/** Shared by Badami's action files: who is asking, how a domain answer becomes an ActionError, common fields. */

const CODES: Record<Failure['code'], ActionError['code']> = {
  not_found: 'NOT_FOUND',
  forbidden: 'FORBIDDEN',
  invalid: 'BAD_REQUEST',
  same_stage: 'CONFLICT',
  reason_required: 'BAD_REQUEST',
  conflict: 'CONFLICT',
  import_rejected: 'BAD_REQUEST',
};

/** The ActionError code of a domain refusal. */
export const actionCode = (code: Failure['code']): ActionError['code'] => CODES[code];

/** Every Badami form needs a signed-in person; the domain function decides what they may do. */
export function signedIn(context: ActionAPIContext): User {
  const user = context.locals.user;
  if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: t(context.locals.locale, 'auth.error.login_required') });
  return user;
}

/** The domain's answer, or its refusal as an ActionError in the reader's language (every wrong field named). */
export function settled<T extends object>(context: ActionAPIContext, form: string, outcome: Outcome<T>): T {
  if (outcome.ok) return outcome;
  throw new ActionError({ code: CODES[outcome.code], message: failureText(context.locals.locale, form, outcome) });
}

export const id = z.string().min(1).max(64);

/** Optional text: Astro hands an empty form field over as null, which this turns into ''. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((v) => v ?? '');
