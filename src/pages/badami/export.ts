import type { APIRoute } from 'astro';
import { t } from '../../lib/i18n/index.ts';
import { can } from '../../lib/server/auth/authorization.ts';
import { iidColumns, iidRows } from '../../lib/server/badami/iid-export.ts';
import { EXPORT_FORMATS, exportResponse, type ExportFormat } from '../../lib/server/community/exports.ts';
import { findOpd } from '../../lib/server/config/deployment.ts';

/**
 * The IID export (`/badami/export?opd=dinkes&format=xlsx`): an OPD's innovations for its officials and admins; the
 * whole city (no `opd`) for admins only. XLSX by default, CSV on request.
 */
export const GET: APIRoute = async ({ url, locals }) => {
  const locale = locals.locale;
  const opd = url.searchParams.get('opd') || undefined;
  const format = (url.searchParams.get('format') ?? 'xlsx') as ExportFormat;
  const text = (status: number, key: string) => new Response(t(locale, key), { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  if (!EXPORT_FORMATS.includes(format)) return text(400, 'badami.error.invalid');
  if (!locals.user) return text(401, 'auth.error.login_required');
  if (opd !== undefined && !findOpd(opd)) return text(404, 'badami.error.not_found');
  if (!can(locals.user, 'badami.export', { opd })) return text(403, 'auth.error.forbidden');
  return exportResponse({ format, filename: `iid-${opd ?? 'kota'}`, columns: iidColumns(locale), rows: await iidRows(opd ?? null), locale, sheetName: 'IID' });
};
