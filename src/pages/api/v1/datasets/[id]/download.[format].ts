import type { APIRoute } from 'astro';
import { preflight } from '../../../../../lib/server/api/response.ts';
import { downloadResponse } from '../../../../../lib/server/api/download.ts';

/** The current version as a file: csv, json, ndjson, parquet, arrow or xlsx; row filters apply. */
export const GET: APIRoute = ({ request, url, params, locals }) => downloadResponse(request, url, params.id ?? '', params.format ?? '', null, locals.user);

export const OPTIONS: APIRoute = () => preflight();
