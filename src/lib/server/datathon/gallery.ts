import { sql } from 'kysely';
import { createCache } from '../cache.ts';
import { commentCounts, commentCountsOfType } from '../community/comments.ts';
import { db } from '../db/store.ts';

/**
 * The gallery of submitted ideas: filter by event, challenge, dataset and status (all submitted, or awarded),
 * search the words of title, summary, problem and solution (every word must appear), sort by newest or most voted.
 * Two steps, so the cost of a page is the page: the ids in order (from the submission table and its index, vote
 * counts aggregated only when they decide the order), then the cards of those ids.
 */
export const GALLERY_SORTS = ['newest', 'votes', 'discussed'] as const;
export type GallerySort = (typeof GALLERY_SORTS)[number];
export const PAGE_SIZE = 24;

export interface GalleryFilter {
  event?: string;
  challenge?: string;
  dataset?: string;
  status?: 'awarded';
  q?: string;
  sort: GallerySort;
  page: number;
}

export interface GalleryCard {
  id: string;
  title: string;
  summary: string;
  team: string;
  event_id: string;
  event_title: string;
  challenge_title: string;
  votes: number;
  comments: number;
  award: string | null;
}

/** Search words: lower-cased, LIKE wildcards removed (the words are bound, never spliced into SQL). */
export function searchWords(q: string | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .replace(/[%_\\]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 8);
}

function matching(filter: GalleryFilter) {
  let query = db().selectFrom('datathon_submission as s').where('s.status', '=', 'submitted');
  if (filter.event) query = query.where('s.event_id', '=', filter.event);
  if (filter.challenge) query = query.where('s.challenge_id', '=', filter.challenge);
  if (filter.dataset) {
    const dataset = filter.dataset;
    query = query.where((eb) => eb.exists(eb.selectFrom('datathon_submission_dataset as d').select('d.submission_id').whereRef('d.submission_id', '=', 's.id').where('d.dataset_id', '=', dataset)));
  }
  if (filter.status === 'awarded') {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('datathon_award as a')
          .innerJoin('datathon_event as e', 'e.id', 'a.event_id')
          .select('a.submission_id')
          .whereRef('a.submission_id', '=', 's.id')
          .where('e.results_published_at', 'is not', null),
      ),
    );
  }
  for (const word of searchWords(filter.q)) {
    query = query.where(sql<string>`lower(s.title || ' ' || s.summary || ' ' || s.problem || ' ' || s.solution)`, 'like', `%${word}%`);
  }
  return query;
}

/** Votes per idea, counted from the rows (of one event when given). */
function voteCounts(eventId: string | undefined) {
  let counts = db().selectFrom('datathon_vote as v').select(['v.submission_id', (eb) => eb.fn.countAll<number>().as('n')]);
  if (eventId) counts = counts.where('v.event_id', '=', eventId);
  return counts.groupBy('v.submission_id');
}

/**
 * The order of the matching ideas, per filter, for at most ORDER_TTL_MS: counting 50,000 votes or scanning every
 * idea's text on each page view would cost more than the page. This process drops it on every vote or idea it
 * writes (galleryChanged); another server's writes show in the order within ORDER_TTL_MS. The cards themselves —
 * titles, awards and vote counts — are always read fresh.
 */
export const ORDER_TTL_MS = 2_000;
const orders = createCache<string[]>({ max: 500, ttlMs: ORDER_TTL_MS });

export function galleryChanged(): void {
  orders.clear();
}

async function orderedIds(filter: GalleryFilter): Promise<string[]> {
  const rows =
    filter.sort === 'votes'
      ? await matching(filter)
          .leftJoin(voteCounts(filter.event).as('c'), 'c.submission_id', 's.id')
          .select('s.id')
          .orderBy(sql`coalesce(c.n, 0)`, 'desc')
          .orderBy('s.submitted_at', 'desc')
          .orderBy('s.id')
          .execute()
      : await matching(filter).select('s.id').orderBy('s.submitted_at', 'desc').orderBy('s.id').execute();
  if (filter.sort !== 'discussed') return rows.map((r) => r.id);
  // published comments per idea, one GROUP BY in the community module; a stable sort keeps newest first among equals
  const comments = await commentCountsOfType('submission');
  return rows.map((r) => r.id).sort((a, b) => (comments.get(`submission:${b}`) ?? 0) - (comments.get(`submission:${a}`) ?? 0));
}

export async function gallery(filter: GalleryFilter): Promise<{ cards: GalleryCard[]; total: number }> {
  const { page: _page, ...key } = filter;
  const all = await orders.get(JSON.stringify(key), () => orderedIds(filter));
  const ids = all.slice(filter.page * PAGE_SIZE, (filter.page + 1) * PAGE_SIZE);
  const n = all.length;
  if (ids.length === 0) return { cards: [], total: n };
  const rows = await db()
    .selectFrom('datathon_submission as s')
    .innerJoin('datathon_team as t', 't.id', 's.team_id')
    .innerJoin('datathon_event as e', 'e.id', 's.event_id')
    .innerJoin('datathon_challenge as c', 'c.id', 's.challenge_id')
    .leftJoin('datathon_award as a', 'a.submission_id', 's.id')
    .select([
      's.id',
      's.title',
      's.summary',
      't.name as team',
      'e.id as event_id',
      'e.title as event_title',
      'c.title as challenge_title',
      sql<string | null>`case when e.results_published_at is not null then a.award else null end`.as('award'),
    ])
    .where('s.id', 'in', ids)
    .where('s.status', '=', 'submitted')
    .execute();
  const votes = await db().selectFrom('datathon_vote').select(['submission_id', (eb) => eb.fn.countAll<number>().as('n')]).where('submission_id', 'in', ids).groupBy('submission_id').execute();
  const discussed = await commentCounts(ids.map((id) => `submission:${id}`));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const count = new Map(votes.map((v) => [v.submission_id, Number(v.n)]));
  // an idea withdrawn to draft since the order was read drops out here
  return { cards: ids.filter((id) => byId.has(id)).map((id) => ({ ...byId.get(id)!, votes: count.get(id) ?? 0, comments: discussed.get(`submission:${id}`) ?? 0 })), total: n };
}
