import { can, type Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { renderMarkdown } from '../community/markdown.ts';
import { notifyFollowers } from '../community/notifications.ts';
import { saveUploads } from '../community/uploads.ts';
import { db, transaction } from '../db/store.ts';
import { checkEvidence, storeEvidence, uploadFailure, type EvidenceInput } from './evidence.ts';
import { getInnovation } from './innovations.ts';
import { failure, invalid, Refusal, settle, type Outcome, type Problem } from './results.ts';
import { bumpRevision } from './revision.ts';
import { innovationRef } from './subjects.ts';

/**
 * Progress updates: dated Markdown posts (links, and images uploaded with the post, which are stripped of their
 * metadata and placed at the end of the text), optionally with evidence. Posting one resets the "days without an
 * update" of the innovation's health and tells its followers.
 */
export const TITLE_MAX = 200;
export const BODY_MAX = 20_000;
export const MAX_IMAGES = 6;

export interface UpdateInput {
  title: string;
  body: string;
  images?: readonly { name: string; bytes: Uint8Array }[];
  evidence?: EvidenceInput;
}

export interface ProgressUpdate {
  id: number;
  innovation_id: string;
  author_id: string;
  title: string;
  body: string;
  body_html: string;
  posted_at: number;
}

export async function postUpdate(actor: Actor, innovationId: string, input: UpdateInput): Promise<Outcome<{ id: number }>> {
  const innovation = await getInnovation(innovationId);
  if (!innovation) return failure('not_found');
  if (!can(actor, 'opd.innovation.write', { opd: innovation.opd })) return failure('forbidden');
  const title = input.title.trim();
  const images = (input.images ?? []).filter((f) => f.bytes.byteLength > 0);
  const problems: Problem[] = [];
  if (!title) problems.push({ field: 'title', code: 'required' });
  if (title.length > TITLE_MAX) problems.push({ field: 'title', code: 'too_long', params: { max: TITLE_MAX } });
  if (!input.body.trim()) problems.push({ field: 'body', code: 'required' });
  if (input.body.length > BODY_MAX) problems.push({ field: 'body', code: 'too_long', params: { max: BODY_MAX } });
  if (images.length > MAX_IMAGES) problems.push({ field: 'images', code: 'too_many', params: { max: MAX_IMAGES } });
  problems.push(...checkEvidence(input.evidence));
  if (problems.length > 0) return invalid(problems);
  return settle(() =>
    transaction(async (trx) => {
      let body = input.body.trim();
      if (images.length > 0) {
        const saved = await saveUploads(actor, { subject: innovationRef(innovationId), files: images, accept: 'image', max: MAX_IMAGES });
        if (!saved.ok) throw new Refusal(uploadFailure(saved, 'images'));
        body += `\n\n${saved.uploads.map((u) => `![${u.fileName.replace(/[[\]\\]/g, '')}](${u.url})`).join('\n')}`;
      }
      const at = now();
      const row = await trx
        .insertInto('badami_update')
        .values({ innovation_id: innovationId, author_id: actor.id, title, body, body_html: renderMarkdown(body), posted_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      await trx.updateTable('badami_innovation').set({ last_update_at: at }).where('id', '=', innovationId).execute();
      await storeEvidence(actor, innovationId, input.evidence, { updateId: id });
      await bumpRevision(trx);
      await notifyFollowers({
        kind: 'badami.update_posted',
        subject: { ref: innovationRef(innovationId), title: innovation.title, url: `/badami/innovations/${innovationId}` },
        actorId: actor.id,
        anchor: `#update-${id}`,
        params: { update: title },
      });
      return { ok: true as const, id };
    }),
  );
}

/** Updates of some innovations (or all with null), newest first. */
export async function listUpdates(innovationIds: readonly string[] | null, limit = 50): Promise<ProgressUpdate[]> {
  if (innovationIds !== null && innovationIds.length === 0) return [];
  const rows = await db()
    .selectFrom('badami_update')
    .selectAll()
    .$if(innovationIds !== null, (q) => q.where('innovation_id', 'in', innovationIds!))
    .orderBy('posted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), posted_at: Number(r.posted_at) }));
}
