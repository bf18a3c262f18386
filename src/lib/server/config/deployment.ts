import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { badamiConfigSchema } from '../badami/config.ts';
import { communityConfigSchema } from '../community/config.ts';
import { configPath } from './paths.ts';
import { formatZodIssues } from '../validation/zod-issues.ts';
import { savedQueriesSchema } from '../query/saved-query-schema.ts';
import { t } from '../../i18n/index.ts';

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #0b5cad');

export const opdSchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(2),
  name_en: z.string().min(2).optional(),
});

/** A published dataset of boundaries: which column holds the Kemendagri code and which the name. */
const boundarySchema = z.object({ dataset: z.string(), code: z.string(), name: z.string() });

/** A topic the catalog groups datasets under: `id` is the word pipeline specs use in `topics:`. */
export const topicSchema = z.object({
  id: z.string().min(2),
  name: z.string().min(2),
  name_en: z.string().min(2).optional(),
  /** An icon name from src/components/ui/icons.ts (e.g. "users", "heart-pulse"); a generic one when absent. */
  icon: z.string().optional(),
});

export const deploymentSchema = z.object({
  city: z.object({
    name: z.string().min(2),
    short_name: z.string().min(2),
    region_code: z.string().regex(/^\d{2}(\d{2})?$/, 'a BPS/Kemendagri region code such as "3273"'),
    province: z.string().min(2),
    portal_name: z.string().min(2),
    /** The public address of this portal (scheme + host). Links in e-mails are built from it, never from the
     *  request's Host header; without it, only a request to localhost may build them (the embedded demo). */
    portal_url: z.url({ protocol: /^https?$/ }).optional(),
    /** The city's mark, from public/ (SVG or PNG); the neutral default ships with the project. */
    logo: z.string().default('/logo.svg'),
    favicon: z.string().default('/favicon.ico'),
    /** The line above the portal name in the header, e.g. "Pemerintah Kota Bandung"; defaults to "Pemerintah {name}". */
    government: z.string().min(2).optional(),
    government_en: z.string().min(2).optional(),
    colors: z.object({ primary: hexColor, accent: hexColor }).default({ primary: '#0b5cad', accent: '#f2a900' }),
  }),
  default_locale: z.enum(['id', 'en']).default('id'),
  locales: z.array(z.enum(['id', 'en'])).min(1).default(['id', 'en']),
  contact: z.object({ name: z.string(), email: z.email(), url: z.url().optional() }),
  lake: z.object({ keep_versions: z.number().int().min(0).default(0) }).default({ keep_versions: 0 }),
  pipelines: z
    .object({
      /** A new version with more than this share fewer rows than the current one is held until `run --force`. */
      max_row_drop: z.number().min(0).max(1).default(0.5),
      /** Scheduled runs still going after this many minutes are stopped (a spec's run_timeout_minutes wins). */
      run_timeout_minutes: z.number().positive().default(60),
    })
    .strict()
    .default({ max_row_drop: 0.5, run_timeout_minutes: 60 }),
  /** Comments, moderation, notifications and uploads (src/lib/server/community/config.ts). */
  community: communityConfigSchema,
  /** When an innovation on the Badami board counts as at risk or stalled (src/lib/server/badami/config.ts). */
  badami: badamiConfigSchema,
  /** Saved SQL queries of the portal (query/saved-query-schema.ts), each with its page /sql/<name> and API URL. */
  queries: savedQueriesSchema.default([]),
  /** The reference boundaries maps join region codes to, per level (datasets in the lake with a geometry column). */
  boundaries: z
    .object({ kecamatan: boundarySchema, kelurahan: boundarySchema })
    .default({
      kecamatan: { dataset: 'batas-kecamatan', code: 'kode_kecamatan', name: 'nama_kecamatan' },
      kelurahan: { dataset: 'batas-kelurahan', code: 'kode_kelurahan', name: 'nama_kelurahan' },
    }),
  opds: z
    .array(opdSchema)
    .min(1)
    .refine((list) => new Set(list.map((o) => o.code)).size === list.length, 'OPD codes must be unique'),
  /** Display names (and icons) of the topics pipeline specs use; a topic not listed here is shown as written. */
  topics: z
    .array(topicSchema)
    .default([])
    .refine((list) => new Set(list.map((t) => t.id)).size === list.length, 'topic ids must be unique'),
});

