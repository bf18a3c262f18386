/**
 * How a thread looks to one reader: pure, from the stored comments and what the reader may do. The rules:
 *
 * - published comments are seen by everyone;
 * - held ones (new accounts, waiting for review) and rejected ones (held, then hidden) only by their author and
 *   the moderators;
 * - a hidden comment stays in place as "hidden by a moderator: <reason>", so the replies keep their context;
 *   moderators still see what it said;
 * - a deleted comment stays as "deleted" only while it has replies to hold together; otherwise it is left out.
 */
export type CommentState = 'published' | 'held' | 'hidden' | 'rejected' | 'deleted';

export interface StoredComment {
  id: string;
  parentId: string | null;
  depth: number;
  authorId: string;
  authorName: string | null;
  authorDeleted: boolean;
  body: string;
  html: string;
  official: boolean;
  held: boolean;
  hiddenAt: number | null;
  hiddenReason: string | null;
  deletedAt: number | null;
  createdAt: number;
  editedAt: number | null;
}

export interface Reader {
  id: string | null;
  moderates: boolean;
  /** May write comments on this subject now. */
  mayComment: boolean;
  /** May answer officially here (so may mark the answers of others who may). */
  answersOfficially: boolean;
  now: number;
  editWindowMs: number;
  flaggedByMe: ReadonlySet<string>;
  /** Open flags per comment, for moderators. */
  openFlags: ReadonlyMap<string, { reason: string; count: number }[]>;
  /** Authors who may answer officially here. */
  officialAuthors: ReadonlySet<string>;
}

export interface ThreadComment {
  id: string;
  parentId: string | null;
  depth: number;
  author: { id: string; name: string | null; deleted: boolean };
  createdAt: number;
  editedAt: number | null;
  official: boolean;
  state: CommentState;
  /** Sanitised HTML the reader may see; null when the body is not for them (hidden, deleted). */
  html: string | null;
  hiddenReason: string | null;
  /** The Markdown source, only for its author while it may be edited. */
  source: string | null;
  mine: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canReply: boolean;
  canFlag: boolean;
  flaggedByMe: boolean;
  canModerate: boolean;
  canMarkOfficial: boolean;
  openFlags: { reason: string; count: number }[];
  replies: ThreadComment[];
}

export function stateOf(c: Pick<StoredComment, 'deletedAt' | 'hiddenAt' | 'held'>): CommentState {
  if (c.deletedAt !== null) return 'deleted';
  if (c.hiddenAt !== null) return c.held ? 'rejected' : 'hidden';
  return c.held ? 'held' : 'published';
}

function view(c: StoredComment, reader: Reader): ThreadComment | null {
  const state = stateOf(c);
  const mine = reader.id !== null && c.authorId === reader.id;
  if ((state === 'held' || state === 'rejected') && !mine && !reader.moderates) return null;
  const bodyVisible = state === 'published' || state === 'held' || ((state === 'hidden' || state === 'rejected') && reader.moderates);
  const canEdit = mine && (state === 'published' || state === 'held') && reader.now - c.createdAt <= reader.editWindowMs;
  return {
    id: c.id,
    parentId: c.parentId,
    depth: c.depth,
    author: { id: c.authorId, name: c.authorName, deleted: c.authorDeleted },
    createdAt: c.createdAt,
    editedAt: c.editedAt,
    official: c.official && state !== 'deleted',
    state,
    html: bodyVisible ? c.html : null,
    hiddenReason: state === 'hidden' || state === 'rejected' ? c.hiddenReason : null,
    source: canEdit ? c.body : null,
    mine,
    canEdit,
    canDelete: mine && state !== 'deleted',
    canReply: reader.mayComment && state === 'published',
    canFlag: reader.id !== null && !mine && state === 'published',
    flaggedByMe: reader.flaggedByMe.has(c.id),
    canModerate: reader.moderates && state !== 'deleted',
    canMarkOfficial: reader.answersOfficially && state === 'published' && reader.officialAuthors.has(c.authorId),
    openFlags: reader.moderates ? (reader.openFlags.get(c.id) ?? []) : [],
    replies: [],
  };
}

/** Roots and their replies, oldest first at every level, as `reader` sees them. */
export function buildThread(comments: readonly StoredComment[], reader: Reader): ThreadComment[] {
  const byId = new Map<string, ThreadComment>();
  const ordered = [...comments].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  for (const c of ordered) {
    const v = view(c, reader);
    if (v) byId.set(v.id, v);
  }
  const roots: ThreadComment[] = [];
  for (const v of byId.values()) {
    const parent = v.parentId ? byId.get(v.parentId) : undefined;
    (parent ? parent.replies : roots).push(v);
  }
  return prune(roots);
}

/** Drops deleted comments that no longer hold any reply together. */
function prune(list: ThreadComment[]): ThreadComment[] {
  return list.filter((c) => {
    c.replies = prune(c.replies);
    return c.state !== 'deleted' || c.replies.length > 0;
  });
}

/** Comments everyone can read (the count shown next to a thread). */
export function publishedCount(comments: readonly Pick<StoredComment, 'deletedAt' | 'hiddenAt' | 'held'>[]): number {
  return comments.filter((c) => stateOf(c) === 'published').length;
}
