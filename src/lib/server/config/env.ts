import { z } from 'zod';
import { parseTrustedProxies } from '../http/request-site.ts';

/**
 * Every environment variable the platform reads, in one validated place. A bad value fails with the variable's
 * name and what was expected (`PORT: expected an integer from 1 to 65535, found "80a"`). README's table of
 * variables is `envMarkdownTable()` (tests/unit/env.test.ts checks that README lists every variable).
 *
 * Read when called, not at import: tests and CLIs set variables per process, so the parsed result is cached
 * only while the raw values stay the same.
 */

const positiveInt = (what: string) =>
  z
    .string()
    .regex(/^\d+$/, `expected ${what}`)
    .transform(Number)
    .refine((n) => n > 0, `expected ${what}`);
const positiveNumber = (what: string) =>
  z
    .string()
    .transform(Number)
    .refine((n) => Number.isFinite(n) && n > 0, `expected ${what}`);
const onOff = z.enum(['on', 'off']);
const bytes = z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|KiB|MiB|GiB)$/i, 'expected a size such as 768MB or 1GB');

export const envSchema = z.object({
  // Where things are
  KOTA_ROOT: z.string().optional().describe('Project root that relative paths resolve against (default: the working directory)'),
  DATA_DIR: z.string().default('data').describe('Mutable state: the lake, run history, app.sqlite, catalog.duckdb, caches (relative to KOTA_ROOT)'),
  PIPELINES_DIR: z.string().default('pipelines').describe('Folder of pipeline specs'),
  KOTA_CONFIG: z.string().default('kota.config.yaml').describe('Deployment configuration file'),
  KOTA_APP_ROOT: z.string().optional().describe('Where the source tree is, for worker scripts (default: the working directory)'),
  KOTA_DIST_DIR: z.string().optional().describe('Build folder inside the repository (default dist; parallel test runs use their own)'),
  // Serving
  HOST: z.string().default('0.0.0.0').describe('Address the server listens on'),
  PORT: z
    .string()
    .default('4321')
    .pipe(z.string().regex(/^\d{1,5}$/, 'expected an integer from 1 to 65535').transform(Number).refine((n) => n >= 1 && n <= 65535, 'expected an integer from 1 to 65535'))
    .describe('Port the server listens on'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional()
    .describe('PostgreSQL for app state (a fleet of servers); when unset, the embedded SQLite file DATA_DIR/app.sqlite'),
  DATABASE_POOL_SIZE: positiveInt('a positive integer').default(10).describe('PostgreSQL connections per server process (with DATABASE_URL)'),
  KOTA_CATALOG_INDEX: z
    .string()
    .optional()
    .describe('The catalog index, a DuckDB cache of the lake (default DATA_DIR/catalog.duckdb); each server of a fleet needs its own file'),
  KOTA_TRUSTED_PROXIES: z
    .string()
    .optional()
    .refine((text) => {
      try {
        parseTrustedProxies(text);
        return true;
      } catch {
        return false;
      }
    }, 'expected IP addresses or CIDR ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8')
    .describe('Reverse proxies (IPs or CIDR ranges, comma-separated) whose X-Forwarded-For/-Proto/-Host are believed; none by default'),
  KOTA_SCHEDULER: onOff.default('on').describe('off disables scheduled pipeline runs in this process'),
  KOTA_DEMO_CONTENT: onOff.default('off').describe('on seeds the labelled demo innovations of the Badami board at start, once (npm start turns it on)'),
  KOTA_PREWARM: onOff.default('on').describe('off disables writing whole-version downloads in the background after a publish'),
  KOTA_TABLE_CACHE: onOff.default('on').describe('off keeps datasets only in Parquet; on copies each current version into a native DuckDB table for fast filters and facets'),
  KOTA_RANGE_SUBSETS: onOff
    .default('on')
    .describe('off counts every filtered total and facet with DuckDB; on keeps subsets people filter by a range in memory, sorted, so the next range over them is counted there'),
  KOTA_TABLE_CACHE_MIN_ROWS: z
    .string()
    .regex(/^\d+$/, 'expected a whole number of rows')
    .transform(Number)
    .default(10_000)
    .describe('Datasets with fewer rows are read from Parquet only (already fast)'),
  KOTA_LOCALE: z.enum(['id', 'en']).optional().describe('Language of CLI output (default: the deployment default)'),
  // Limits
  KOTA_SQL_TIMEOUT_MS: positiveInt('a positive number of milliseconds').default(3000).describe('Time limit of one user SQL query'),
  KOTA_SQL_MEMORY: bytes.default('256MB').describe('DuckDB memory limit of a user SQL query'),
  KOTA_SQL_PROCESS_MB: positiveInt('a positive number of megabytes').default(640).describe('RSS at which a SQL worker process is killed'),
  KOTA_SQL_WORKERS: positiveInt('a positive integer').default(2).describe('SQL worker processes running at once'),
  KOTA_SQL_RESULT_MB: positiveInt('a positive number of megabytes').default(8).describe('Largest SQL answer shown or sent as rows (JSON size); beyond, the rows are cut and truncated is set'),
  KOTA_SQL_DOWNLOAD_TIMEOUT_MS: positiveInt('a positive number of milliseconds').default(30000).describe('Time limit of a full-result SQL download'),
  KOTA_SQL_DOWNLOAD_MB: positiveInt('a positive number of megabytes').default(512).describe('Largest full-result SQL download file'),
  KOTA_FACET_TIME_LIMIT_MS: positiveInt('a positive number of milliseconds')
    .default(1000)
    .describe('Time limit of one facet statement, and of reading a range subset; a facet past it is given up and said so (timed_out)'),
  KOTA_RUNNER_MEMORY: bytes.default('768MB').describe('DuckDB memory limit of a pipeline run'),
  KOTA_EXPORT_CACHE_MB: positiveInt('a positive number of megabytes')
    .default(2048)
    .describe('Size cap of the download cache (DATA_DIR/cache/exports); least recently used files go first'),
  KOTA_SHUTDOWN_GRACE_MS: positiveInt('a positive number of milliseconds')
    .default(10_000)
    .describe('On SIGTERM/SIGINT, how long in-flight requests may take to finish before they are cut'),
  KOTA_RETRY_BASE_MS: positiveInt('a positive number of milliseconds').default(500).describe('First back-off of URL source retries (doubles each try)'),
  // Accounts
  AUTH_SESSION_IDLE_HOURS: positiveNumber('a positive number of hours').default(14 * 24).describe('A session unused this long ends'),
  AUTH_SESSION_MAX_HOURS: positiveNumber('a positive number of hours').default(90 * 24).describe('No session lives longer than this'),
  AUTH_RATE_LIMIT_SCALE: positiveNumber('a positive number').default(1).describe('Multiplies every rate-limit refill interval (below 1 only in tests)'),
  // Mail
  SMTP_HOST: z.string().optional().describe('SMTP server; when unset, mail is printed to the server log'),
  SMTP_PORT: positiveInt('a port number').default(587).describe('SMTP port'),
  SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('true for implicit TLS (usually port 465)'),
  SMTP_USER: z.string().optional().describe('SMTP user'),
  SMTP_PASSWORD: z.string().optional().describe('SMTP password'),
  MAIL_FROM: z.string().default('Kota Terbuka <noreply@localhost>').describe('Sender of outgoing mail'),
  // Tests only
  KOTA_PAUSE_AT: z.string().optional().describe('Tests only: pause a pipeline run at a named publish step'),
});

export type Env = z.output<typeof envSchema>;

const NAMES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];
let cached: { key: string; env: Env } | undefined;
let frozen: Env | undefined;

