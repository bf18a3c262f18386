import type { APIRoute } from 'astro';
import { can } from '../../../../lib/server/auth/authorization.ts';
import { CONTENT_TYPES, isTableFormat, tableFile } from '../../../../lib/server/community/exports.ts';
import { getEvent } from '../../../../lib/server/datathon/events.ts';
import { exportTable, isExportName } from '../../../../lib/server/datathon/exports.ts';

/** An event's submissions, teams, votes or scores as CSV or XLSX: its organisers and admins only. */
export const GET: APIRoute = async ({ params, locals }) => {
  const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const { event: eventId = '', name = '', format = '' } = params;
  const event = await getEvent(eventId);
  if (!event || !isExportName(name) || !isTableFormat(format)) return text(404, 'not found');
  if (!locals.user) return text(401, 'log in first');
  if (!can(locals.user, 'datathon.organise', { organisers: event.organisers })) return text(403, 'forbidden');
  const body = await tableFile(await exportTable(event.id, name), format, name);
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="${event.id}-${name}.${format}"`,
      'cache-control': 'private, no-store',
    },
  });
};
