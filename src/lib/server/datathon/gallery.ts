import { sql } from 'kysely';
import { db } from '../db/store.ts';

/**
 * The gallery of submitted ideas: filter by event, challenge, dataset and status (all submitted, or awarded),
 * search the words of title, summary, problem and solution (every word must appear), sort by newest or most voted.
 */
export const GALLERY_SORTS = ['newest', 'votes'] as const;
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

export async function gallery(filter: GalleryFilter): Promise<{ cards: GalleryCard[]; total: number }> {
  let query = db()
    .selectFrom('datathon_submission as s')
    .innerJoin('datathon_team as t', 't.id', 's.team_id')
    .innerJoin('datathon_event as e', 'e.id', 's.event_id')
    .innerJoin('datathon_challenge as c', 'c.id', 's.challenge_id')
    .leftJoin('datathon_award as a', 'a.submission_id', 's.id')
    .where('s.status', '=', 'submitted');
  if (filter.event) query = query.where('s.event_id', '=', filter.event);
  if (filter.challenge) query = query.where('s.challenge_id', '=', filter.challenge);
  if (filter.dataset) {
    const dataset = filter.dataset;
    query = query.where((eb) => eb.exists(eb.selectFrom('datathon_submission_dataset as d').select('d.submission_id').whereRef('d.submission_id', '=', 's.id').where('d.dataset_id', '=', dataset)));
  }
  if (filter.status === 'awarded') query = query.where('a.award', 'is not', null).where('e.results_published_at', 'is not', null);
  for (const word of searchWords(filter.q)) {
    query = query.where(sql<string>`lower(s.title || ' ' || s.summary || ' ' || s.problem || ' ' || s.solution)`, 'like', `%${word}%`);
  }
  const { n } = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let page = query.select((eb) => [
    's.id',
    's.title',
    's.summary',
    't.name as team',
    'e.id as event_id',
    'e.title as event_title',
    'c.title as challenge_title',
    sql<string | null>`case when e.results_published_at is not null then a.award else null end`.as('award'),
    eb.selectFrom('datathon_vote as v').whereRef('v.submission_id', '=', 's.id').select(eb.fn.countAll<number>().as('n')).as('votes'),
  ]);
  page = filter.sort === 'votes' ? page.orderBy('votes', 'desc').orderBy('s.submitted_at', 'desc') : page.orderBy('s.submitted_at', 'desc').orderBy('s.id');
  const rows = await page.limit(PAGE_SIZE).offset(filter.page * PAGE_SIZE).execute();
  return { cards: rows.map((r) => ({ ...r, votes: Number(r.votes) })), total: Number(n) };
}
