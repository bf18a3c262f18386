import type { APIRoute } from 'astro';
import { t } from '../../lib/i18n/index.ts';
import { can } from '../../lib/server/auth/authorization.ts';
import { iidColumns, iidRows } from '../../lib/server/badami/iid-export.ts';
import { MEASUREMENT_COLUMNS, MILESTONE_COLUMNS, measurementExportRows, milestoneExportRows } from '../../lib/server/badami/record-export.ts';
import { EXPORT_FORMATS, exportResponse, type ExportFormat } from '../../lib/server/community/exports.ts';
import { findOpd } from '../../lib/server/config/deployment.ts';

/**
 * The IID export (`/badami/export?opd=dinkes&format=xlsx`): an OPD's innovations for its officials and admins; the
 * whole city (no `opd`) for admins only. XLSX by default, CSV on request. `kind=milestones` or `kind=measurements`
 * gives those instead, under the same rule: each is the template the bulk update (/badami/import) reads back.
 */
const KINDS = ['iid', 'milestones', 'measurements'] as const;

export const GET: APIRoute = async ({ url, locals }) => {
  const locale = locals.locale;
  const opd = url.searchParams.get('opd') || undefined;
  const format = (url.searchParams.get('format') ?? 'xlsx') as ExportFormat;
  const kind = (url.searchParams.get('kind') ?? 'iid') as (typeof KINDS)[number];
  const text = (status: number, key: string) => new Response(t(locale, key), { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  if (!EXPORT_FORMATS.includes(format) || !KINDS.includes(kind)) return text(400, 'badami.error.invalid');
  if (!locals.user) return text(401, 'auth.error.login_required');
  if (opd !== undefined && !findOpd(opd)) return text(404, 'badami.error.not_found');
  if (!can(locals.user, 'badami.export', { opd })) return text(403, 'auth.error.forbidden');
  const scope = opd ?? null;
  const filename = `${kind === 'iid' ? 'iid' : kind}-${opd ?? 'kota'}`;
  if (kind === 'milestones') return exportResponse({ format, filename, columns: MILESTONE_COLUMNS, rows: await milestoneExportRows(scope), locale });
  if (kind === 'measurements') return exportResponse({ format, filename, columns: MEASUREMENT_COLUMNS, rows: await measurementExportRows(scope), locale });
  return exportResponse({ format, filename, columns: iidColumns(locale), rows: await iidRows(scope), locale, sheetName: 'IID' });
};
