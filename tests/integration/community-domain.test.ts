import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { listAudit } from '../../src/lib/server/audit/audit.ts';
import { grantRole } from '../../src/lib/server/auth/roles.ts';
import { createUser, getUser, type User } from '../../src/lib/server/auth/user.ts';
import { setClock } from '../../src/lib/server/clock.ts';
import { commentCounts, commentCountsOfType, deleteComment, editComment, markOfficial, postComment } from '../../src/lib/server/community/comments.ts';
import { sendDigests } from '../../src/lib/server/community/digest.ts';
import { followerCount, isFollowing, setFollow } from '../../src/lib/server/community/follows.ts';
import { flagComment, moderateComment, moderationQueue } from '../../src/lib/server/community/moderation.ts';
import { listNotifications, markRead, notify, saveNotificationSettings, unreadCount } from '../../src/lib/server/community/notifications.ts';
import { loadThread } from '../../src/lib/server/community/thread.server.ts';
import { db, transaction } from '../../src/lib/server/db/store.ts';
import { deliverOutbox } from '../../src/lib/server/mail/outbox.ts';
import { resetAll } from '../../src/lib/server/http/rate-limit.ts';
import { ideas, registerIdeas } from '../helpers/community.ts';
import { BACKENDS, useBackend } from '../helpers/store.ts';

/**
 * The community module's domain functions against a real store, on SQLite and (where TEST_DATABASE_URL is set)
 * PostgreSQL: comments and threads, the new-account hold, flags and moderation with audit, official answers,
 * follows, notifications by channel, e-mail and the daily digest.
 */
const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 11, 1, 2, 0, 0);
let clock = T0;

registerIdeas();

