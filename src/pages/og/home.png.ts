import type { APIRoute } from 'astro';
import { homeImage, pngResponse } from '../../lib/server/og/og.server.ts';

/** The portal's social preview card (Open Graph), in the page's language. */
export const GET: APIRoute = async ({ locals }) => pngResponse(await homeImage(locals.locale));
