import { t, type Locale } from '../../i18n/index.ts';

/**
 * The one place that decides which user SQL may run. Two independent checks, both on DuckDB's own output so
 * that quoting tricks cannot hide anything:
 * 1. `sqlTreeProblem` reads the parse tree (json_serialize_sql): exactly one SELECT, tables only from the
 *    allowed set or a CTE that is really in scope there, no table functions, no setting/environment functions.
 * 2. `boundPlanProblem` reads the plan DuckDB actually bound (json_serialize_plan): every scan must be a
 *    read_parquet of an allowed file, and no forbidden function may be bound. A mistake in the first check alone
 *    (say, in CTE scoping) can then never expose a system view, a setting or a file.
 * Both take the allowed relations as arguments, so other callers (pipeline transforms) can reuse them with their
 * own set. Problems are codes with parameters; `describeSqlProblem` words them in the reader's language.
 */
export type SqlProblemCode =
  | 'parse'
  | 'not_select'
  | 'statements'
  | 'table_function'
  | 'unknown_table'
  | 'forbidden_function'
  | 'plan_unchecked'
  | 'plan_scan'
  | 'plan_file'
  | 'plan_operator';

export interface SqlProblem {
  code: SqlProblemCode;
  params: Record<string, string | number>;
}

/** Scalar functions that reveal the engine's settings or environment. */
const FORBIDDEN_FUNCTIONS = new Set(['current_setting', 'getvariable', 'getenv', 'current_setting_value', 'duckdb_api']);

interface Node {
  [key: string]: unknown;
}

const problem = (code: SqlProblemCode, params: SqlProblem['params'] = {}): SqlProblem => ({ code, params });

export function sqlTreeProblem(tree: Node, tables: ReadonlySet<string>): SqlProblem | null {
  if (tree.error) {
    const message = String(tree.error_message ?? 'cannot parse the query');
    return /Only SELECT statements/i.test(message) ? problem('not_select') : problem('parse', { message });
  }
  const statements = tree.statements as Node[] | undefined;
  if (!statements || statements.length !== 1) return problem('statements', { count: statements?.length ?? 0 });
  const allowed = new Set([...tables].map((name) => name.toLowerCase()));
  let found: SqlProblem | null = null;
  walkScoped(statements[0]!, new Set(), (node, ctes) => {
    if (found) return;
    if (node.type === 'TABLE_FUNCTION') {
      found = problem('table_function', { name: functionName(node.function) });
    } else if (node.type === 'BASE_TABLE') {
      const name = String(node.table_name ?? '');
      const qualified = Boolean(node.schema_name) || Boolean(node.catalog_name);
      if (qualified || (!allowed.has(name.toLowerCase()) && !ctes.has(name.toLowerCase()))) {
        found = problem('unknown_table', { name: [node.catalog_name, node.schema_name, name].filter(Boolean).join('.') });
      }
    } else if (node.type === 'SHOW_REF' && node.table_name) {
      // DESCRIBE/SUMMARIZE of a query carry it under `query` (checked like any other); SHOW TABLES and friends
      // name a catalog listing instead.
      found = problem('unknown_table', { name: String(node.table_name).replaceAll('"', '') });
    } else if (node.class === 'FUNCTION' && FORBIDDEN_FUNCTIONS.has(String(node.function_name).toLowerCase())) {
      found = problem('forbidden_function', { name: String(node.function_name) });
    }
  });
  return found;
}

function functionName(fn: unknown): string {
  const f = fn as { function_name?: string } | undefined;
  return f?.function_name ?? 'this';
}

/**
 * Visits every node with the CTE names in scope there, as DuckDB's binder resolves them (checked against the bound
 * plan by tests/integration/sql-scope-property.test.ts): the body of a query's i-th CTE sees the CTEs in scope
 * outside plus the query's CTEs 0..i-1 — not itself, not later ones; the rest of the query sees all of them; and
 * a recursive CTE (RECURSIVE_CTE_NODE) sees its own name in its recursive part (`right`) only. A name seen
 * anywhere else is not a CTE, so `WITH pg_settings AS (SELECT * FROM pg_settings)` reads the system view inside.
 */
