import { CompiledQuery, type Kysely, type Transaction } from 'kysely';

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
 * - isolated: transactions run one at a time, so each sees the writes of those before it, as with one writer.
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
  /** The writer gives the job its turn on the group's connection (rejected when the group cannot begin). */
  turn: PromiseWithResolvers<Kysely<any>>;
  /** The job tells the writer its work is over: true when its savepoint was released, false when it threw. */
  ran: PromiseWithResolvers<boolean>;
  /** The writer tells the job how its group ended. */
  outcome: PromiseWithResolvers<Outcome>;
}

export type WriteTransaction<DB> = <T>(work: (trx: Transaction<DB>) => Promise<T>) => Promise<T>;

/** `inTransaction` tells whether the writer's connection is still inside the group's transaction. */
export function groupCommit<DB>(writer: Kysely<DB>, inTransaction: () => boolean): WriteTransaction<DB> {
  const queue: Job[] = [];
  let draining = false;

  async function commitGroup(group: Job[]): Promise<void> {
    await writer.connection().execute(async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
      const done: Job[] = [];
      for (const job of group) {
        job.turn.resolve(connection);
        if (await job.ran.promise) {
          done.push(job);
        } else if (!inTransaction()) {
          // This transaction's error ended the group's: the ones before it lost their writes and run again.
          for (const lost of done) lost.outcome.resolve('again');
          queue.unshift(...group.slice(group.indexOf(job) + 1));
          return;
        }
      }
      try {
        await connection.executeQuery(CompiledQuery.raw('COMMIT'));
      } catch (error) {
        if (inTransaction()) await connection.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => undefined);
        for (const job of done) job.outcome.reject(error);
        return;
      }
      for (const job of done) job.outcome.resolve('committed');
    });
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      // Transactions submitted in the same turn of the event loop join the first group.
      await Promise.resolve();
      while (queue.length > 0) {
        const group = queue.splice(0, MAX_GROUP);
        // A group that cannot begin (another process holding the write lock past the busy timeout, a store that
        // cannot open) fails every transaction in it; what is already settled ignores this.
        await commitGroup(group).catch((error: unknown) => {
          for (const job of group) {
            job.turn.reject(error);
            job.outcome.reject(error);
          }
        });
      }
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
      const connection = (await job.turn.promise) as Kysely<DB>;
      let value: T;
      try {
        // Begun inside the group's transaction, the driver makes this a savepoint.
        value = await connection.transaction().execute(work);
      } catch (error) {
        job.ran.resolve(false);
        throw error;
      }
      job.ran.resolve(true);
      if ((await job.outcome.promise) === 'committed') return value;
    }
  };
}