describe.each(BACKENDS)('community on $name', ({ name, skip }) => {
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  const people: Record<string, User> = {};
  let mail: string[] = [];

  async function person(key: string, options: { verified?: boolean; role?: { role: 'official' | 'admin' | 'judge'; scope: string }; createdAt?: number } = {}) {
    clock = options.createdAt ?? T0 - 30 * DAY;
    const user = await createUser({ email: `${key}@community.test`, name: key[0]!.toUpperCase() + key.slice(1), passwordHash: 'x', emailVerified: options.verified ?? true });
    if (options.role) await grantRole(user.id, options.role, null);
    people[key] = (await getUser(user.id))!;
    clock = T0;
    return people[key]!;
  }

  const rowsOf = (userId: string) => db().selectFrom('community_notification').selectAll().where('user_id', '=', userId).orderBy('id').execute();

  beforeAll(async () => {
    if (skip) return;
    backend = await useBackend(name);
    setClock(() => clock);
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void mail.push(args.join(' ')));
    await person('ani');
    await person('budi');
    await person('citra', { verified: false });
    await person('dewi', { role: { role: 'official', scope: 'dinkes' } });
    await person('eko', { role: { role: 'official', scope: 'dishub' } });
    await person('admin', { role: { role: 'admin', scope: '' } });
    await person('baru', { createdAt: T0 - DAY });
    ideas.set('taman', { title: 'Taman baca', opd: 'dinkes', owner: people.ani!.id });
    ideas.set('tutup', { title: 'Ide yang ditutup', opd: 'dinkes', closed: true });
    ideas.set('rahasia', { title: 'Draf rahasia', opd: 'dinkes', owner: people.ani!.id, private: true });
  });
  afterAll(async () => {
    setClock(undefined);
    vi.restoreAllMocks();
    await backend?.cleanup();
  });
  beforeEach(async () => {
    if (skip) return;
    clock = T0;
    await resetAll();
  });

  test.skipIf(skip)('a comment and a reply: stored sanitised, threaded, counted, and each person concerned told once', async () => {
    expect(await setFollow(people.citra!, 'idea:taman', true)).toEqual({ ok: true, following: true });
    const first = await postComment(people.budi!, { subject: 'idea:taman', body: 'Apakah data **kunjungan** ada? <script>alert(1)</script>' });
    expect(first).toMatchObject({ ok: true, held: false });
    const reply = await postComment(people.ani!, { subject: 'idea:taman', parentId: first.ok ? first.id : '', body: 'Ada, lihat [data](https://data.example.go.id).' });
    expect(reply).toMatchObject({ ok: true, held: false });

    const thread = (await loadThread('idea:taman', null))!;
    expect(thread.count).toBe(2);
    expect(thread.comments).toHaveLength(1);
    expect(thread.comments[0]!.html).toContain('<strong>kunjungan</strong>');
    expect(thread.comments[0]!.html).not.toContain('<script');
    expect(thread.comments[0]!.replies[0]!.html).toContain('rel="nofollow ugc noopener"');
    expect(await commentCounts(['idea:taman', 'idea:tutup'])).toEqual(new Map([['idea:taman', 2], ['idea:tutup', 0]]));
    expect((await commentCountsOfType('idea')).get('idea:taman')).toBe(2);

    // budi's comment: ani owns the idea; citra follows it. ani's reply: budi is replied to, citra follows.
    const kinds = async (key: string) => (await rowsOf(people[key]!.id)).map((r) => r.kind);
    expect(await kinds('ani')).toEqual(['community.comment_on_yours']);
    expect(await kinds('budi')).toEqual(['community.comment_reply']);
    expect(await kinds('citra')).toEqual(['community.comment_followed', 'community.comment_followed']);
    const [toBudi] = await rowsOf(people.budi!.id);
    expect(toBudi).toMatchObject({ subject: 'idea:taman', title: 'Taman baca', url: `/ideas/taman#comment-${reply.ok && reply.id}`, actor_id: people.ani!.id });
  });

  test.skipIf(skip)('bad input is refused with the field and changes nothing', async () => {
    const before = await commentCounts(['idea:taman']);
    expect(await postComment(people.budi!, { subject: 'idea:taman', body: '   ' })).toMatchObject({ ok: false, code: 'empty', field: 'body' });
    expect(await postComment(people.budi!, { subject: 'idea:taman', body: 'x'.repeat(10_001) })).toMatchObject({ ok: false, code: 'too_long', params: { max: 10_000, found: 10_001 } });
    expect(await postComment(people.budi!, { subject: 'idea:tidak-ada', body: 'halo' })).toMatchObject({ ok: false, code: 'not_found', field: 'subject' });
    expect(await postComment(people.budi!, { subject: 'bukan-ref', body: 'halo' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await postComment(people.budi!, { subject: 'idea:taman', parentId: 'tidakada', body: 'halo' })).toMatchObject({ ok: false, code: 'not_found', field: 'parentId' });
    expect(await postComment(people.budi!, { subject: 'idea:tutup', body: 'halo' })).toMatchObject({ ok: false, code: 'closed' });
    expect(await postComment(people.budi!, { subject: 'idea:rahasia', body: 'halo' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await commentCounts(['idea:taman'])).toEqual(before);
  });

  test.skipIf(skip)('a private subject is invisible to others; its owner and admins see it', async () => {
    expect(await loadThread('idea:rahasia', people.budi!)).toBeNull();
    expect(await loadThread('idea:rahasia', null)).toBeNull();
    expect(await loadThread('idea:rahasia', people.ani!)).not.toBeNull();
    expect(await loadThread('idea:rahasia', people.admin!)).not.toBeNull();
    expect(await setFollow(people.budi!, 'idea:rahasia', true)).toMatchObject({ ok: false, code: 'not_found' });
  });

  test.skipIf(skip)('a new account is held until a moderator approves; no one is told before', async () => {
    ideas.set('hold', { title: 'Ide untuk hold', opd: 'dinkes', owner: people.ani!.id });
    const held = await postComment(people.baru!, { subject: 'idea:hold', body: 'Komentar pertama saya' });
    expect(held).toMatchObject({ ok: true, held: true });
    const id = held.ok ? held.id : '';
    expect((await loadThread('idea:hold', people.budi!))!.comments).toEqual([]);
    expect((await loadThread('idea:hold', people.baru!))!.comments[0]).toMatchObject({ id, state: 'held', mine: true });
    expect((await rowsOf(people.ani!.id)).filter((r) => r.subject === 'idea:hold')).toEqual([]);

    const queueForDewi = await moderationQueue(people.dewi!);
    expect(queueForDewi.flatMap((s) => s.items.map((i) => i.id))).toContain(id);
    expect(queueForDewi.find((s) => s.scope === 'opd:dinkes')!.items.find((i) => i.id === id)).toMatchObject({ held: true });
    expect(await moderationQueue(people.eko!)).toEqual([]);
    expect(await moderationQueue(people.budi!)).toEqual([]);

    // Someone who does not moderate this subject cannot release it.
    expect(await moderateComment(people.eko!, { id, decision: 'approve' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await loadThread('idea:hold', people.budi!))!.comments).toEqual([]);

    expect(await moderateComment(people.dewi!, { id, decision: 'approve' })).toMatchObject({ ok: true });
    expect((await loadThread('idea:hold', null))!.comments[0]).toMatchObject({ id, state: 'published' });
    expect((await rowsOf(people.ani!.id)).filter((r) => r.subject === 'idea:hold').map((r) => r.kind)).toEqual(['community.comment_on_yours']);
    expect((await rowsOf(people.baru!.id)).map((r) => r.kind)).toContain('community.comment_approved');
    expect((await listAudit({ event: 'community.comment.approve' })).map((a) => a.actorId)).toContain(people.dewi!.id);

    // One more approved and the hold is over; or the account grows older than the hold age.
    const second = await postComment(people.baru!, { subject: 'idea:hold', body: 'Kedua' });
    await moderateComment(people.dewi!, { id: second.ok ? second.id : '', decision: 'approve' });
    expect(await postComment(people.baru!, { subject: 'idea:hold', body: 'Ketiga' })).toMatchObject({ ok: true, held: false });
  });

  test.skipIf(skip)('flags, the queue, hiding with a public reason, restoring, all audited', async () => {
    ideas.set('flag', { title: 'Ide untuk laporan', opd: 'dinkes' });
    const posted = await postComment(people.budi!, { subject: 'idea:flag', body: 'Beli obat murah di situs kami' });
    const id = posted.ok ? posted.id : '';
    expect(await flagComment(people.budi!, { id, reason: 'spam' })).toMatchObject({ ok: false, code: 'own_comment' });
    expect(await flagComment(people.ani!, { id, reason: 'spam', note: 'iklan' })).toEqual({ ok: true });
    expect(await flagComment(people.ani!, { id, reason: 'spam' })).toEqual({ ok: true }); // twice counts once
    expect(await flagComment(people.citra!, { id, reason: 'abuse' })).toEqual({ ok: true });
    const item = (await moderationQueue(people.dewi!, { scope: 'opd:dinkes' }))[0]!.items.find((i) => i.id === id)!;
    expect(item.flags).toHaveLength(2);
    expect(item.flags).toEqual(expect.arrayContaining([{ reason: 'spam', count: 1, notes: ['iklan'] }, { reason: 'abuse', count: 1, notes: [] }]));
    expect((await loadThread('idea:flag', people.dewi!))!.comments[0]!.openFlags).toHaveLength(2);

    expect(await moderateComment(people.budi!, { id, decision: 'hide', reason: 'spam' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await moderateComment(people.dewi!, { id, decision: 'hide', reason: ' ' })).toMatchObject({ ok: false, code: 'reason_required', field: 'reason' });
    expect(await moderateComment(people.dewi!, { id, decision: 'hide', reason: 'Iklan obat, melanggar aturan diskusi' })).toMatchObject({ ok: true });
    const seen = (await loadThread('idea:flag', null))!.comments[0]!;
    expect(seen).toMatchObject({ state: 'hidden', html: null, hiddenReason: 'Iklan obat, melanggar aturan diskusi' });
    expect((await loadThread('idea:flag', people.dewi!))!.comments[0]!.html).toContain('obat murah');
    expect((await moderationQueue(people.dewi!)).flatMap((s) => s.items.map((i) => i.id))).not.toContain(id);
    expect((await rowsOf(people.budi!.id)).at(-1)).toMatchObject({ kind: 'community.comment_hidden', params: JSON.stringify({ reason: 'Iklan obat, melanggar aturan diskusi' }) });
    expect(await flagComment(people.ani!, { id, reason: 'spam' })).toMatchObject({ ok: false, code: 'not_found' });

    // The platform admin moderates every scope.
    expect(await moderateComment(people.admin!, { id, decision: 'restore' })).toMatchObject({ ok: true });
    expect((await loadThread('idea:flag', null))!.comments[0]).toMatchObject({ state: 'published' });
    expect(await moderateComment(people.admin!, { id, decision: 'restore' })).toMatchObject({ ok: false, code: 'not_moderatable' });
    const events = (await listAudit()).filter((a) => a.event.startsWith('community.')).map((a) => [a.event, a.actorId]);
    expect(events).toEqual(expect.arrayContaining([['community.comment.hide', people.dewi!.id], ['community.comment.restore', people.admin!.id]]));
  });

  test.skipIf(skip)('edit within the window, delete keeps the thread shape', async () => {
    ideas.set('edit', { title: 'Ide untuk sunting', opd: 'dinkes' });
    const posted = await postComment(people.budi!, { subject: 'idea:edit', body: 'Salah ketk' });
    const id = posted.ok ? posted.id : '';
    expect(await editComment(people.ani!, { id, body: 'bukan milik saya' })).toMatchObject({ ok: false, code: 'forbidden' });
    clock = T0 + 10 * 60_000;
    expect(await editComment(people.budi!, { id, body: 'Salah ketik, maaf' })).toEqual({ ok: true });
    clock = T0 + 16 * 60_000;
    expect(await editComment(people.budi!, { id, body: 'terlambat' })).toMatchObject({ ok: false, code: 'edit_window', params: { minutes: 15 } });
    const reply = await postComment(people.ani!, { subject: 'idea:edit', parentId: id, body: 'Tidak apa' });
    expect(await deleteComment(people.budi!, id)).toEqual({ ok: true });
    const [root] = (await loadThread('idea:edit', null))!.comments;
    expect(root).toMatchObject({ state: 'deleted', html: null });
    expect(root!.replies.map((r) => r.id)).toEqual([reply.ok && reply.id]);
    const stored = await db().selectFrom('community_comment').select(['body', 'body_html']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ body: '', body_html: '' });
  });

  test.skipIf(skip)('official answers: by the OPD\'s officials, marked only on their answers', async () => {
    ideas.set('resmi', { title: 'Pertanyaan ke Dinkes', opd: 'dinkes' });
    expect(await postComment(people.budi!, { subject: 'idea:resmi', body: 'Saya resmi?', official: true })).toMatchObject({ ok: false, code: 'forbidden', field: 'official' });
    expect(await postComment(people.eko!, { subject: 'idea:resmi', body: 'Dishub menjawab', official: true })).toMatchObject({ ok: false, code: 'forbidden' });
    const answer = await postComment(people.dewi!, { subject: 'idea:resmi', body: 'Jawaban Dinkes', official: true });
    expect(answer).toMatchObject({ ok: true, held: false });
    clock += 1000;
    const citizen = await postComment(people.budi!, { subject: 'idea:resmi', body: 'Terima kasih' });
    const thread = (await loadThread('idea:resmi', people.dewi!))!;
    expect(thread.comments.map((c) => [c.official, c.canMarkOfficial])).toEqual([[true, true], [false, false]]);
    expect(await markOfficial(people.dewi!, { id: citizen.ok ? citizen.id : '', official: true })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await markOfficial(people.budi!, { id: answer.ok ? answer.id : '', official: false })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await markOfficial(people.dewi!, { id: answer.ok ? answer.id : '', official: false })).toMatchObject({ ok: true });
  });

  test.skipIf(skip)('per-account rate limit: a burst of 10, then a clear refusal with the wait', async () => {
    ideas.set('cepat', { title: 'Ide cepat', opd: 'dinkes' });
    for (let i = 0; i < 10; i++) expect(await postComment(people.budi!, { subject: 'idea:cepat', body: `pesan ${i}` })).toMatchObject({ ok: true });
    const refused = await postComment(people.budi!, { subject: 'idea:cepat', body: 'satu lagi' });
    expect(refused).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeGreaterThan(0);
    expect((await commentCounts(['idea:cepat'])).get('idea:cepat')).toBe(10);
  });

  test.skipIf(skip)('channels: off tells nobody, email mails verified addresses at once, digest waits for the daily mail', async () => {
    await saveNotificationSettings(people.budi!.id, { 'community.comment_on_yours': 'off' }, 'id');
    await saveNotificationSettings(people.ani!.id, { 'community.comment_on_yours': 'email' }, 'en');
    await saveNotificationSettings(people.citra!.id, { 'community.comment_on_yours': 'email' }, 'id');
    await saveNotificationSettings(people.dewi!.id, { 'community.comment_on_yours': 'digest', 'bukan.jenis': 'email' } as never, 'id');
    const subject = { ref: 'idea:taman', title: 'Taman baca', url: '/ideas/taman' };
    const ids = ['budi', 'ani', 'citra', 'dewi'].map((k) => people[k]!.id);
    mail = [];
    const before = await Promise.all(ids.map(async (id) => (await rowsOf(id)).length));
    expect(await notify(ids, { kind: 'community.comment_on_yours', subject, actorId: people.eko!.id })).toBe(3);
    const after = await Promise.all(ids.map(async (id) => (await rowsOf(id)).length));
    expect(after.map((n, i) => n - before[i]!)).toEqual([0, 1, 1, 1]);
    await deliverOutbox();
    const sent = mail.filter((m) => m.includes('[mail]'));
    expect(sent).toHaveLength(1); // ani only: citra's address is not verified, dewi gets the digest
    expect(sent[0]).toContain('To: ani@community.test');
    expect(sent[0]).toContain('Eko commented on Taman baca');
    expect(sent[0]).toContain('http://localhost:4321/ideas/taman');
    expect((await rowsOf(people.dewi!.id)).at(-1)).toMatchObject({ digest: true, digest_sent_at: null });
  });

  test.skipIf(skip)('the daily digest: one mail per person listing everything since the last, sent once even when run twice at once', async () => {
    await saveNotificationSettings(people.dewi!.id, { 'community.comment_followed': 'digest' }, 'id');
    await setFollow(people.dewi!, 'idea:taman', true);
    await postComment(people.budi!, { subject: 'idea:taman', body: 'Satu lagi untuk digest' });
    await postComment(people.ani!, { subject: 'idea:taman', body: 'Dan satu lagi' });
    const pending = (await rowsOf(people.dewi!.id)).filter((r) => r.digest && r.digest_sent_at === null);
    expect(pending.length).toBeGreaterThanOrEqual(3);
    mail = [];
    clock = T0 + DAY;
    const waiting = await db().selectFrom('community_notification').select('user_id').distinct().where('digest', '=', true).where('digest_sent_at', 'is', null).execute();
    const [a, b] = await Promise.all([sendDigests(), sendDigests()]);
    // One digest per person with a verified address (citra's is not), however many runs.
    const verified = waiting.filter((w) => w.user_id !== people.citra!.id).length;
    expect(a.mailed + b.mailed).toBe(verified);
    await deliverOutbox();
    const recipients = mail.filter((m) => m.includes('[mail]')).map((m) => m.match(/To: (\S+)/)![1]);
    expect(recipients).toHaveLength(verified);
    expect(new Set(recipients).size).toBe(verified);
    const digests = mail.filter((m) => m.includes('To: dewi@community.test'));
    expect(digests).toHaveLength(1);
    expect(digests[0]).toContain(`Ringkasan harian: ${pending.length} pemberitahuan`);
    expect(digests[0]).toContain('Budi berkomentar di Taman baca yang Anda ikuti');
    expect(digests[0]).toContain('Ani berkomentar di Taman baca yang Anda ikuti');
    expect((await rowsOf(people.dewi!.id)).filter((r) => r.digest && r.digest_sent_at === null)).toEqual([]);
    expect(await sendDigests()).toEqual({ mailed: 0, notifications: 0 });
  });

  test.skipIf(skip)('the bell: unread counts, mark one read, mark all read; follows are idempotent', async () => {
    const ani = people.ani!.id;
    const unread = await unreadCount(ani);
    expect(unread).toBeGreaterThan(1);
    const [newest] = await listNotifications(ani, { limit: 1 });
    expect(await markRead(ani, [newest!.id])).toBe(1);
    expect(await markRead(people.budi!.id, [newest!.id])).toBe(0); // not theirs
    expect(await unreadCount(ani)).toBe(unread - 1);
    await markRead(ani);
    expect(await unreadCount(ani)).toBe(0);
    await setFollow(people.budi!, 'idea:taman', true);
    await setFollow(people.budi!, 'idea:taman', true);
    expect(await isFollowing(people.budi!.id, 'idea:taman')).toBe(true);
    const n = await followerCount('idea:taman');
    await setFollow(people.budi!, 'idea:taman', false);
    expect(await followerCount('idea:taman')).toBe(n - 1);
  });

  test.skipIf(skip)('a notification is part of the caller\'s transaction: rolled back, it never happened', async () => {
    const before = await unreadCount(people.ani!.id);
    await expect(
      transaction(async () => {
        await notify([people.ani!.id], { kind: 'community.comment_reply', subject: { ref: 'idea:taman', title: 'Taman baca', url: '/ideas/taman' }, actorId: people.budi!.id });
        throw new Error('the action failed later');
      }),
    ).rejects.toThrow('the action failed later');
    expect(await unreadCount(people.ani!.id)).toBe(before);
  });
});
