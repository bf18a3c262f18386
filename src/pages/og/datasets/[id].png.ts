import type { APIRoute } from 'astro';
import { datasetImage, pngResponse } from '../../../lib/server/og/og.server.ts';

/** A public dataset's social preview card: title, OPD, rows, last update and a sparkline. 404 otherwise. */
export const GET: APIRoute = async ({ params, locals }) => {
  const image = await datasetImage(params.id ?? '', locals.locale);
  return image ? pngResponse(image) : new Response('not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
