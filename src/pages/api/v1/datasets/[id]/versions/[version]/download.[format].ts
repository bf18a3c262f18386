import type { APIRoute } from 'astro';
import { preflight } from '../../../../../../../lib/server/api/response.ts';
import { downloadResponse } from '../../../../../../../lib/server/api/download.ts';

/** One published version as a file; the same formats and filters as the current-version download. */
export const GET: APIRoute = ({ request, url, params, locals }) => downloadResponse(request, url, params.id ?? '', params.format ?? '', params.version ?? '', locals.user);

export const OPTIONS: APIRoute = () => preflight();
