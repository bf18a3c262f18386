/**
 * What an API function needs from Astro's context: the request, its URL (path and query only: the origin for
 * absolute URLs is `locals.site.origin`, never the Host header), the reader's language and who is asking.
 * Routes pass their APIContext as is.
 */
export interface ApiContext {
  request: Request;
  url: URL;
  locals: App.Locals;
}

/** JSON options every answer of the API shares: the reader's language for errors, CORS for reads. */
export function apiOptions(ctx: ApiContext, cors = true) {
  return { locale: ctx.locals.locale, cors, request: ctx.request };
}
