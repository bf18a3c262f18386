import { db } from '../db/store.ts';
import { pairwiseState } from './comparisons.ts';
import { listCriteria } from './criteria.ts';
import type { RankingMethod } from './events.ts';
import { FEW_SCORES, judgeTotals, rankBy, standings, type JudgeSpread } from './scoring.ts';

/**
 * The leaderboard of an event: for every submitted idea, the mean raw rubric total, the mean per-judge z-score,
 * the Crowd-BT quality (mu, with its variance), and public votes, ranked by the event's chosen method. It says
 * which method ranks, which submissions tie, and which judges scored fewer than FEW_SCORES submissions.
 */
export interface LeaderboardRow {
  submission: string;
  title: string;
  team: string;
  raw: number | null;
  z: number | null;
  mu: number | null;
  sigmaSq: number | null;
  judges: number;
  votes: number;
  rank: number;
  tied: boolean;
}

export interface Leaderboard {
  method: RankingMethod;
  rows: LeaderboardRow[];
  judges: (JudgeSpread & { name: string; few: boolean })[];
  comparisons: number;
}

export async function leaderboard(eventId: string, method: RankingMethod): Promise<Leaderboard> {
  const submissions = await db()
    .selectFrom('datathon_submission as s')
    .innerJoin('datathon_team as t', 't.id', 's.team_id')
    .leftJoin(
      (eb) => eb.selectFrom('datathon_vote').select(['submission_id', (e) => e.fn.countAll<number>().as('n')]).where('event_id', '=', eventId).groupBy('submission_id').as('v'),
      (join) => join.onRef('v.submission_id', '=', 's.id'),
    )
    .select(['s.id', 's.title', 't.name as team', 'v.n as votes'])
    .where('s.event_id', '=', eventId)
    .where('s.status', '=', 'submitted')
    .execute();
  const criteria = await listCriteria(eventId);
  const scores = await db()
    .selectFrom('datathon_score')
    .select(['judge_id as judge', 'submission_id as submission', 'criterion_id as criterion', 'score'])
    .where('event_id', '=', eventId)
    .execute();
  const { totals, judges } = judgeTotals(criteria, scores);
  const byStanding = new Map(standings(totals).map((s) => [s.submission, s]));
  const pairwise = await pairwiseState(eventId);
  const rows = submissions.map((s) => {
    const standing = byStanding.get(s.id);
    const belief = pairwise.items.get(s.id);
    const compared = [...pairwise.seen.values()].some((seen) => seen.has(s.id));
    return {
      submission: s.id,
      title: s.title,
      team: s.team,
      raw: standing?.raw ?? null,
      z: standing?.z ?? null,
      mu: compared && belief ? belief.mu : null,
      sigmaSq: compared && belief ? belief.sigmaSq : null,
      judges: standing?.judges ?? 0,
      votes: Number(s.votes ?? 0),
    };
  });
  const value = (r: (typeof rows)[number]) => {
    const v = method === 'weighted' ? r.raw : method === 'zscore' ? r.z : r.mu;
    return v ?? -Infinity;
  };
  const ranked = rankBy(rows, value).map(({ row, rank, tied }) => ({ ...row, rank, tied }));
  const names = await db().selectFrom('auth_user').select(['id', 'name']).where('id', 'in', judges.length > 0 ? judges.map((j) => j.judge) : ['']).execute();
  const comparisons = [...pairwise.seen.keys()].length > 0 ? (await db().selectFrom('datathon_comparison').where('event_id', '=', eventId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n : 0;
  return {
    method,
    rows: ranked,
    judges: judges.map((j) => ({ ...j, name: names.find((n) => n.id === j.judge)?.name ?? j.judge, few: j.count < FEW_SCORES })),
    comparisons: Number(comparisons),
  };
}
