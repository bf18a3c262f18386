import { siteFor } from '../opendata/site.ts';
import { findAction, unknownAction } from './actions.ts';
import { CkanError, errorResponse, successResponse } from './envelope.ts';
import { readParams } from './params.ts';

/**
 * One CKAN action request (GET or POST) to its response, errors included; the routes (/api/3/action/<name> and
 * /api/action/<name>, which ckanapi uses) only call this. Links use the site's public origin, never the Host header.
 */
export async function handleAction(name: string, request: Request, url: URL, origin: string): Promise<Response> {
  const site = siteFor(origin);
  try {
    const action = findAction(name);
    if (!action) throw unknownAction(name);
    const refusal = action.screen?.(request);
    // Refused unread (the server stops reading the rest: http/linger.ts).
    if (refusal) return errorResponse(site.base, name, refusal);
    const params = await readParams(request, url);
    return successResponse(site.base, name, await action.run(site, params));
  } catch (error) {
    if (error instanceof CkanError) return errorResponse(site.base, name, error);
    console.error(`[ckan] ${name} failed`, error);
    return errorResponse(site.base, name, new CkanError('Internal Server Error', 'Internal error while answering this action; the server log has the details'));
  }
}
