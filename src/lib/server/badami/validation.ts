import type { z } from 'zod';
import type { Problem } from './results.ts';

/**
 * Badami's schemas give every constraint a problem code as its message (`'too_long'`, `'date'`, `'choose_one'`);
 * this turns zod's issues into Problems, with the limit a message names (`{max}`), one per field.
 */
export const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function problemsOf(issues: readonly z.core.$ZodIssue[], prefix = ''): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const issue of issues) {
    const field = prefix + issue.path.map(String).join('.');
    if (seen.has(field)) continue;
    seen.add(field);
    const params: Record<string, string | number> = {};
    const { minimum, maximum } = issue as { minimum?: number | bigint; maximum?: number | bigint };
    if (minimum !== undefined) params.min = Number(minimum);
    if (maximum !== undefined) params.max = Number(maximum);
    const code = /^[a-z_]+$/.test(issue.message) ? issue.message : 'invalid';
    problems.push({ field, code, ...(Object.keys(params).length > 0 ? { params } : {}) });
  }
  return problems;
}

/** A real calendar day (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
