import { t, type Locale } from '../../i18n/index.ts';
import type { SqlProblemCode } from './sql-policy.ts';

/** Codes of the sandbox's own refusals (limits, the pool, saved-query parameters), beside the policy's. */
export type SqlErrorCode =
  | SqlProblemCode
  | 'empty'
  | 'too_long'
  | 'nul'
  | 'timeout'
  | 'memory'
  | 'busy'
  | 'crashed'
  | 'engine'
  | 'no_result'
  | 'download_size'
  | 'param_missing'
  | 'param_type'
  | 'unknown_query';

const POLICY_CODES = new Set<string>(['parse', 'not_select', 'statements', 'table_function', 'unknown_table', 'forbidden_function', 'plan_unchecked', 'plan_scan', 'plan_file', 'plan_operator']);

/**
 * Why user SQL did not run: an HTTP status, a stable code and its parameters. `message` is English (logs, CLIs);
 * `messageIn(locale)` is what a reader sees.
 */
export class SqlError extends Error {
  readonly status: 400 | 404 | 408 | 503;
  readonly code: SqlErrorCode;
  readonly params: Record<string, string | number>;
  constructor(status: 400 | 404 | 408 | 503, code: SqlErrorCode, params: Record<string, string | number> = {}) {
    super(sqlErrorText(code, params, 'en'));
    this.status = status;
    this.code = code;
    this.params = params;
  }

  /** The message key: `sql.problem.<code>` for the policy's refusals, `sql.error.<code>` for the sandbox's own. */
  get key(): string {
    return sqlErrorKey(this.code);
  }

  messageIn(locale: Locale): string {
    return t(locale, this.key, this.params);
  }
}

function sqlErrorKey(code: SqlErrorCode): string {
  return `${POLICY_CODES.has(code) ? 'sql.problem' : 'sql.error'}.${code}`;
}

function sqlErrorText(code: SqlErrorCode, params: Record<string, string | number>, locale: Locale): string {
  return t(locale, sqlErrorKey(code), params);
}
