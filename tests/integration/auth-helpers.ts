import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { nodeBinary } from '../../src/cli/node-binary.ts';
import { REPO_ROOT } from '../helpers/server.ts';

/**
 * Shared by the auth integration and e2e tests: accounts made with the real admin CLI, and a tiny cookie-keeping client that posts forms like a browser.
 */
export function adminCli(dataDir: string, args: string[], input = '', env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(nodeBinary(REPO_ROOT), [path.join(REPO_ROOT, 'src/cli/admin.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function seedUser(
  dataDir: string,
  user: { email: string; name: string; password: string; role?: string; scope?: string },
  env: Record<string, string> = {},
): void {
  const args = ['create-user', '--email', user.email, '--name', user.name];
  if (user.role) args.push('--role', user.role);
  if (user.scope) args.push('--scope', user.scope);
  const result = adminCli(dataDir, args, `${user.password}\n`, env);
  if (result.status !== 0) throw new Error(`admin create-user failed: ${result.stderr}${result.stdout}`);
}

export interface Reply {
  status: number;
  text: string;
  headers: Headers;
  location: string | null;
}

export class Client {
  readonly cookies = new Map<string, string>();
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(pathname: string, init: { method?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {}): Promise<Reply> {
    const method = init.method ?? (init.form ? 'POST' : 'GET');
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    if (method !== 'GET') Object.assign(headers, { origin: this.base, 'sec-fetch-site': 'same-origin' });
    let body: URLSearchParams | undefined;
    if (init.form) {
      body = new URLSearchParams();
      for (const [key, value] of Object.entries(init.form)) for (const v of [value].flat()) body.append(key, v);
    }
    Object.assign(headers, init.headers);
    const response = await fetchOnce(this.base + pathname, { method, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, text: await response.text(), headers: response.headers, location: response.headers.get('location') };
  }

  get(pathname: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request(pathname, { headers });
  }

  post(pathname: string, form: Record<string, string | string[]> = {}, headers?: Record<string, string>): Promise<Reply> {
    return this.request(pathname, { method: 'POST', form, headers });
  }

  async logIn(email: string, password: string): Promise<Reply> {
    const reply = await this.post('/login?_action=auth.login', { email, password });
    if (reply.status !== 303) throw new Error(`log-in of ${email} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
    return reply;
  }
}

/** The visible text of an HTML page, tags stripped and whitespace collapsed, for "what the user sees" checks. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The messages the server printed instead of sending (no SMTP), newest last: each from its `[mail]` line to `[/mail]`. */
export function printedMails(output: string): string[] {
  return [...output.matchAll(/\[mail\][^\n]*\n([\s\S]*?)\n\[\/mail\]/g)].map((m) => m[1]!);
}

/** The first link in the last printed mail to `email` whose body mentions `pathname`. */
export function printedLink(output: string, email: string, pathname: string): string | undefined {
  const mail = printedMails(output).filter((m) => m.includes(`To: ${email}`) && m.includes(pathname)).at(-1);
  return mail?.match(/https?:\/\/\S+/)?.[0];
}

/**
 * fetch, tried a second time when the kept-alive connection it reused was closed by the server at that moment (Node's
 * 5 s keep-alive timeout racing a request sent after a pause, e.g. while a CLI ran): a harness artefact, not an answer.
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = ((error as Error).cause as { code?: string } | undefined)?.code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw error;
    return fetch(url, init);
  }
}
