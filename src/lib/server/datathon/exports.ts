import type { Cell, ColumnType, ExportColumn } from '../community/exports.ts';
import { db } from '../db/store.ts';
import { listCriteria } from './criteria.ts';
import { judgeTotals } from './scoring.ts';

/**
 * What organisers export of an event: submissions, teams, votes, and scores raw and normalised (each judge's
 * weighted total and its z-score, the figures the leaderboard averages). Voters appear by account id only.
 */
export const EXPORTS = ['submissions', 'teams', 'votes', 'scores'] as const;
export type ExportName = (typeof EXPORTS)[number];

export function isExportName(value: string): value is ExportName {
  return (EXPORTS as readonly string[]).includes(value);
}

type Row = Record<string, Cell>;
/** Rows and their columns, for community/exports.ts's exportResponse (CSV or XLSX). */
export interface ExportTable {
  columns: ExportColumn<Row>[];
  rows: Row[];
}

/** Headers in both languages; the key stays the stable column name. */
const HEADERS: Record<string, [id: string, en: string, type?: ColumnType]> = {
  id: ['ID', 'ID'],
  title: ['Judul', 'Title'],
  summary: ['Ringkasan', 'Summary'],
  status: ['Status', 'Status'],
  team: ['Tim', 'Team'],
  team_id: ['ID tim', 'Team ID'],
  challenge: ['Tantangan', 'Challenge'],
  datasets: ['Dataset (versi)', 'Datasets (version)'],
  repo_url: ['Repositori', 'Repository'],
  demo_url: ['Demo', 'Demo'],
  video_url: ['Video', 'Video'],
  revision: ['Revisi', 'Revision', 'number'],
  submitted_at: ['Dikirim', 'Submitted', 'datetime'],
  votes: ['Suara', 'Votes', 'number'],
  member: ['Anggota', 'Member'],
  email: ['Email', 'E-mail'],
  leader: ['Ketua', 'Leader', 'boolean'],
  joined_at: ['Bergabung', 'Joined', 'datetime'],
  submission_id: ['ID ide', 'Idea ID'],
  user_id: ['ID pemberi suara', 'Voter ID'],
  created_at: ['Waktu', 'Time', 'datetime'],
  judge: ['Juri', 'Judge'],
  submission: ['ID ide', 'Idea ID'],
  weighted_total: ['Total berbobot', 'Weighted total', 'number'],
  z: ['Skor z', 'z-score', 'number'],
};

function columns(...keys: string[]): ExportColumn<Row>[] {
  return keys.map((key) => {
    const known = HEADERS[key];
    if (known) return { key, header: { id: known[0], en: known[1] }, ...(known[2] ? { type: known[2] } : {}) };
    // A rubric criterion's raw score: its name as the organiser wrote it.
    const criterion = key.replace(/^raw:/, '');
    return { key, header: { id: `Nilai: ${criterion}`, en: `Score: ${criterion}` }, type: 'number' };
  });
}

export async function exportTable(eventId: string, name: ExportName): Promise<ExportTable> {
  switch (name) {
    case 'submissions': {
      const rows = await db()
        .selectFrom('datathon_submission as s')
        .innerJoin('datathon_team as t', 't.id', 's.team_id')
        .innerJoin('datathon_challenge as c', 'c.id', 's.challenge_id')
        .leftJoin((eb) => eb.selectFrom('datathon_vote').select(['submission_id', (e) => e.fn.countAll<number>().as('n')]).where('event_id', '=', eventId).groupBy('submission_id').as('v'), (j) => j.onRef('v.submission_id', '=', 's.id'))
        .select(['s.id', 's.title', 's.summary', 's.status', 't.name as team', 'c.title as challenge', 's.repo_url', 's.demo_url', 's.video_url', 's.revision', 's.submitted_at', 'v.n as votes'])
        .where('s.event_id', '=', eventId)
        .orderBy('s.id')
        .execute();
      const datasets = await db()
        .selectFrom('datathon_submission_dataset as d')
        .innerJoin('datathon_submission as s', 's.id', 'd.submission_id')
        .select(['d.submission_id', 'd.dataset_id', 'd.version'])
        .where('s.event_id', '=', eventId)
        .execute();
      return {
        columns: columns('id', 'title', 'summary', 'status', 'team', 'challenge', 'datasets', 'repo_url', 'demo_url', 'video_url', 'revision', 'submitted_at', 'votes'),
        rows: rows.map((r) => ({
          ...r,
          votes: Number(r.votes ?? 0),
          submitted_at: r.submitted_at === null ? null : new Date(r.submitted_at),
          datasets: datasets.filter((d) => d.submission_id === r.id).map((d) => `${d.dataset_id}@${d.version}`).join(' '),
        })),
      };
    }
    case 'teams': {
      const rows = await db()
        .selectFrom('datathon_member as m')
        .innerJoin('datathon_team as t', 't.id', 'm.team_id')
        .innerJoin('auth_user as u', 'u.id', 'm.user_id')
        .select(['t.id as team_id', 't.name as team', 'u.name as member', 'u.email', (eb) => eb.case().when('t.leader_id', '=', eb.ref('m.user_id')).then(true).else(false).end().as('leader'), 'm.joined_at'])
        .where('m.event_id', '=', eventId)
        .orderBy('t.name')
        .execute();
      return { columns: columns('team_id', 'team', 'member', 'email', 'leader', 'joined_at'), rows: rows.map((r) => ({ ...r, leader: Boolean(r.leader), joined_at: new Date(r.joined_at) })) };
    }
    case 'votes': {
      const rows = await db().selectFrom('datathon_vote').select(['submission_id', 'user_id', 'created_at']).where('event_id', '=', eventId).orderBy('id').execute();
      return { columns: columns('submission_id', 'user_id', 'created_at'), rows: rows.map((r) => ({ ...r, created_at: new Date(r.created_at) })) };
    }
    case 'scores': {
      const criteria = await listCriteria(eventId);
      const scores = await db().selectFrom('datathon_score').select(['judge_id as judge', 'submission_id as submission', 'criterion_id as criterion', 'score']).where('event_id', '=', eventId).execute();
      const { totals } = judgeTotals(criteria, scores);
      const byKey = new Map(totals.map((t) => [`${t.judge}\u0000${t.submission}`, t]));
      const rows = [...new Set(scores.map((s) => `${s.judge}\u0000${s.submission}`))].sort().map((key) => {
        const [judge, submission] = key.split('\u0000') as [string, string];
        const mine = scores.filter((s) => s.judge === judge && s.submission === submission);
        const total = byKey.get(key);
        return {
          judge,
          submission,
          ...Object.fromEntries(criteria.map((c) => [`raw:${c.name}`, mine.find((s) => s.criterion === c.id)?.score ?? null])),
          weighted_total: total ? Math.round(total.total * 1000) / 1000 : null,
          z: total ? Math.round(total.z * 1000) / 1000 : null,
        };
      });
      return { columns: columns('judge', 'submission', ...criteria.map((c) => `raw:${c.name}`), 'weighted_total', 'z'), rows };
    }
  }
}
