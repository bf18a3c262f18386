import { Readable } from 'node:stream';
import type { APIRoute } from 'astro';
import { t } from '../../lib/i18n/index.ts';
import { can } from '../../lib/server/auth/authorization.ts';
import { evidenceZip } from '../../lib/server/badami/evidence-zip.ts';
import { findOpd } from '../../lib/server/config/deployment.ts';

/**
 * The evidence files beside the IID export (`/badami/evidence.zip?opd=dinkes`): the same people as the export may
 * download it (an OPD's officials their OPD, admins any OPD and the whole city without `opd`).
 */
export const GET: APIRoute = async ({ url, locals }) => {
  const locale = locals.locale;
  const opd = url.searchParams.get('opd') || undefined;
  const text = (status: number, key: string) => new Response(t(locale, key), { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  if (!locals.user) return text(401, 'auth.error.login_required');
  if (opd !== undefined && !findOpd(opd)) return text(404, 'badami.error.not_found');
  if (!can(locals.user, 'badami.export', { opd })) return text(403, 'auth.error.forbidden');
  const zip = await evidenceZip(locals.user, opd ?? null);
  return new Response(Readable.toWeb(zip.stream) as ReadableStream, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${zip.filename}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
};
