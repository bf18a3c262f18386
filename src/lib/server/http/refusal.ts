import { t, type Locale } from '../../i18n/index.ts';
import { apiError } from '../api/response.ts';
import { CkanError, ckanActionName, errorResponse } from '../ckan/envelope.ts';

/**
 * A refusal by the middleware itself (a body too large, a rate limit, a cross-site form) in the shape the client
 * reads: CKAN's envelope on CKAN action paths, the API's JSON error under /api/, and a sentence in the reader's
 * language for pages and forms.
 */
export interface Refusal {
  status: 403 | 413 | 429;
  /** Message key for the API; `pageKey` for pages, when they say it differently. */
  key: string;
  pageKey: string;
  params: Record<string, string | number>;
  headers?: Record<string, string>;
}

const CKAN_TYPES = { 403: 'Authorization Error', 413: 'Request Too Large', 429: 'Rate Limit Error' } as const;

export function refusalResponse(url: URL, origin: string, locale: Locale, refusal: Refusal): Response {
  const action = ckanActionName(url.pathname);
  if (action !== null) {
    // CKAN clients read English messages (CKAN's own API answers in English).
    return errorResponse(origin, action, new CkanError(CKAN_TYPES[refusal.status], t('en', refusal.key, refusal.params)), refusal.headers);
  }
  if (url.pathname.startsWith('/api/')) return apiError(refusal.status, refusal.key, refusal.params, { locale, headers: refusal.headers });
  return new Response(t(locale, refusal.pageKey, refusal.params), {
    status: refusal.status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...refusal.headers },
  });
}
