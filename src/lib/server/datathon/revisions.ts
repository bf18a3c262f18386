import { diffWordsWithSpace } from 'diff';
import { db } from '../db/store.ts';

/**
 * Every save of a submission is a revision holding the whole text; the change between two revisions is computed
 * when asked (jsdiff), so nothing derived is stored.
 */
export interface RevisionChange {
  revision: number;
  author: string | null;
  created_at: number;
  /** Per field that changed: the pieces, each added, removed or kept. */
  fields: { field: string; parts: { value: string; added: boolean; removed: boolean }[] }[];
}

export async function revisionHistory(submissionId: string): Promise<RevisionChange[]> {
  const rows = await db()
    .selectFrom('datathon_revision as r')
    .innerJoin('auth_user as u', 'u.id', 'r.author_id')
    .select(['r.revision', 'r.created_at', 'r.content', 'u.name'])
    .where('r.submission_id', '=', submissionId)
    .orderBy('r.revision')
    .execute();
  let previous: Record<string, unknown> = {};
  const changes: RevisionChange[] = [];
  for (const row of rows) {
    const content = JSON.parse(row.content) as Record<string, unknown>;
    changes.push({ revision: row.revision, author: row.name, created_at: row.created_at, fields: diffContent(previous, content) });
    previous = content;
  }
  return changes.reverse();
}

export function diffContent(before: Record<string, unknown>, after: Record<string, unknown>): RevisionChange['fields'] {
  const text = (v: unknown) => (Array.isArray(v) ? v.join('\n') : String(v ?? ''));
  return Object.keys(after)
    .filter((field) => text(before[field]) !== text(after[field]))
    .map((field) => ({
      field,
      parts: diffWordsWithSpace(text(before[field]), text(after[field])).map((p) => ({ value: p.value, added: Boolean(p.added), removed: Boolean(p.removed) })),
    }));
}
