import { env } from '../config/env.ts';

/** Auth settings from the environment (config/env.ts), read when called; everything returned is in milliseconds. */
const HOUR = 60 * 60 * 1000;

export function sessionSettings() {
  const { AUTH_SESSION_IDLE_HOURS, AUTH_SESSION_MAX_HOURS } = env();
  return {
    /** A session unused for this long ends (default 14 days). */
    idleMs: AUTH_SESSION_IDLE_HOURS * HOUR,
    /** No session lives longer than this, however active (default 90 days). */
    maxMs: AUTH_SESSION_MAX_HOURS * HOUR,
    /** Activity is written at most this often (one hour), so reads do not become writes. */
    activityIntervalMs: HOUR,
  };
}

export const SESSION_COOKIE = 'kt_session';
export const API_TOKEN_PREFIX = 'kt_';
/** E-mail verification and password-reset links stay valid this long. */
export const EMAIL_LINK_TTL_MS = 2 * HOUR;
