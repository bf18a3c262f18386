import type { APIRoute } from 'astro';
import { can } from '../../../../lib/server/auth/authorization.ts';
import { exportResponse, isExportFormat } from '../../../../lib/server/community/exports.ts';
import { getEvent } from '../../../../lib/server/datathon/events.ts';
import { exportTable, isExportName } from '../../../../lib/server/datathon/exports.ts';

/** An event's submissions, teams, votes or scores as CSV or XLSX: its organisers and admins only. */
export const GET: APIRoute = async ({ params, locals }) => {
  const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const { event: eventId = '', name = '', format = '' } = params;
  const event = await getEvent(eventId);
  if (!event || !isExportName(name) || !isExportFormat(format)) return text(404, 'not found');
  if (!locals.user) return text(401, 'log in first');
  if (!can(locals.user, 'datathon.organise', { organisers: event.organisers })) return text(403, 'forbidden');
  const { columns, rows } = await exportTable(event.id, name);
  return exportResponse({ format, filename: `${event.id}-${name}`, columns, rows, locale: locals.locale, sheetName: name });
};
