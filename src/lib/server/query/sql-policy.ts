/**
 * The one place that decides which user SQL may run, on DuckDB's own parse tree (json_serialize_sql), so
 * quoting tricks cannot hide a file read or a setting. Returns a message for the user, or null when allowed.
 */

/** Scalar functions that reveal the engine's settings or environment. */
const FORBIDDEN_FUNCTIONS = new Set(['current_setting', 'getvariable', 'getenv', 'current_setting_value', 'duckdb_api']);

interface Node {
  [key: string]: unknown;
}

/**
 * How the messages name what may be read. The SQL sandbox's wording is the default; the pipeline runner checks
 * transform.sql with the same policy, its own relations (`source` and declared inputs) and its own wording.
 */
export interface PolicyWording {
  /** Completes "table functions such as read_csv(…) are not allowed; …". */
  readInstead: string;
  /** Completes "unknown table "x"; …". */
  knownTables: string;
}

export const SANDBOX_WORDING: PolicyWording = {
  readInstead: 'read a dataset by its name, e.g. SELECT * FROM "kecamatan-bandung"',
  knownTables: 'the tables are the public datasets, named by their id (see /api/v1/datasets)',
};

export function checkSqlTree(tree: Node, tables: ReadonlySet<string>, wording: PolicyWording = SANDBOX_WORDING): string | null {
  if (tree.error) {
    const message = String(tree.error_message ?? 'cannot parse the query');
    if (/Only SELECT statements/i.test(message)) {
      return 'only SELECT queries are allowed (no COPY, ATTACH, INSTALL, LOAD, SET, PRAGMA, CALL, CREATE, INSERT, UPDATE, DELETE…)';
    }
    return message;
  }
  const statements = tree.statements as Node[] | undefined;
  if (!statements || statements.length !== 1) return `send exactly one statement; found ${statements?.length ?? 0}`;
  const lowerTables = new Set([...tables].map((t) => t.toLowerCase()));
  let problem: string | null = null;
  // CTE names are only visible inside the query that defines them: `FROM pg_settings` elsewhere must not pass
  // because some unrelated subquery happens to define a CTE of that name.
  walk(statements[0]!, new Set(), (node, ctes) => {
    if (problem) return;
    if (node.type === 'TABLE_FUNCTION') {
      const name = functionName(node.function);
      problem = `table functions such as ${name}(…) are not allowed; ${wording.readInstead}`;
    } else if (node.type === 'BASE_TABLE') {
      const name = String(node.table_name ?? '');
      const qualified = Boolean(node.schema_name) || Boolean(node.catalog_name);
      if (qualified || (!lowerTables.has(name.toLowerCase()) && !ctes.has(name.toLowerCase()))) {
        problem = `unknown table "${[node.catalog_name, node.schema_name, name].filter(Boolean).join('.')}"; ${wording.knownTables}`;
      }
    } else if (node.class === 'FUNCTION' && FORBIDDEN_FUNCTIONS.has(String(node.function_name).toLowerCase())) {
      problem = `the function ${String(node.function_name)}() is not allowed: settings and the environment are not readable`;
    }
  });
  return problem;
}

function functionName(fn: unknown): string {
  const f = fn as { function_name?: string } | undefined;
  return f?.function_name ?? 'this';
}

/** Visits every node with the CTE names in scope there (a query's CTEs are in scope in the whole query, themselves included, for recursive CTEs). */
function walk(node: unknown, ctes: ReadonlySet<string>, visit: (node: Node, ctes: ReadonlySet<string>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, ctes, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const map = ((node as Node).cte_map as { map?: { key: string }[] } | undefined)?.map;
  const scope = map && map.length > 0 ? new Set([...ctes, ...map.map((entry) => entry.key.toLowerCase())]) : ctes;
  visit(node as Node, scope);
  for (const value of Object.values(node)) walk(value, scope, visit);
}
