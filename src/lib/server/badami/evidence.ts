import { z } from 'zod';
import { can, type Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { saveUploads } from '../community/uploads.ts';
import { db, transaction } from '../db/store.ts';
import { failure, invalid, Refusal, settle, type Failure, type Outcome, type Problem } from './results.ts';
import { bumpRevision } from './revision.ts';
import { innovationRef } from './subjects.ts';
import { getInnovation } from './innovations.ts';
import { IID_INDICATORS } from './vocabulary.ts';
import { problemsOf } from './validation.ts';
import type { Selectable } from 'kysely';
import type { BadamiTables } from './migrations.ts';

/**
 * Evidence (bukti dukung): a file or a link that shows what an innovation did, tagged with the IID indicator it
 * supports, attached to a stage move, a progress update, or to the innovation alone. Files are community uploads
 * of the subject `innovation:<id>` (typed by their bytes, images stripped of metadata); the IID export lists every
 * piece and zips the files.
 */
export const MAX_EVIDENCE_FILES = 5;

export interface EvidenceInput {
  indicator?: string | null;
  title?: string | null;
  url?: string | null;
  files?: readonly { name: string; bytes: Uint8Array }[];
}

export type Evidence = Selectable<BadamiTables['badami_evidence']>;

const evidenceSchema = z.object({
  indicator: z.enum(IID_INDICATORS, { error: 'choose_one' }),
  title: z.string().trim().max(200, 'too_long'),
  url: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'url' }).max(500, 'too_long')]),
});

/** Whether any evidence was given (a link or at least one non-empty file). */
export function hasEvidence(input: EvidenceInput | undefined): boolean {
  return !!input && (!!input.url?.trim() || (input.files ?? []).some((f) => f.bytes.byteLength > 0));
}

/** The problems of given evidence (fields prefixed `evidence_`); none when no evidence was given. */
export function checkEvidence(input: EvidenceInput | undefined): Problem[] {
  if (!hasEvidence(input)) return [];
  const parsed = evidenceSchema.safeParse({ indicator: input!.indicator ?? '', title: input!.title ?? '', url: input!.url?.trim() ?? '' });
  const problems = parsed.success ? [] : problemsOf(parsed.error.issues, 'evidence_');
  if ((input!.files ?? []).length > MAX_EVIDENCE_FILES) problems.push({ field: 'evidence_files', code: 'too_many', params: { max: MAX_EVIDENCE_FILES } });
  return problems;
}

/**
 * Stores checked evidence inside the caller's transaction: the files as uploads of the innovation, then one row per
 * link and per file. A refused file (type, size) throws a Refusal naming it, which rolls everything back.
 */
export async function storeEvidence(
  actor: Actor,
  innovationId: string,
  input: EvidenceInput | undefined,
  attach: { transitionId?: number; updateId?: number },
): Promise<number> {
  if (!hasEvidence(input)) return 0;
  const base = {
    innovation_id: innovationId,
    transition_id: attach.transitionId ?? null,
    update_id: attach.updateId ?? null,
    indicator: input!.indicator!,
    created_by: actor.id,
    created_at: now(),
  };
  const rows: (typeof base & { title: string; url: string | null; upload_id: string | null })[] = [];
  const url = input!.url?.trim();
  if (url) rows.push({ ...base, title: input!.title?.trim() || url, url, upload_id: null });
  const files = (input!.files ?? []).filter((f) => f.bytes.byteLength > 0);
  if (files.length > 0) {
    const saved = await saveUploads(actor, { subject: innovationRef(innovationId), files, accept: 'evidence', max: MAX_EVIDENCE_FILES });
    if (!saved.ok) throw new Refusal(uploadFailure(saved));
    for (const upload of saved.uploads) rows.push({ ...base, title: input!.title?.trim() || upload.fileName, url: null, upload_id: upload.id });
  }
  if (rows.length > 0) await db().insertInto('badami_evidence').values(rows).execute();
  return rows.length;
}

/** A community upload refusal as a Badami problem on the evidence file field, with the community's own message. */
export function uploadFailure(refused: { code: string; params?: Record<string, string | number> }, field = 'evidence_files'): Failure {
  return invalid([{ field, code: `upload.${refused.code}`, params: refused.params }]);
}

/** Evidence on its own (a regulation, a budget document), not tied to a stage move or an update. */
export async function addEvidence(actor: Actor, innovationId: string, input: EvidenceInput): Promise<Outcome<{ count: number }>> {
  const innovation = await getInnovation(innovationId);
  if (!innovation) return failure('not_found');
  if (!can(actor, 'opd.innovation.write', { opd: innovation.opd })) return failure('forbidden');
  if (!hasEvidence(input)) return invalid([{ field: 'evidence_url', code: 'evidence_required' }]);
  const problems = checkEvidence(input);
  if (problems.length > 0) return invalid(problems);
  return settle(() =>
    transaction(async (trx) => {
      const count = await storeEvidence(actor, innovationId, input, {});
      await bumpRevision(trx);
      return { ok: true as const, count };
    }),
  );
}

export async function listEvidence(innovationIds: readonly string[]): Promise<Evidence[]> {
  if (innovationIds.length === 0) return [];
  const rows = await db()
    .selectFrom('badami_evidence')
    .selectAll()
    .where('innovation_id', 'in', innovationIds)
    .orderBy('innovation_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    transition_id: r.transition_id === null ? null : Number(r.transition_id),
    update_id: r.update_id === null ? null : Number(r.update_id),
    created_at: Number(r.created_at),
  }));
}
