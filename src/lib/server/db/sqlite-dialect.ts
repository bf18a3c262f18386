import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  type CompiledQuery,
  DefaultQueryExecutor,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type SelectModifierNode,
  Transaction,
  type ConnectionProvider,
} from 'kysely';

/**
 * Kysely over Node's built-in `node:sqlite` (Kysely's own SqliteDialect expects better-sqlite3's `reader` flag,
 * which node:sqlite lacks). One connection per dialect instance: the store makes a writer (Kysely serialises its
 * use, and transactions begin IMMEDIATE so they take the write lock up front instead of failing to upgrade a read
 * lock later) and a read-only reader (WAL lets it read committed data while a write transaction is open).
 *
 * Two translations keep domain code dialect-neutral:
 * - columns declared `boolean` come back as true/false (SQLite stores 1/0), as they do from PostgreSQL;
 * - `.forUpdate()` and friends compile to nothing: the writer already holds SQLite's one write lock for the whole
 *   transaction, which is what a row lock asks for on PostgreSQL.
 */
export interface NodeSqliteDialectConfig {
  /** Opens the connection; called once, on the first query. */
  open: () => Promise<DatabaseSync>;
  /** False for the reader: no Kysely-side serialisation needed for single synchronous statements. */
  serialize: boolean;
}

/**
 * Synchronous transaction control of the one connection: `begin` opens a transaction, or a savepoint inside an open
 * one; `commit` and `rollback` end the innermost. SQLite may end a whole transaction on its own (a full disk, an
 * `OR ROLLBACK` conflict clause): `inTransaction` then turns false and `rollback` does nothing.
 */
export interface TransactionControl {
  readonly inTransaction: boolean;
  begin(): void;
  commit(): void;
  rollback(): void;
}

