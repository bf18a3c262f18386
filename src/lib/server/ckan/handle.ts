import { siteFor } from '../opendata/site.ts';
import { findAction, unknownAction } from './actions.ts';
import { CkanError, errorResponse, successResponse } from './envelope.ts';
import { readParams } from './params.ts';

/** One CKAN action request (GET or POST) to its response, errors included; the route only calls this. */
export async function handleAction(name: string, request: Request, url: URL): Promise<Response> {
  const site = siteFor(url.origin);
  try {
    const action = findAction(name);
    if (!action) throw unknownAction(name);
    const params = await readParams(request, url);
    return successResponse(site.base, name, await action.run(site, params));
  } catch (error) {
    if (error instanceof CkanError) return errorResponse(site.base, name, error);
    console.error(`[ckan] ${name} failed`, error);
    return errorResponse(site.base, name, new CkanError('Internal Server Error', 'Internal error while answering this action; the server log has the details'));
  }
}
