import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { beforeCommit, db, transaction } from '../../src/lib/server/db/store.ts';
import { readerRevisions, touchReaders } from '../../src/lib/server/http/reader-revision.ts';
import { BACKENDS, useBackend } from '../helpers/store.ts';

/**
 * The reader revisions behind the pages kept for readers (http/reader-revision.ts) and the store's `beforeCommit`
 * they use: raised once per transaction however many writes touch the content, as its last statement, never by a
 * transaction that rolls back, and on PostgreSQL by concurrent transactions without a lost update or a deadlock.
 */
describe.each(BACKENDS)('reader revisions on $name', ({ name, skip }) => {
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  beforeAll(async () => {
    if (!skip) backend = await useBackend(name);
  });
  afterAll(async () => {
    await backend?.cleanup();
  });

  const revisionOf = async (content: 'datathon' | 'community' | 'people') => {
    const found = new RegExp(`(?:^|,)${content}=(\\d+)`).exec(await readerRevisions());
    return Number(found?.[1] ?? 0);
  };

  test.skipIf(skip)('once per transaction, after its last write; outside a transaction in one of its own', async () => {
    const before = await revisionOf('datathon');
    const order: string[] = [];
    await transaction(async () => {
      await touchReaders('datathon');
      await beforeCommit('probe', async () => {
        order.push('last');
      });
      await touchReaders('datathon');
      order.push('work');
      await touchReaders('datathon');
    });
    expect(order).toEqual(['work', 'last']);
    expect(await revisionOf('datathon')).toBe(before + 1);
    await touchReaders('datathon');
    expect(await revisionOf('datathon')).toBe(before + 2);
  });

  test.skipIf(skip)('a transaction that fails raises nothing; each kind of content has its own counter', async () => {
    const before = { datathon: await revisionOf('datathon'), people: await revisionOf('people') };
    await expect(
      transaction(async () => {
        await touchReaders('datathon');
        throw new Error('dibatalkan');
      }),
    ).rejects.toThrow('dibatalkan');
    expect(await revisionOf('datathon')).toBe(before.datathon);
    await transaction(() => touchReaders('people'));
    expect(await revisionOf('people')).toBe(before.people + 1);
    expect(await revisionOf('datathon')).toBe(before.datathon);
  });

  test.skipIf(skip)('50 concurrent writers each touching two kinds of content: every raise counted, none lost', async () => {
    const before = { datathon: await revisionOf('datathon'), community: await revisionOf('community') };
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        transaction(async () => {
          // asked in either order: the raises run last and in one order (by key), so no two wait on each other
          const kinds = i % 2 === 0 ? (['datathon', 'community'] as const) : (['community', 'datathon'] as const);
          for (const kind of kinds) await touchReaders(kind);
          await db().selectFrom('reader_revision').select('n').execute();
        }),
      ),
    );
    expect(await revisionOf('datathon')).toBe(before.datathon + 50);
    expect(await revisionOf('community')).toBe(before.community + 50);
  });
});