function walkScoped(node: unknown, scope: ReadonlySet<string>, visit: (node: Node, ctes: ReadonlySet<string>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walkScoped(item, scope, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  visit(n, scope);
  let inner = scope;
  const entries = (n.cte_map as { map?: { key: string; value: unknown }[] } | undefined)?.map ?? [];
  for (const entry of entries) {
    walkScoped(entry.value, inner, visit);
    inner = new Set([...inner, entry.key.toLowerCase()]);
  }
  for (const [key, value] of Object.entries(n)) {
    if (key === 'cte_map') continue;
    const recursivePart = n.type === 'RECURSIVE_CTE_NODE' && key === 'right';
    walkScoped(value, recursivePart ? new Set([...inner, String(n.cte_name).toLowerCase()]) : inner, visit);
  }
}

/** Logical operators that write or change state; none can come from one SELECT, so any of them means refusal. */
const WRITING_OPERATOR = /^LOGICAL_(INSERT|UPDATE|DELETE|MERGE|COPY|CREATE|DROP|ALTER|ATTACH|DETACH|PRAGMA|SET|RESET|LOAD|EXPORT|VACUUM|TRANSACTION|PREPARE|EXECUTE|SIMPLE|EXTENSION|UPDATE_EXTENSIONS)/;

/** What a plan may scan: Parquet files (dataset views, which DuckDB inlines) and, for other callers, real tables. */
export interface AllowedScans {
  files: ReadonlySet<string>;
  /** Tables of the engine's own database (e.g. a pipeline's loaded `source`), by name. */
  tables?: ReadonlySet<string>;
}

/**
 * The second wall, on the plan DuckDB bound (`json_serialize_plan(sql)`). Scans (LOGICAL_GET) must be
 * read_parquet of allowed files or a sequential scan of an allowed table, and no forbidden function may be
 * bound. A plan DuckDB cannot serialize is refused: what cannot be checked does not run.
 */
export function boundPlanProblem(plan: Node, allowed: AllowedScans): SqlProblem | null {
  if (plan.error) {
    const message = String(plan.error_message ?? '');
    // A query the binder rejects would fail when run as well: say why, in DuckDB's words.
    if (plan.error_type === 'not implemented') return problem('plan_unchecked', { message });
    return problem('parse', { message });
  }
  let found: SqlProblem | null = null;
  const visit = (node: unknown): void => {
    if (found) return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'LOGICAL_GET') {
      const name = String(n.name ?? '');
      const data = (n.function_data ?? {}) as { files?: unknown; table?: unknown; schema?: unknown };
      if (name === 'seq_scan' && data.schema === 'main' && allowed.tables?.has(String(data.table))) {
        // an allowed table of the engine's own database
      } else if (name !== 'read_parquet') found = problem('plan_scan', { name: name === 'seq_scan' ? String(data.table) : name });
      else if (!Array.isArray(data.files) || data.files.length === 0 || data.files.some((file) => !allowed.files.has(String(file)))) found = problem('plan_file', {});
    } else if (typeof n.type === 'string' && WRITING_OPERATOR.test(n.type)) {
      found = problem('plan_operator', { name: n.type });
    } else if ((n.expression_class === 'BOUND_FUNCTION' || n.expression_class === 'BOUND_AGGREGATE') && FORBIDDEN_FUNCTIONS.has(String(n.name).toLowerCase())) {
      found = problem('forbidden_function', { name: String(n.name) });
    }
    if (!found) for (const value of Object.values(n)) visit(value);
  };
  visit(plan.plans);
  return found;
}

/** The problem in the reader's language, e.g. for the SQL page; English for logs and CLIs. */
export function describeSqlProblem(found: SqlProblem, locale: Locale = 'en'): string {
  return t(locale, `sql.problem.${found.code}`, found.params);
}

/** The policy's verdict as English text (or null when allowed), for callers that only need a message. */
export function checkSqlTree(tree: Node, tables: ReadonlySet<string>): string | null {
  const found = sqlTreeProblem(tree, tables);
  return found && describeSqlProblem(found);
}
