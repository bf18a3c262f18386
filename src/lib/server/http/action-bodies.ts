import { defineMiddleware } from 'astro:middleware';
import { t } from '../../i18n/index.ts';
import { MAX_BODY_BYTES, MAX_UPLOAD_BYTES } from './body.ts';
import { isStateChanging } from './csrf.ts';

/**
 * Request bodies of Astro Actions. Astro buffers a whole action body before the handler runs, up to
 * `security.actionBodySizeLimit` in astro.config.mjs — raised to ACTION_UPLOAD_LIMIT so forms can carry files. This
 * step keeps that allowance to file uploads: an ordinary form (urlencoded, JSON) still gets the 1 MB of the rest of
 * the API, a body must declare its length (so it is judged before it is read), and only a few large uploads are
 * read at once per process, so a burst of them cannot hold the server's memory hostage (invariant 8).
 */
export const ACTION_UPLOAD_LIMIT = MAX_UPLOAD_BYTES;
const LARGE_AT_ONCE = 4;
const LARGE_PER_PERSON = 1;
let largeInFlight = 0;
const largeByPerson = new Map<string, number>();

export function isActionRequest(url: URL): boolean {
  return url.pathname.startsWith('/_actions/') || url.searchParams.has('_action');
}

const mb = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
const text = (status: number, body: string, extra: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...extra } });

/** An action's upload larger than an ordinary form: multipart, declared over 1 MB (already within the upload cap). */
function isLargeUpload(request: Request): boolean {
  if (!isStateChanging(request.method)) return false;
  const upload = (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
  return upload && Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES;
}

/** Before anything reads the body: its length must be declared and within the limit of its kind. */
export const limitActionBodies = defineMiddleware(async (context, next) => {
  const { request } = context;
  if (!isStateChanging(request.method) || !isActionRequest(context.url)) return next();
  const declared = request.headers.get('content-length');
  // A refused body is never read, nor the rest of it drained (http/linger.ts).
  if (declared === null) return request.body === null ? next() : text(411, t(context.locals.locale, 'apierror.length_required'));
  const length = Number(declared);
  const upload = (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
  const limit = upload ? ACTION_UPLOAD_LIMIT : MAX_BODY_BYTES;
  if (!Number.isFinite(length) || length > limit) {
    return text(413, t(context.locals.locale, 'community.error.request_too_large', { size: mb(length), max: mb(limit) }));
  }
  return next();
});

/**
 * After authentication: only a few large uploads are read at once (Astro buffers a whole action body), and those
 * slots go to signed-in people, one each. Every action that takes files needs an account anyway; before this, four
 * anonymous connections trickling a byte at a time held every slot for minutes and officials' imports got 503.
 */
export const reserveUploadSlots = defineMiddleware(async (context, next) => {
  if (!isActionRequest(context.url) || !isLargeUpload(context.request)) return next();
  const { locale, user } = context.locals;
  if (!user) return text(401, t(locale, 'auth.error.login_required'));
  const mine = largeByPerson.get(String(user.id)) ?? 0;
  if (largeInFlight >= LARGE_AT_ONCE || mine >= LARGE_PER_PERSON) {
    return text(503, t(locale, 'community.error.uploads_busy', { seconds: 5 }), { 'Retry-After': '5' });
  }
  largeInFlight++;
  largeByPerson.set(String(user.id), mine + 1);
  try {
    return await next();
  } finally {
    largeInFlight--;
    const left = (largeByPerson.get(String(user.id)) ?? 1) - 1;
    if (left > 0) largeByPerson.set(String(user.id), left);
    else largeByPerson.delete(String(user.id));
  }
});
