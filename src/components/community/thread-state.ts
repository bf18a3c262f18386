import { isInputError } from 'astro:actions';
import { t, type Locale } from '../../lib/i18n/index.ts';
import type { communityResults } from './action-results.ts';

/**
 * Where the answer to a posted community form goes on the thread: which form reopens (with what was written, its
 * error or its preview), and the short note shown next to the comment concerned or above the thread.
 */
export interface FormState {
  body?: string;
  error?: string;
  preview?: string;
}

export interface ThreadState {
  /** 'new', 'reply:<id>', 'edit:<id>', 'flag:<id>', 'moderate:<id>' → the reopened form's state. */
  forms: Map<string, FormState>;
  /** A note about one comment (by id) or the thread ('thread'). */
  notes: Map<string, { ok: boolean; text: string }>;
}

type Results = ReturnType<typeof communityResults>;

function errorText(locale: Locale, error: unknown): string {
  if (isInputError(error)) {
    return Object.keys(error.fields)
      .map((field) => {
        const key = `community.invalid.${field}`;
        const text = t(locale, key);
        return text === key ? `${t(locale, 'community.invalid.default')} (${field})` : text;
      })
      .join(' ');
  }
  return (error as Error).message || t(locale, 'community.error.not_found');
}

/** What this request's community form post means for the thread of `subject` (its comments' ids in `ids`). */
export function threadState(locale: Locale, results: Results, submitted: Map<string, string> | null, subject: string, ids: ReadonlySet<string>): ThreadState {
  const state: ThreadState = { forms: new Map(), notes: new Map() };
  if (!submitted) return state;
  const action = submitted.get('_action');
  const commentId = submitted.get('id') ?? '';
  const ours = submitted.get('subject') === subject || ids.has(commentId);
  if (!ours) return state;
  const note = (key: string, result: { error?: unknown } | undefined, okText: string) => {
    if (!result) return;
    state.notes.set(key, result.error ? { ok: false, text: errorText(locale, result.error) } : { ok: true, text: okText });
  };
  const { postComment, editComment, deleteComment, flagComment, moderateComment, markOfficial } = results;
  if (action === 'community.postComment' && postComment) {
    const parent = submitted.get('parentId');
    const key = parent ? `reply:${parent}` : 'new';
    if (postComment.error) state.forms.set(key, { body: submitted.get('body'), error: errorText(locale, postComment.error) });
    else if (postComment.data?.preview !== null && postComment.data?.preview !== undefined) state.forms.set(key, { body: submitted.get('body'), preview: postComment.data.preview });
    else state.notes.set(postComment.data?.id ?? 'thread', { ok: true, text: t(locale, postComment.data?.held ? 'community.done.held' : 'community.done.posted') });
  }
  if (action === 'community.editComment' && editComment) {
    if (editComment.error) state.forms.set(`edit:${commentId}`, { body: submitted.get('body'), error: errorText(locale, editComment.error) });
    else note(commentId, editComment, t(locale, 'community.done.edited'));
  }
  if (action === 'community.deleteComment') note(deleteComment?.error ? commentId : 'thread', deleteComment, t(locale, 'community.done.deleted'));
  if (action === 'community.flagComment') note(commentId, flagComment, t(locale, 'community.done.flagged'));
  if (action === 'community.moderateComment') note(commentId, moderateComment, t(locale, 'community.done.moderated'));
  if (action === 'community.markOfficial') note(commentId, markOfficial, t(locale, 'community.done.official'));
  return state;
}
