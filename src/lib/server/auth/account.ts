import { linkOrigin } from '../config/deployment.ts';
import { transaction } from '../db/store.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { audit } from '../audit/audit.ts';
import { checkEmailLink, consumeEmailLink, issueEmailLink } from './email-link.ts';
import { enqueueMail, enqueueTemplate } from '../mail/outbox.ts';
import { hashPassword, passwordProblem, verifyAgainstDecoy, verifyPassword } from './password.ts';
import { consume, peek, reset, type PolicyName } from '../http/rate-limit.ts';
import { createSession, invalidateSession, invalidateUserSessions } from './session.ts';
import {
  activateAccount,
  deleteUser,
  getPasswordHash,
  getUser,
  getUserForLogin,
  normalizeEmail,
  reserveEmail,
  setEmailVerified,
  setPasswordHash,
  type User,
} from './user.ts';

/**
 * The account flows the pages and actions call: each checks its rate limits, does its work, writes the
 * audit log and answers with a value (never throws for a person's mistake). Failure codes are i18n keys
 * under `auth.error.*`.
 */
export interface RequestInfo {
  ip: string;
  userAgent?: string;
  /** The site origin for links in e-mails, e.g. https://data.bandung.go.id */
  origin: string;
  locale: Locale;
}

export type Failure = { ok: false; code: FailureCode; field?: string; retryAfterSeconds?: number };
export const FAILURE_CODES = ['rate_limited', 'invalid_credentials', 'wrong_password', 'invalid_link', 'too_short', 'too_long', 'too_common'] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

const limited = async (name: PolicyName, key: string, take = true): Promise<Failure | null> => {
  const answer = take ? await consume(name, key) : await peek(name, key);
  return answer.ok ? null : { ok: false, code: 'rate_limited', retryAfterSeconds: answer.retryAfterSeconds };
};

function checkNewPassword(password: string): Failure | null {
  const problem = passwordProblem(password);
  return problem ? { ok: false, code: problem, field: 'password' } : null;
}

/**
 * Sign-up answers the same, in the same way, whether or not the address has an account (issue 8, finding 12): it
 * always hashes the password and, in one transaction, reserves the address if it is free, writes the audit entry
 * and queues one message. Which message is decided at delivery (auth/mail-templates.ts): a link that finishes the
 * sign-up — the account gets its password and can log in only then, so nobody can take an address they cannot
 * read — or, for a registered address, a note to its owner. Nobody is logged in here.
 */
export async function signUp(input: { name: string; email: string; password: string }, req: RequestInfo): Promise<{ ok: true; email: string } | Failure> {
  const stop = (await limited('signup.ip', req.ip)) ?? checkNewPassword(input.password);
  if (stop) return stop;
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const origin = mailLinkOrigin(req);
  await transaction(async () => {
    const reserved = await reserveEmail(email, input.name);
    await audit('signup', { subjectId: reserved, ip: req.ip, detail: 'sign-up form' });
    if (origin) await enqueueTemplate('auth.signup', email, { locale: req.locale, origin, name: input.name.trim(), passwordHash });
  });
  return { ok: true, email };
}

/** Log-in. Whether the e-mail is registered is never told: unknown e-mail and wrong password answer the same, in the same time. */
export async function logIn(input: { email: string; password: string }, req: RequestInfo): Promise<{ ok: true; user: User; token: string } | Failure> {
  const email = normalizeEmail(input.email);
  const stop = (await limited('login.ip', req.ip)) ?? (await limited('login.account', email, false));
  if (stop) {
    await audit('rate_limit', { ip: req.ip, detail: `login ${email}` });
    return stop;
  }
  const found = await getUserForLogin(email);
  const valid = found ? await verifyPassword(found.passwordHash, input.password) : await verifyAgainstDecoy(input.password);
  if (!found || !valid) {
    await consume('login.account', email);
    await audit('login.failure', { subjectId: found?.user.id ?? null, ip: req.ip, detail: found ? 'wrong password' : 'unknown e-mail' });
    return { ok: false, code: 'invalid_credentials' };
  }
  await reset('login.account', email);
  const { token } = await createSession(found.user.id, req.userAgent);
  await audit('login.success', { actorId: found.user.id, subjectId: found.user.id, ip: req.ip });
  return { ok: true, user: found.user, token };
}

export async function logOut(user: User, sessionId: string, ip: string): Promise<void> {
  await invalidateSession(sessionId);
  await audit('logout', { actorId: user.id, subjectId: user.id, ip });
}

export async function logOutEverywhere(user: User, ip: string): Promise<void> {
  await invalidateUserSessions(user.id);
  await audit('logout.everywhere', { actorId: user.id, subjectId: user.id, ip });
}