/**
 * Reads and validates the environment once more, and from then on `env()` answers with that without looking at
 * `process.env` again. The server calls it at start: its environment does not change while it runs, and re-reading
 * some fifty variables on every `env()` (several per query) was over a tenth of a page's server CPU. In-process
 * tests that point `process.env` elsewhere between cases never freeze it.
 */
export function freezeEnv(): Env {
  frozen = undefined;
  frozen = env();
  return frozen;
}

/** The validated environment. Throws `EnvError` naming every bad variable. */
export function env(): Env {
  if (frozen) return frozen;
  const raw = Object.fromEntries(NAMES.map((name) => [name, process.env[name] === '' ? undefined : process.env[name]]));
  const key = NAMES.map((name) => raw[name] ?? '\0').join('\u0001');
  if (cached?.key === key) return cached.env;
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}, found "${raw[String(issue.path[0])] ?? ''}"`));
  }
  cached = { key, env: parsed.data };
  return parsed.data;
}

export class EnvError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid environment:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/** README's table of variables: one row per variable, from the schema's own descriptions. */
export function envMarkdownTable(): string {
  const rows = NAMES.map((name) => {
    const schema = envSchema.shape[name];
    const fallback = schema.safeParse(undefined);
    const shown = fallback.success && fallback.data !== undefined ? `\`${String(fallback.data)}\`` : '';
    return `| \`${name}\` | ${shown} | ${schema.description ?? ''} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
