import { ActionError, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro/zod';
import { fromWibInput } from '../lib/datathon/pages.ts';
import { t } from '../lib/i18n/index.ts';
import { FAILURE_STATUS, type Outcome } from '../lib/server/datathon/outcome.ts';

/** How the datathon's forms turn a domain answer into an ActionError in the reader's language. */

const ACTION_CODES = {
  400: 'BAD_REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  410: 'GONE',
} as const;

/** The success value, or an ActionError naming the field and the values the message needs. */
export function settle<T extends object>(context: ActionAPIContext, outcome: Outcome<T>): T & { ok: true } {
  if (outcome.ok) return outcome;
  const locale = context.locals.locale;
  const params: Record<string, string | number> = { ...outcome.params };
  if (outcome.field) params.field = t(locale, `dt.field.${outcome.field.replace(/^score-.*/, 'title')}`);
  if (typeof params.phase === 'string') params.phase = t(locale, `dt.phase.${params.phase}`);
  throw new ActionError({ code: ACTION_CODES[FAILURE_STATUS[outcome.code]], message: t(locale, `dt.error.${outcome.code}`, params) });
}

/** A `datetime-local` value read as WIB (UTC+7, the deployment's time zone; no daylight saving), in epoch ms. */
export const wibDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
  .transform(fromWibInput);

/** Checkboxes or a multiple select: Astro reads every value of the name into the array (none: empty). */
export const list = z.array(z.string().trim().max(100)).max(50);