export class NodeSqliteDialect implements Dialect {
  readonly #config: NodeSqliteDialectConfig;
  #driver: NodeSqliteDriver | undefined;
  #views: { compiler: QueryCompiler; adapter: DialectAdapter } | undefined;
  constructor(config: NodeSqliteDialectConfig) {
    this.#config = config;
  }
  /** The open connection's transaction control (for the store's group commit), once the connection is open. */
  transactionControl(): TransactionControl {
    const connection = this.#driver?.connection;
    if (!connection) throw new Error('the SQLite connection is not open yet');
    return connection;
  }
  /**
   * A Kysely transaction object on the open connection, for one logical transaction of the store's group commit,
   * which opens and ends its savepoint itself. Queries go straight to the connection: the group commit runs one
   * logical transaction at a time and node:sqlite runs each statement synchronously, so Kysely's per-transaction
   * lock and wrappers (several promises per query) would be pure cost. Once `ended()` is true every query is
   * refused, so a query left running after its transaction cannot land in the next one's. The view has no Kysely
   * plugins, like the writer it stands for (connect.ts): give it the writer's if the writer ever gets some.
   */
  transactionView<DB>(ended: () => boolean): Transaction<DB> {
    const connection = this.#driver?.connection;
    if (!connection) throw new Error('the SQLite connection is not open yet');
    // One compiler and adapter for every view: prepared queries (prepared.ts) cache their SQL by adapter.
    const { compiler, adapter } = (this.#views ??= { compiler: this.createQueryCompiler(), adapter: this.createAdapter() });
    const provider: ConnectionProvider = {
      async provideConnection(consume) {
        if (ended()) throw new Error('this transaction has already ended: await every query inside transaction()');
        return consume(connection);
      },
    };
    const executor = new DefaultQueryExecutor(compiler, adapter, provider);
    return new Transaction<DB>({ config: { dialect: this }, dialect: this, driver: this.#driver!, executor });
  }
  createDriver(): Driver {
    return (this.#driver = new NodeSqliteDriver(this.#config.open));
  }
  createQueryCompiler(): QueryCompiler {
    return new RowLockFreeSqliteCompiler();
  }
  createAdapter(): DialectAdapter {
    return new NodeSqliteAdapter(this.#config.serialize);
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

class NodeSqliteAdapter extends SqliteAdapter {
  readonly #serialize: boolean;
  constructor(serialize: boolean) {
    super();
    this.#serialize = serialize;
  }
  override get supportsMultipleConnections(): boolean {
    return !this.#serialize;
  }
  /** SQLite runs DDL inside transactions; Kysely's migrator then applies each migration atomically. */
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

const ROW_LOCKS = new Set(['ForUpdate', 'ForShare', 'ForKeyShare', 'ForNoKeyUpdate', 'NoWait', 'SkipLocked']);

class RowLockFreeSqliteCompiler extends SqliteQueryCompiler {
  protected override sortSelectModifiers(modifiers: ReadonlyArray<SelectModifierNode>): ReadonlyArray<SelectModifierNode> {
    return super.sortSelectModifiers(modifiers.filter((m) => !(m.modifier && ROW_LOCKS.has(m.modifier))));
  }
}

class NodeSqliteDriver implements Driver {
  readonly #open: () => Promise<DatabaseSync>;
  #connection: NodeSqliteConnection | undefined;
  constructor(open: () => Promise<DatabaseSync>) {
    this.#open = open;
  }
  async init(): Promise<void> {
    this.#connection = new NodeSqliteConnection(await this.#open());
  }
  get connection(): NodeSqliteConnection | undefined {
    return this.#connection;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection!;
  }
  // A transaction begun inside an open one (the store's group commit) is a savepoint: it commits or rolls back
  // only its own writes, and the enclosing transaction's COMMIT makes them durable.
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as NodeSqliteConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as NodeSqliteConnection).commit();
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as NodeSqliteConnection).rollback();
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    this.#connection?.close();
    this.#connection = undefined;
  }
}

const STATEMENT_CACHE = 500;

class NodeSqliteConnection implements DatabaseConnection, TransactionControl {
  readonly #db: DatabaseSync;
  /** Prepared statements by SQL text: Kysely compiles the same few shapes over and over. */
  readonly #statements = new Map<string, { statement: StatementSync; booleans: string[]; reader: boolean }>();
  /** How many savepoints are open inside the current transaction. */
  #savepoints = 0;
  /** BEGIN, COMMIT and the savepoints by depth, prepared once: the group commit runs them for every transaction. */
  readonly #control: { begin?: StatementSync; commit?: StatementSync; savepoints: { open: StatementSync; release: StatementSync }[] } = { savepoints: [] };

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get inTransaction(): boolean {
    return this.#db.isTransaction;
  }

  begin(): void {
    if (this.#db.isTransaction) {
      this.#savepoint(++this.#savepoints).open.run();
    } else {
      this.#savepoints = 0;
      (this.#control.begin ??= this.#db.prepare('BEGIN IMMEDIATE')).run();
    }
  }

  commit(): void {
    if (this.#savepoints > 0) this.#savepoint(this.#savepoints--).release.run();
    else (this.#control.commit ??= this.#db.prepare('COMMIT')).run();
  }

  #savepoint(depth: number) {
    return (this.#control.savepoints[depth] ??= { open: this.#db.prepare(`SAVEPOINT kota_${depth}`), release: this.#db.prepare(`RELEASE kota_${depth}`) });
  }

  rollback(): void {
    // Some errors (a full disk, a conflict clause of ROLLBACK) end the whole transaction themselves; rolling back
    // again would hide the first error. Whoever opened the enclosing transaction sees it gone (inTransaction).
    if (!this.#db.isTransaction) {
      this.#savepoints = 0;
    } else if (this.#savepoints > 0) {
      this.#db.exec(`ROLLBACK TO kota_${this.#savepoints}; RELEASE kota_${this.#savepoints--}`);
    } else {
      this.#db.exec('ROLLBACK');
    }
  }

  close(): void {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  #prepare(sql: string) {
    let found = this.#statements.get(sql);
    if (!found) {
      const statement = this.#db.prepare(sql);
      const columns = statement.columns();
      const booleans = columns.filter((c) => c.type?.toLowerCase() === 'boolean').map((c) => c.name);
      found = { statement, booleans, reader: columns.length > 0 };
      if (this.#statements.size >= STATEMENT_CACHE) this.#statements.clear();
      this.#statements.set(sql, found);
    }
    return found;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { statement, booleans, reader } = this.#prepare(compiled.sql);
    const parameters = compiled.parameters.map(bindable);
    if (reader) return { rows: statement.all(...parameters).map((row) => plainRow(row, booleans)) as R[] };
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { statement, booleans } = this.#prepare(compiled.sql);
    for (const row of statement.iterate(...compiled.parameters.map(bindable))) {
      yield { rows: [plainRow(row, booleans) as R] };
    }
  }
}

type SqliteValue = null | number | bigint | string | Uint8Array;

function bindable(value: unknown): SqliteValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value as SqliteValue;
}

/** node:sqlite returns null-prototype objects; give callers ordinary ones, with booleans as booleans. */
function plainRow(row: unknown, booleans: string[]): Record<string, unknown> {
  const plain: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const name of booleans) if (plain[name] !== null && plain[name] !== undefined) plain[name] = plain[name] === 1;
  return plain;
}
