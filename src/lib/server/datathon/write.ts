import type { Transaction } from 'kysely';
import { transaction } from '../db/store.ts';
import type { Database } from '../domains.ts';
import { touchReaders } from '../http/reader-revision.ts';

/**
 * Every datathon write: one store transaction that also raises the datathon's reader revision (once, as its last
 * statement), so pages kept for readers (reader-pages.ts) are rendered again after it commits.
 */
export function datathonWrite<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return transaction(async (trx) => {
    await touchReaders('datathon');
    return work(trx);
  });
}
