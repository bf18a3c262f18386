import { describe, expect, test } from 'vitest';
import { shouldHold } from '../../src/lib/server/community/hold.ts';
import { buildThread, publishedCount, type Reader, type StoredComment } from '../../src/lib/server/community/thread.ts';

/** What each reader sees of a thread (pure), and the new-account hold. */
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const MIN = 60_000;

function comment(id: string, extra: Partial<StoredComment> = {}): StoredComment {
  return {
    id,
    parentId: null,
    depth: 0,
    authorId: 'ani',
    authorName: 'Ani',
    authorDeleted: false,
    body: `isi ${id}`,
    html: `<p>isi ${id}</p>`,
    official: false,
    held: false,
    hiddenAt: null,
    hiddenReason: null,
    deletedAt: null,
    createdAt: T0 + Number(id.replace(/\D/g, '') || 0) * MIN,
    editedAt: null,
    ...extra,
  };
}

function reader(extra: Partial<Reader> = {}): Reader {
  return {
    id: null,
    moderates: false,
    mayComment: false,
    answersOfficially: false,
    now: T0 + 60 * MIN,
    editWindowMs: 15 * MIN,
    flaggedByMe: new Set(),
    openFlags: new Map(),
    officialAuthors: new Set(),
    ...extra,
  };
}

const stored: StoredComment[] = [
  comment('c1'),
  comment('c2', { parentId: 'c1', depth: 1, authorId: 'budi', authorName: 'Budi' }),
  comment('c3', { hiddenAt: T0 + 5 * MIN, hiddenReason: 'spam iklan', authorId: 'spammer' }),
  comment('c4', { parentId: 'c3', depth: 1, authorId: 'budi' }),
  comment('c5', { held: true, authorId: 'baru' }),
  comment('c6', { deletedAt: T0 + 9 * MIN, body: '', html: '' }),
  comment('c7', { deletedAt: T0 + 9 * MIN, body: '', html: '', authorId: 'budi' }),
  comment('c8', { parentId: 'c7', depth: 1 }),
  comment('c9', { held: true, hiddenAt: T0 + 20 * MIN, hiddenReason: 'tidak relevan', authorId: 'baru' }),
];

const flatten = (list: ReturnType<typeof buildThread>): string[] => list.flatMap((c) => [c.id, ...flatten(c.replies)]);

describe('buildThread', () => {
  test('an anonymous reader: published, hidden as a placeholder, deleted only while it holds replies; nothing held', () => {
    const thread = buildThread(stored, reader());
    expect(flatten(thread)).toEqual(['c1', 'c2', 'c3', 'c4', 'c7', 'c8']);
    const hidden = thread.find((c) => c.id === 'c3')!;
    expect(hidden).toMatchObject({ state: 'hidden', html: null, hiddenReason: 'spam iklan' });
    expect(hidden.replies.map((r) => r.id)).toEqual(['c4']);
    expect(thread.find((c) => c.id === 'c7')).toMatchObject({ state: 'deleted', html: null });
    expect(thread.every((c) => !c.canReply && !c.canFlag && !c.canEdit)).toBe(true);
  });

  test('the author of held comments sees them, with what a moderator decided', () => {
    const thread = buildThread(stored, reader({ id: 'baru', mayComment: true }));
    expect(flatten(thread)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c7', 'c8', 'c9']);
    expect(thread.find((c) => c.id === 'c5')).toMatchObject({ state: 'held', html: '<p>isi c5</p>', mine: true, canReply: false });
    expect(thread.find((c) => c.id === 'c9')).toMatchObject({ state: 'rejected', html: null, hiddenReason: 'tidak relevan' });
  });

  test('a moderator sees held and hidden bodies and the open flags, and may moderate everything not deleted', () => {
    const flags = new Map([['c1', [{ reason: 'spam', count: 2 }]]]);
    const thread = buildThread(stored, reader({ id: 'mod', moderates: true, openFlags: flags }));
    expect(flatten(thread)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c7', 'c8', 'c9']);
    expect(thread.find((c) => c.id === 'c3')).toMatchObject({ html: '<p>isi c3</p>', canModerate: true });
    expect(thread[0]!.openFlags).toEqual([{ reason: 'spam', count: 2 }]);
    expect(thread.find((c) => c.id === 'c7')!.canModerate).toBe(false);
  });

  test('the author may edit within the window only, and delete; others may reply and flag', () => {
    const early = buildThread([comment('c1')], reader({ id: 'ani', mayComment: true, now: T0 + 16 * MIN }));
    expect(early[0]).toMatchObject({ canEdit: true, source: 'isi c1', canDelete: true, canFlag: false });
    const late = buildThread([comment('c1')], reader({ id: 'ani', mayComment: true, now: T0 + 17 * MIN }));
    expect(late[0]).toMatchObject({ canEdit: false, source: null });
    const other = buildThread([comment('c1')], reader({ id: 'budi', mayComment: true, flaggedByMe: new Set(['c1']) }));
    expect(other[0]).toMatchObject({ canEdit: false, canReply: true, canFlag: true, flaggedByMe: true });
  });

  test('officials may mark the answers of authors who answer officially', () => {
    const thread = buildThread([comment('c1', { authorId: 'pejabat' }), comment('c2')], reader({ id: 'lain', answersOfficially: true, officialAuthors: new Set(['pejabat']) }));
    expect(thread.map((c) => c.canMarkOfficial)).toEqual([true, false]);
  });

  test('the public count is published comments only', () => {
    expect(publishedCount(stored)).toBe(4);
  });
});

describe('shouldHold: the new-account hold', () => {
  const config = { younger_than_days: 3, first_comments: 2 };
  const DAY = 24 * 60 * MIN;
  test('a new account is held until two comments were approved', () => {
    expect(shouldHold({ accountCreatedAt: T0, approvedComments: 0, trusted: false }, T0 + DAY, config)).toBe(true);
    expect(shouldHold({ accountCreatedAt: T0, approvedComments: 1, trusted: false }, T0 + DAY, config)).toBe(true);
    expect(shouldHold({ accountCreatedAt: T0, approvedComments: 2, trusted: false }, T0 + DAY, config)).toBe(false);
  });
  test('an account older than the age, a trusted one, or a deployment without a hold is never held', () => {
    expect(shouldHold({ accountCreatedAt: T0, approvedComments: 0, trusted: false }, T0 + 3 * DAY, config)).toBe(false);
    expect(shouldHold({ accountCreatedAt: T0, approvedComments: 0, trusted: true }, T0, config)).toBe(false);
    expect(shouldHold({ accountCreatedAt: T0, approvedComments: 0, trusted: false }, T0, { younger_than_days: 3, first_comments: 0 })).toBe(false);
  });
});