export type Deployment = z.infer<typeof deploymentSchema>;
export type Opd = z.infer<typeof opdSchema>;
export type Topic = z.infer<typeof topicSchema>;

export class ConfigError extends Error {}

let cached: { file: string; text: string; value: Deployment } | undefined;

// Pages call deployment() many times each; resolving configPath() reads and validates every environment variable
// twice (each process.env read is a lookup in C++): about a tenth of an idea page's server CPU in a profile of
// `npm run bench -- datathon`. The path is kept while the raw values it derives from are unchanged.
let lastPath: { raw: string; file: string } | undefined;

function currentConfigPath(): string {
  const { KOTA_CONFIG, KOTA_ROOT } = process.env;
  const raw = `${KOTA_CONFIG}\u0001${KOTA_ROOT}\u0001${process.cwd()}`;
  if (lastPath?.raw !== raw) lastPath = { raw, file: configPath() };
  return lastPath.file;
}

/** The validated deployment configuration; a bad file fails loudly with the key path and what was expected. */
export function deployment(): Deployment {
  const file = currentConfigPath();
  if (cached?.file === file) return cached.value;
  const text = readConfig(file);
  cached = { file, text, value: parseDeployment(file, text) };
  return cached.value;
}

/**
 * For the long-running server (its catalog sync loop calls this every 2 s): re-reads the config when the file's
 * text changed, so an OPD added to kota.config.yaml is named on the pages, the API and CKAN without a restart.
 * A file that no longer validates is reported once and the running configuration kept.
 */
export function reloadDeploymentIfChanged(): 'unchanged' | 'reloaded' | { error: string } {
  const file = configPath();
  if (cached?.file !== file) {
    cached = undefined;
    deployment();
    return 'reloaded';
  }
  let text: string;
  try {
    text = readConfig(file);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (text === cached.text) return 'unchanged';
  const previous = cached;
  cached = { ...previous, text };
  try {
    cached = { file, text, value: parseDeployment(file, text) };
    return 'reloaded';
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function readConfig(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the deployment config: ${(error as Error).message}`);
  }
}

function parseDeployment(file: string, text: string): Deployment {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the deployment config: ${(error as Error).message}`);
  }
  const result = deploymentSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`${file}: invalid deployment config\n${formatZodIssues(result.error.issues).join('\n')}`);
  }
  return result.data;
}

export function findOpd(code: string): Opd | undefined {
  return deployment().opds.find((o) => o.code === code);
}

/**
 * What to call an OPD: its names from the config, or — for a code the config does not list (yet) — words saying
 * so in both languages; a bare code is never shown as if it were a name.
 */
export function opdNames(code: string): { code: string; name: string; name_en: string | null; registered: boolean } {
  const opd = findOpd(code);
  if (opd) return { code, name: opd.name, name_en: opd.name_en ?? null, registered: true };
  return { code, name: t('id', 'opd.unregistered', { code }), name_en: t('en', 'opd.unregistered', { code }), registered: false };
}

export function findTopic(id: string): Topic | undefined {
  return deployment().topics.find((t) => t.id === id);
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The origin for links that leave the site (e-mails): the configured portal_url, or — only for a request to this
 * machine itself — the request's origin. A Host header is chosen by the client, so anything else is refused:
 * otherwise a forged Host would put an attacker's address into a victim's password-reset link.
 */
export function linkOrigin(requestOrigin: string): string {
  const configured = deployment().city.portal_url;
  if (configured) return new URL(configured).origin;
  const url = new URL(requestOrigin);
  if (LOCAL_HOSTS.has(url.hostname)) return url.origin;
  throw new ConfigError(`city.portal_url is not set in the deployment config; e-mail links cannot be built for requests to "${url.host}"`);
}
