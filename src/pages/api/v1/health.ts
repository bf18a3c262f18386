import type { APIRoute } from 'astro';
import type { z } from 'zod';
import type { Health } from '../../../lib/server/api/schemas.ts';
import { countPublicDatasets } from '../../../lib/server/catalog/queries.ts';
import { lastCatalogSync } from '../../../lib/server/catalog/sync.ts';

/** Liveness for operators and for start.ts, whose first request here also starts the runtime (middleware). */
export const GET: APIRoute = async () => {
  const body: z.input<typeof Health> = { status: 'ok', datasets: await countPublicDatasets(), last_sync: lastCatalogSync() };
  return new Response(JSON.stringify(body), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
};
