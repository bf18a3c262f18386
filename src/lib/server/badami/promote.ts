import { audit } from '../audit/audit.ts';
import { can, type Actor } from '../auth/authorization.ts';
import { publicDataset } from '../catalog/access.ts';
import { db } from '../db/store.ts';
import { getSubmission } from '../datathon/submissions.ts';
import { results, winningSubmission, type WinningSubmission } from '../datathon/results.ts';
import { createInnovationFromOrigin } from './origin.ts';
import { failure, type Outcome } from './results.ts';

/**
 * "Promote to Badami": an organiser of a datathon whose results are out (or an admin) turns an awarded submission
 * into a Badami innovation at stage Ide — incubation. The rule is the datathon's `datathon.promote`, asked here
 * with the published award as its resource; the innovation keeps the submission as its origin (its timeline starts
 * there) and the submission's page links to the innovation. One submission becomes at most one innovation.
 */
export interface PromoteChoice {
  /** The owning OPD; the challenge's OPD when empty. */
  opd?: string;
  /** The government affair (urusan) the IID form asks for. */
  affair: string;
}

export interface Incubation {
  id: string;
  title: string;
  stage: string;
}

/** The innovation incubated from `submissionId`, if any (for the submission's page and the refusal). */
export async function innovationOfSubmission(submissionId: string): Promise<Incubation | null> {
  const row = await db()
    .selectFrom('badami_innovation')
    .select(['id', 'title', 'stage'])
    .where('origin_kind', '=', 'datathon')
    .where('origin_ref', '=', submissionId)
    .executeTakeFirst();
  return row ?? null;
}

/** Whether `actor` may promote `submissionId` now: its published award, or null (not awarded, not allowed). */
export async function promotable(actor: Actor | null | undefined, submissionId: string): Promise<WinningSubmission | null> {
  if (!actor) return null; // readers without an account promote nothing: no query
  const winner = await winningSubmission(submissionId);
  return winner && can(actor, 'datathon.promote', winner) ? winner : null;
}

export async function promoteSubmission(actor: Actor, submissionId: string, choice: PromoteChoice, options: { demo?: boolean } = {}): Promise<Outcome<{ id: string }>> {
  const winner = await winningSubmission(submissionId);
  if (!winner) return failure('not_found', { params: { what: 'submission' } });
  if (!can(actor, 'datathon.promote', winner)) return failure('forbidden');
  // Checked again inside createInnovation's transaction (two organisers at once): this answers the common case early.
  const existing = await innovationOfSubmission(submissionId);
  if (existing) return failure('conflict', { params: { id: existing.id, title: existing.title } });
  const submission = await getSubmission(submissionId);
  // The datasets it was built on, as far as they are still public (a withdrawn one would refuse the profile).
  const datasets: string[] = [];
  for (const id of winner.datasets.slice(0, 10)) if (await publicDataset(id)) datasets.push(id);
  const made = await createInnovationFromOrigin(
    actor,
    {
      kind: 'datathon',
      submissionId,
      title: winner.title.slice(0, 200),
      summary: winner.summary,
      url: winner.url,
      submittedAt: submission?.submitted_at ?? submission?.created_at ?? null,
    },
    {
      opd: choice.opd || winner.challenge.opd,
      affair: choice.affair,
      design: `${winner.summary}\n\n${winner.eventTitle} — ${winner.challenge.title}; ${winner.team.name}.`,
      datasets,
    },
    { authorisedBy: 'datathon.promote', demo: options.demo },
  ).catch(async (error: unknown) => {
    // Two promotions at once: the unique index on the origin refuses the second insert (PostgreSQL, or SQLite
    // writers that did not see each other); that is the same answer as promoting twice.
    if (await innovationOfSubmission(submissionId)) return failure('conflict');
    throw error;
  });
  if (!made.ok) {
    if (made.code !== 'conflict') return made;
    const taken = await innovationOfSubmission(submissionId);
    return failure('conflict', { params: { id: taken?.id ?? String(made.params?.id ?? ''), title: taken?.title ?? '' } });
  }
  await audit('badami.promote', { actorId: actor.id, subjectId: made.id, detail: `datathon:${submissionId}` });
  return made;
}

/**
 * Demo content: the finished demo datathon's winner, incubated once (labelled demo). Nothing happens when that event
 * is not there (the datathon demo was not seeded) or its winner was already promoted; `actor` is asked for only then.
 */
export async function promoteDemoWinner(actor: () => Promise<Actor>, eventId: string): Promise<string | null> {
  const winner = (await results(eventId)).find((r) => r.award === 'winner');
  if (!winner || (await innovationOfSubmission(winner.submission))) return null;
  const made = await promoteSubmission(await actor(), winner.submission, { affair: 'komunikasi_informatika' }, { demo: true });
  if (!made.ok) throw new Error(`badami demo: promoting ${winner.submission}: ${JSON.stringify(made)}`);
  return made.id;
}
