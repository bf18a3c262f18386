import { Readable } from 'node:stream';
import type { APIRoute } from 'astro';
import { getChallenge } from '../../../../../lib/server/datathon/challenges.ts';
import { starterKit } from '../../../../../lib/server/datathon/starter-kit.server.ts';

/** The challenge's starter kit as one zip download (public, like the datasets it holds). */
export const GET: APIRoute = async ({ params, locals }) => {
  const challenge = await getChallenge(params.challenge ?? '');
  const kit = challenge && challenge.event_id === params.event ? await starterKit(challenge.id, locals.site.origin) : null;
  if (!kit) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(Readable.toWeb(kit.stream) as ReadableStream, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${kit.filename}"`,
      'cache-control': 'no-cache',
    },
  });
};
