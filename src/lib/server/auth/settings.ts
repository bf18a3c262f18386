/**
 * Auth settings from the environment, read when called (tests and the CLI set them per process).
 * Durations in the environment are in hours; everything returned is in milliseconds.
 */
const HOUR = 60 * 60 * 1000;

function hours(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback * HOUR;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number of hours, found "${raw}"`);
  return value * HOUR;
}

export function sessionSettings() {
  return {
    /** A session unused for this long ends (default 14 days). */
    idleMs: hours('AUTH_SESSION_IDLE_HOURS', 14 * 24),
    /** No session lives longer than this, however active (default 90 days). */
    maxMs: hours('AUTH_SESSION_MAX_HOURS', 90 * 24),
    /** Activity is written at most this often (one hour), so reads do not become writes. */
    activityIntervalMs: HOUR,
  };
}

/** Multiplies every rate-limit refill interval; below 1 only for tests that must see a limit release quickly. */
export function rateLimitScale(): number {
  const raw = process.env.AUTH_RATE_LIMIT_SCALE;
  const value = raw ? Number(raw) : 1;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`AUTH_RATE_LIMIT_SCALE: expected a positive number, found "${raw}"`);
  return value;
}

export const SESSION_COOKIE = 'kt_session';
export const API_TOKEN_PREFIX = 'kt_';
/** E-mail verification and password-reset links stay valid this long. */
export const EMAIL_LINK_TTL_MS = 2 * HOUR;
