import type { Kysely } from 'kysely';
import { preparedQuery, type Params } from '../db/prepared.ts';
import { beforeCommit, db } from '../db/store.ts';
import type { Database } from '../domains.ts';

/**
 * One counter per kind of content that pages kept for anonymous readers show (reader-pages.ts): `datathon` (events,
 * teams, ideas, votes, judging, results), `community` (comments, moderation, files) and `people` (the names shown
 * beside them). Every write of that content raises its counter inside its own transaction, so a kept page is
 * dropped by the first request after the commit, on every server of a fleet: the counters live in the store.
 */
export type ReaderContent = 'datathon' | 'community' | 'people';

const raise = preparedQuery((q: Kysely<Database>, p: Params<{ name: string }>) =>
  q
    .insertInto('reader_revision')
    .values({ name: p.name, n: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ n: eb('reader_revision.n', '+', 1) }))),
);

const read = preparedQuery((q: Kysely<Database>) => q.selectFrom('reader_revision').select(['name', 'n']));

/**
 * Marks `content` as changed by the current transaction: its counter goes up once, as the transaction's last
 * statement (store.ts `beforeCommit`), however many writes in it touch that content. Outside a transaction it
 * runs in one of its own.
 */
export function touchReaders(content: ReaderContent): Promise<void> {
  return beforeCommit(`reader-revision:${content}`, async (trx) => {
    await raise.execute(trx, { name: content });
  });
}

/** Every counter, as one string (`community=3,datathon=41,people=2`): part of a kept page's version. */
export async function readerRevisions(): Promise<string> {
  const { rows } = await read.execute(db(), {});
  return rows
    .map((r) => `${r.name}=${Number(r.n)}`)
    .sort()
    .join(',');
}
