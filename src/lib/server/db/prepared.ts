import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type OperationNodeSource, type QueryResult, type RootOperationNode } from 'kysely';

/**
 * A query built and compiled once per connection kind, then run many times with new values. Kysely builds an
 * operation tree and compiles it to SQL on every `execute()`; for the store's hottest small writes (a vote, a
 * counter bump) that costs about as much CPU as SQLite's own work. A prepared query keeps the compiled SQL and only
 * swaps the bound values, and the SQLite driver then reuses its prepared statement for that SQL text.
 *
 *   const bump = preparedQuery((db: Kysely<DB>, p: Params<{ name: string }>) =>
 *     db.updateTable('counter').set((eb) => ({ n: eb('n', '+', 1) })).where('name', '=', p.name));
 *   await bump.execute(trx, { name: 'votes' });
 *
 * `p.<name>` stands for a bound value: use it where Kysely binds a value (`values`, `set`, the right side of `where`,
 * `limit`), never as a list (`in`), an identifier or inside `sql` fragments that inline it. The first run checks
 * that every parameter reached the SQL as a bound value. Plugins of the Kysely instance still see every run (the
 * store's closed-transaction guard depends on it); a plugin that rewrites the query makes it compile again.
 */
export type Params<P> = { readonly [K in keyof P]: P[K] };

/** A bound value's placeholder while the query is built; replaced by the caller's value on every run. */
class Param {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

interface Template {
  node: RootOperationNode;
  compiled: CompiledQuery;
  /** For each bound parameter of `compiled`: the name of the caller's value, or undefined for a constant. */
  slots: (string | undefined)[];
}

export interface PreparedQuery<DB, P, R> {
  /** Runs the query on `db` (the store's `db()`, or a transaction) with these values. */
  execute(db: Kysely<DB>, params: P): Promise<QueryResult<R>>;
}

export function preparedQuery<DB, P extends Record<string, unknown>, R>(
  build: (db: Kysely<DB>, params: Params<P>) => Compilable<R> & OperationNodeSource,
): PreparedQuery<DB, P, R> {
  // One template per Kysely dialect instance (keyed by its adapter, which every transaction of it shares): the
  // SQL differs between SQLite and PostgreSQL.
  const templates = new WeakMap<object, Template>();

  function template(db: Kysely<DB>): Template {
    const executor = db.getExecutor();
    let found = templates.get(executor.adapter);
    if (!found) {
      const names = new Set<string>();
      const placeholders = new Proxy({} as Params<P>, {
        get: (_, name) => {
          if (typeof name !== 'string') return undefined;
          names.add(name);
          return new Param(name);
        },
      });
      const node = build(db, placeholders).toOperationNode() as RootOperationNode;
      const compiled = executor.compileQuery(node, createQueryId());
      const slots = compiled.parameters.map((value) => (value instanceof Param ? value.name : undefined));
      const bound = new Set(slots.filter((name) => name !== undefined));
      const inlined = [...names].filter((name) => !bound.has(name));
      if (inlined.length > 0) throw new Error(`prepared query: ${inlined.join(', ')} did not compile to bound values: ${compiled.sql}`);
      found = { node, compiled, slots };
      templates.set(executor.adapter, found);
    }
    return found;
  }

  return {
    async execute(db, params) {
      const { node, compiled, slots } = template(db);
      const executor = db.getExecutor();
      const queryId = createQueryId();
      // The plugins' turn (e.g. refusing a query on a transaction that has ended); they normally return the node.
      const transformed = executor.transformQuery(node, queryId);
      const shape = transformed === node ? compiled : executor.compileQuery(transformed, queryId);
      const parameters = shape.parameters.map((value, i) => {
        const name = shape === compiled ? slots[i] : value instanceof Param ? value.name : undefined;
        if (name === undefined) return value;
        const given = params[name];
        if (given === undefined) throw new Error(`prepared query: no value for "${name}"`);
        return given;
      });
      return executor.executeQuery<R>({ query: shape.query, queryId, sql: shape.sql, parameters });
    },
  };
}
