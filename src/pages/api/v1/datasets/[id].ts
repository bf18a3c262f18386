import type { APIRoute } from 'astro';
import { detailJson } from '../../../../lib/server/api/datasets.ts';
import { datasetForReader } from '../../../../lib/server/catalog/access.ts';
import { qualityOf } from '../../../../lib/server/api/quality.ts';
import { jsonResponse, preflight, privateIfRestricted } from '../../../../lib/server/api/response.ts';
import { notFoundVersion } from '../../../../lib/server/api/rows.ts';

/** One public dataset: metadata, schema, profile, checks, versions and links to its rows and downloads. */
export const GET: APIRoute = async (ctx) => {
  const id = ctx.params.id ?? '';
  const detail = await datasetForReader(id, ctx.locals.user);
  if (!detail) return notFoundVersion(ctx, id, null);
  return privateIfRestricted(detail, jsonResponse(detailJson(ctx.locals.site.origin, detail, qualityOf(detail.manifest)), { request: ctx.request, cors: true }));
};

export const OPTIONS: APIRoute = () => preflight();
