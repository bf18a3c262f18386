import { BodyTooLargeError, readBodyText } from '../http/body.ts';
import { CkanError, invalid } from './envelope.ts';

/**
 * Action parameters as CKAN reads them: the query string for GET (every value a string, lists and objects
 * JSON-encoded, as ckanapi sends them), a JSON object body for POST (values keep their JSON types), or a
 * form body from older clients. The getters accept both spellings and reject anything else with a 409
 * Validation Error that names the parameter.
 */
export type Params = Record<string, unknown>;

export async function readParams(request: Request, url: URL): Promise<Params> {
  const params = fromSearchParams(url.searchParams);
  if (request.method !== 'POST') return params;
  const type = request.headers.get('content-type') ?? '';
  let text: string;
  try {
    text = await readBodyText(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new CkanError('Bad request', `Bad request - ${error.message}`);
    throw error;
  }
  // `curl -d '{"id": …}'` sends JSON labelled as a form; CKAN reads it as JSON, so do we.
  if (type.includes('application/x-www-form-urlencoded') && !text.trim().startsWith('{')) {
    return { ...params, ...fromSearchParams(new URLSearchParams(text)) };
  }
  if (text.trim() === '') return params;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new CkanError('Bad request', `Bad request - JSON Error: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CkanError('Bad request', `Bad request - JSON Error: Request data JSON decoded to ${JSON.stringify(body)?.slice(0, 40)} but it needs to be a dictionary.`);
  }
  return { ...params, ...(body as Params) };
}

/** A repeated key (`facet.field=a&facet.field=b`, what requests sends for a list) becomes a list. */
function fromSearchParams(search: URLSearchParams): Params {
  const params: Params = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    params[key] = values.length === 1 ? values[0] : values;
  }
  return params;
}

export function text(p: Params, name: string): string | undefined {
  const value = p[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid(name, 'Must be a string');
}

export function required(p: Params, name: string): string {
  const value = text(p, name);
  if (value === undefined || value.trim() === '') throw invalid(name, 'Missing value');
  return value.trim();
}

export function integer(p: Params, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const raw = p[name];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n)) throw invalid(name, 'Invalid integer');
  if (range.min !== undefined && n < range.min) throw invalid(name, range.min === 0 ? 'Must be a natural number' : `Must be at least ${range.min}`);
  return range.max !== undefined ? Math.min(n, range.max) : n;
}

export function bool(p: Params, name: string, fallback: boolean): boolean {
  const raw = p[name];
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).trim().toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(s)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(s)) return false;
  throw invalid(name, 'Must be a boolean (true or false)');
}

/** A JSON value given either as JSON (POST) or as JSON text (GET). */
export function json(p: Params, name: string): unknown {
  const raw = p[name];
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid(name, `Cannot parse JSON: ${raw.slice(0, 80)}`);
  }
}

/** A list of strings: a JSON list, JSON list text, or comma-separated text (CKAN accepts all three). */
export function list(p: Params, name: string): string[] | undefined {
  const raw = p[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') value = raw.trim().startsWith('[') ? json(p, name) : raw.split(',');
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(name, 'Must be a list of strings');
  return (value as string[]).map((v) => v.trim()).filter(Boolean);
}
