import type { Kysely, Transaction } from 'kysely';
import type { TransactionControl } from './sqlite-dialect.ts';

/**
 * SQLite's one writer, with group commit. Write transactions queue up while the writer is busy; the writer then
 * runs the queued ones (up to MAX_GROUP) one after another inside ONE SQLite transaction, each in a savepoint of
 * its own, and commits them together: one COMMIT (one WAL append) makes a whole group durable, and the commit is
 * where a serialised writer spends most of its time.
 *
 * Each logical transaction keeps its own semantics:
 * - atomic: a transaction that throws rolls back to its savepoint, so it leaves nothing, and the others in its
 *   group still commit; its caller gets its error at once;
 * - durable before acknowledged: a caller's promise resolves only after its group's COMMIT; if that COMMIT fails,
 *   every transaction of the group gets the error (none of them was stored);
 * - isolated: transactions run one at a time, so each sees the writes of those before it, as with one writer;
 * - closed when done: a query started on a transaction's `trx` after it ended fails instead of landing in another's.
 * If SQLite ends the whole transaction on its own (a full disk, an `OR ROLLBACK` conflict clause), the failing
 * transaction gets its error and the ones before it in the group run again (their writes were not committed; the
 * store already tells callers that `work` may run more than once).
 *
 * The writer only hands out turns: each transaction runs in its caller's own async continuation, so it keeps its
 * caller's async context (the request's render scope, the store's transaction scope) without capturing one.
 */
const MAX_GROUP = 128;

type Outcome = 'committed' | 'again';

interface Job {
  /** The writer gives the job its turn inside the group's transaction (rejected when the group cannot begin). */
  turn: PromiseWithResolvers<void>;
  /** The job tells the writer its work is over: true when its savepoint was released, false when it threw. */
  ran: PromiseWithResolvers<boolean>;
  /** The writer tells the job how its group ended. */
  outcome: PromiseWithResolvers<Outcome>;
}

export type WriteTransaction<DB> = <T>(work: (trx: Transaction<DB>) => Promise<T>) => Promise<T>;

/** Thrown through Kysely's transaction to end a group that SQLite already rolled back; never reaches a caller. */
const GROUP_LOST = Symbol('group lost');

/**
 * The writer connection (open once the writer's first query has run): its transaction control, and a transaction
 * object for one logical transaction on it that refuses queries once `ended()` (see NodeSqliteDialect).
 */
export interface WriterConnection<DB> {
  control(): TransactionControl;
  view(ended: () => boolean): Transaction<DB>;
}

export function groupCommit<DB>(writer: Kysely<DB>, connection: WriterConnection<DB>): WriteTransaction<DB> {
  const control = () => connection.control();
  const queue: Job[] = [];
  let draining = false;

  async function commitGroup(group: Job[]): Promise<void> {
    const done: Job[] = [];
    try {
      // Kysely begins (BEGIN IMMEDIATE) and commits the group's transaction; the jobs are savepoints inside it.
      await writer.transaction().execute(async () => {
        for (const job of group) {
          job.turn.resolve();
          if (await job.ran.promise) {
            done.push(job);
          } else if (!control().inTransaction) {
            // This job's error ended the whole transaction: the ones before it lost their writes and run again.
            for (const lost of done.splice(0)) lost.outcome.resolve('again');
            queue.unshift(...group.slice(group.indexOf(job) + 1));
            throw GROUP_LOST;
          }
        }
      });
    } catch (error) {
      if (error === GROUP_LOST) return;
      // The group could not begin or commit: none of its transactions was stored.
      for (const job of group) job.turn.reject(error);
      for (const job of done) job.outcome.reject(error);
      return;
    }
    for (const job of done) job.outcome.resolve('committed');
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      // Transactions submitted in the same turn of the event loop join the first group.
      await Promise.resolve();
      while (queue.length > 0) await commitGroup(queue.splice(0, MAX_GROUP));
    } finally {
      draining = false;
    }
  }

  return async <T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> => {
    for (;;) {
      const job: Job = { turn: Promise.withResolvers(), ran: Promise.withResolvers(), outcome: Promise.withResolvers() };
      job.outcome.promise.catch(() => undefined); // awaited below only if the work ran; never unhandled
      queue.push(job);
      if (!draining) void drain();
      await job.turn.promise;
      const savepoint = control();
      let ended = false;
      let value: T;
      try {
        savepoint.begin();
        value = await work(connection.view(() => ended));
        ended = true;
        savepoint.commit();
      } catch (error) {
        ended = true;
        try {
          savepoint.rollback();
        } finally {
          job.ran.resolve(false);
        }
        throw error;
      }
      job.ran.resolve(true);
      if ((await job.outcome.promise) === 'committed') return value;
    }
  };
}
