import { BodyTooLargeError, MAX_BODY_BYTES, readBodyText } from '../http/body.ts';
import { problem, type Problem } from '../validation/problem.ts';

/**
 * The parameters of a SQL request, wherever the client put them: the query string (GET, shareable URLs), a JSON
 * object body, or a form body (POST, for queries too long for a URL). Values of the body win over the URL's.
 */
export async function readSqlParams(request: Request, url: URL): Promise<{ params: URLSearchParams; problems: Problem[] }> {
  const params = new URLSearchParams(url.searchParams);
  if (request.method !== 'POST') return { params, problems: [] };
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.includes('application/json')) {
      const body = JSON.parse(await readBodyText(request)) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return { params, problems: [problem('body', 'problem.body.not_object')] };
      for (const [key, value] of Object.entries(body)) {
        if (value !== null && value !== undefined) params.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
      }
    } else if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      const form = await new Response(await readBodyText(request), { headers: { 'content-type': type } }).formData();
      for (const [key, value] of form) if (typeof value === 'string') params.set(key, value);
    } else {
      return { params, problems: [problem('body', 'problem.body.content_type', { type: type || 'none' })] };
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { params, problems: [problem('body', 'problem.body.too_large', { max: MAX_BODY_BYTES })] };
    return { params, problems: [problem('body', 'problem.body.unreadable')] };
  }
  return { params, problems: [] };
}

/** One of `allowed`, or the fallback when absent; a problem otherwise. */
export function choice<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[], fallback: T, problems: Problem[]): T {
  const value = params.get(name) || fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(problem(name, 'problem.param.one_of', { name, allowed: allowed.join(', '), value }));
  return fallback;
}