/** Changes the password and ends every other session of the account; the one that made the change stays. */
export async function changePassword(user: User, keepSessionId: string | null, input: { current: string; next: string }, ip: string): Promise<{ ok: true; endedSessions: number } | Failure> {
  const stop = (await limited('login.account', user.email, false)) ?? checkNewPassword(input.next);
  if (stop) return stop;
  const hash = await getPasswordHash(user.id);
  if (!hash || !(await verifyPassword(hash, input.current))) {
    await consume('login.account', user.email);
    return { ok: false, code: 'wrong_password', field: 'current' };
  }
  const newHash = await hashPassword(input.next);
  const endedSessions = await transaction(async () => {
    await setPasswordHash(user.id, newHash);
    return invalidateUserSessions(user.id, keepSessionId ?? undefined);
  });
  await audit('password.change', { actorId: user.id, subjectId: user.id, ip, detail: `${endedSessions} other session(s) ended` });
  return { ok: true, endedSessions };
}

/**
 * Where e-mailed links point: the configured portal address, never a client-chosen Host (a forged Host would
 * otherwise receive the victim's reset token). Null — and nothing is sent — when it cannot be trusted.
 */
function mailLinkOrigin(req: RequestInfo): string | null {
  try {
    return linkOrigin(req.origin);
  } catch (error) {
    console.error(`[mail] not sent: ${(error as Error).message}`);
    return null;
  }
}

/**
 * Always answers the same, at once, registered or not: the request only queues a template, and the delivery looks
 * the address up and mails a link when an account has it (auth/mail-templates.ts).
 */
export async function requestPasswordReset(emailInput: string, req: RequestInfo): Promise<{ ok: true } | Failure> {
  const email = normalizeEmail(emailInput);
  const stop = (await limited('reset.ip', req.ip)) ?? (await limited('reset.account', email));
  if (stop) return stop;
  const origin = mailLinkOrigin(req);
  if (origin) await enqueueTemplate('auth.reset-password', email, { locale: req.locale, origin });
  return { ok: true };
}

export { checkEmailLink };

/** Sets a new password from a reset link, marks the address verified (the link proved it) and ends every session. */
export async function resetPassword(token: string, password: string, ip: string): Promise<{ ok: true; userId: string } | Failure> {
  const bad = checkNewPassword(password);
  if (bad) return bad;
  const newHash = await hashPassword(password);
  const userId = await transaction(async () => {
    const id = (await consumeEmailLink(token, 'reset-password'))?.userId;
    if (id) {
      await setPasswordHash(id, newHash);
      await setEmailVerified(id);
      await invalidateUserSessions(id);
    }
    return id;
  });
  if (!userId) return { ok: false, code: 'invalid_link' };
  await audit('password.reset', { actorId: userId, subjectId: userId, ip });
  return { ok: true, userId };
}

export async function sendVerificationMail(user: User, req: RequestInfo): Promise<void> {
  const origin = mailLinkOrigin(req);
  if (!origin) return;
  const token = await issueEmailLink(user.id, 'verify-email');
  const link = `${origin}/verify-email?token=${encodeURIComponent(token)}`;
  await enqueueMail({ to: user.email, subject: t(req.locale, 'auth.mail.verify.subject'), body: t(req.locale, 'auth.mail.verify.body', { name: user.name, link }) });
}

/**
 * Confirms an address from a mailed link. A sign-up link also carries the password and name chosen in that sign-up:
 * confirming it activates the account with them and logs the person in (`token` is the new session's).
 */
export async function verifyEmail(token: string, req: Pick<RequestInfo, 'ip' | 'userAgent'>): Promise<{ ok: true; token: string | null } | Failure> {
  const result = await transaction(async () => {
    const link = await consumeEmailLink(token, 'verify-email');
    if (!link) return null;
    const signUp = signUpPayload(link.payload);
    if (signUp) await activateAccount(link.userId, signUp);
    await setEmailVerified(link.userId);
    await audit('email.verified', { actorId: link.userId, subjectId: link.userId, ip: req.ip, detail: signUp ? 'sign-up finished' : undefined });
    return { userId: link.userId, activated: signUp !== null };
  });
  if (!result) return { ok: false, code: 'invalid_link' };
  const session = result.activated ? await createSession(result.userId, req.userAgent) : null;
  return { ok: true, token: session?.token ?? null };
}

function signUpPayload(payload: unknown): { passwordHash: string; name: string } | null {
  const p = payload as { passwordHash?: unknown; name?: unknown } | null;
  return p && typeof p.passwordHash === 'string' && typeof p.name === 'string' ? { passwordHash: p.passwordHash, name: p.name } : null;
}

/** Deletes the account after the password is confirmed (see deleteUser for what is kept). */
export async function deleteOwnAccount(user: User, password: string, ip: string): Promise<{ ok: true } | Failure> {
  const hash = await getPasswordHash(user.id);
  if (!hash || !(await verifyPassword(hash, password))) return { ok: false, code: 'wrong_password', field: 'password' };
  await deleteUser(user.id);
  await audit('account.delete', { actorId: user.id, subjectId: user.id, ip });
  return { ok: true };
}

export { getUser };
