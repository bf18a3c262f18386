import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seriousViolations } from './axe.ts';
import { configWithCommunity } from '../helpers/community.ts';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { HOSTILE_MARKDOWN, MARKER } from '../fixtures/hostile-markdown.ts';
import { Client, seedUser } from '../integration/auth-helpers.ts';
import { launchChromium } from './site-fixture.ts';

/**
 * Discussions in Chromium: a hostile Markdown corpus posted as comments and previewed runs nothing (no dialog, no
 * console marker, no Content-Security-Policy violation, no dangerous element or attribute in the rendered
 * comments), and the thread, notifications, settings and moderation pages are axe clean with every control open.
 */
const THREAD = '/discussions/dataset/penduduk-kecamatan';
const password = 'sandi peramban yang panjang';
let root: string;
let server: TestServer;
let browser: Browser;
const clients: Record<string, Client> = {};

beforeAll(async () => {
  root = makeTempDir('kota-community-browser-');
  const dataDir = path.join(root, 'data');
  await publishTestVersion(dataDir, { id: 'penduduk-kecamatan', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }] });
  const writers = ['penulis1', 'penulis2', 'penulis3', 'penulis4'];
  for (const who of writers) seedUser(dataDir, { email: `${who}@peramban.test`, name: `Penulis ${who.at(-1)}`, password });
  seedUser(dataDir, { email: 'pejabat@peramban.test', name: 'Pejabat Disdukcapil', password, role: 'official', scope: 'disdukcapil' });
  server = await startTestServer({ dataDir, env: { KOTA_CONFIG: configWithCommunity(root, { hold_new_accounts: { younger_than_days: 3, first_comments: 0 } }) } });
  for (const who of [...writers, 'pejabat']) {
    clients[who] = new Client(server.url);
    await clients[who]!.logIn(`${who}@peramban.test`, password);
  }
  // Each hostile entry as a comment of its own (spread over four accounts: a burst of 10 each is allowed).
  for (const [i, body] of HOSTILE_MARKDOWN.entries()) {
    const reply = await clients[writers[i % writers.length]!]!.post(`${THREAD}?_action=community.postComment`, { subject: 'dataset:penduduk-kecamatan', body });
    expect(reply.status, body).toBe(200);
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(root);
});

/** A browser context signed in as `who` (the session cookie of a client that logged in), or anonymous. */
async function contextFor(who?: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  if (who) {
    const { hostname } = new URL(server.url);
    await context.addCookies([...clients[who]!.cookies].map(([name, value]) => ({ name, value, domain: hostname, path: '/' })));
  }
  return context;
}

interface Watch {
  dialogs: string[];
  markers: string[];
  violations(): Promise<string[]>;
}

/** Records dialogs, console lines carrying the marker, and every CSP violation the page reports. */
async function watch(page: Page): Promise<Watch> {
  const dialogs: string[] = [];
  const markers: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.text().includes(MARKER)) markers.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = ((globalThis as unknown as { __violations: string[] }).__violations = []);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { dialogs, markers, violations: () => page.evaluate(() => (globalThis as unknown as { __violations: string[] }).__violations) };
}

/** Anything dangerous that made it into rendered user Markdown on the page. */
function dangerousMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const root of document.querySelectorAll('.markdown')) {
      for (const el of root.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'form', 'base', 'meta', 'link', 'input', 'button'].includes(tag)) found.push(`<${tag}>`);
        for (const attr of el.attributes) {
          if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'srcdoc') found.push(`${tag}[${attr.name}]`);
          if ((attr.name === 'href' || attr.name === 'src') && /^\s*(javascript|data|vbscript):/i.test(attr.value)) found.push(`${tag}[${attr.name}=${attr.value}]`);
        }
        if (tag === 'img' && !/^\/uploads\/[a-z0-9]+$/.test(el.getAttribute('src') ?? '')) found.push(`img[src=${el.getAttribute('src')}]`);
        if (tag === 'a' && el.getAttribute('rel') !== 'nofollow ugc noopener') found.push(`a without rel`);
      }
    }
    return found;
  });
}

describe('hostile Markdown runs nothing in Chromium', () => {
  test('posted as comments: no dialog, no marker, no CSP violation, nothing dangerous in the page', async () => {
    const context = await contextFor();
    const page = await context.newPage();
    const seen = await watch(page);
    await page.goto(`${server.url}${THREAD}`);
    await page.waitForLoadState('load');
    // Hover and focus every link and image in the comments, as a reader would.
    for (const link of await page.locator('.markdown a, .markdown img').all()) await link.hover();
    expect(await page.locator('article.comment').count()).toBe(HOSTILE_MARKDOWN.length);
    expect(await dangerousMarkup(page)).toEqual([]);
    expect(seen.dialogs).toEqual([]);
    expect(seen.markers).toEqual([]);
    expect(await seen.violations()).toEqual([]);
    // The page is still the page: the heading a comment tried to claim stays below the real one.
    expect(await page.locator('h1').allTextContents()).toEqual(['Diskusi: Jumlah Penduduk per Kecamatan']);
    expect(await page.locator('.markdown h1, .markdown h2, .markdown h3').count()).toBe(0);
    await context.close();
  });

  test('previewed all at once: the same', async () => {
    const context = await contextFor('pejabat');
    const page = await context.newPage();
    const seen = await watch(page);
    await page.goto(`${server.url}${THREAD}`);
    await page.locator('#comment-body-new').fill(HOSTILE_MARKDOWN.join('\n\n'));
    await page.getByRole('button', { name: 'Pratinjau' }).last().click();
    await page.waitForLoadState('load');
    expect(await page.locator('.comment-preview .markdown').count()).toBe(1);
    expect(await page.locator('#comment-body-new').inputValue()).toContain('<script>');
    expect(await dangerousMarkup(page)).toEqual([]);
    expect(seen.dialogs).toEqual([]);
    expect(seen.markers).toEqual([]);
    expect(await seen.violations()).toEqual([]);
    await context.close();
  });
});

describe('discussion pages are accessible (axe: no serious or critical violation)', () => {
  /** Opens every disclosure (reply, edit, report, moderate) so the forms inside are checked too. */
  async function openAll(page: Page): Promise<void> {
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
  }

  test.each([
    { who: undefined, path: THREAD, name: 'thread, visitor' },
    { who: 'penulis1', path: THREAD, name: 'thread, writer' },
    { who: 'pejabat', path: THREAD, name: 'thread, moderator and official' },
    { who: 'pejabat', path: `${THREAD}?lang=en`, name: 'thread, English' },
    { who: 'penulis1', path: '/notifications', name: 'notifications' },
    { who: 'penulis1', path: '/notifications/settings', name: 'notification settings' },
    { who: 'pejabat', path: '/moderation', name: 'moderation queue' },
  ])('$name', async ({ who, path: target }) => {
    if (target === '/moderation') {
      // Something in the queue: a reported comment.
      const ids = [...(await clients.penulis2!.get(THREAD)).text.matchAll(/<article id="comment-([a-z0-9]+)"/g)].map((m) => m[1]!);
      await clients.penulis2!.post(`${THREAD}?_action=community.flagComment`, { id: ids[0]!, reason: 'abuse' });
    }
    const context = await contextFor(who);
    const page = await context.newPage();
    await page.goto(`${server.url}${target}`);
    await openAll(page);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  test('a reply works by keyboard alone, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const { hostname } = new URL(server.url);
    await context.addCookies([...clients.penulis3!.cookies].map(([name, value]) => ({ name, value, domain: hostname, path: '/' })));
    const page = await context.newPage();
    await page.goto(`${server.url}${THREAD}`);
    const first = page.locator('article.comment').first();
    await first.locator('summary', { hasText: 'Balas' }).focus();
    await page.keyboard.press('Enter');
    await first.getByLabel('Balasan Anda').fill('Balasan lewat papan ketik');
    await first.getByRole('button', { name: 'Kirim balasan' }).press('Enter');
    await page.waitForLoadState('load');
    // Shown once, as a reply nested under the first comment, with a note for the screen reader's status region.
    expect(await page.locator('.comments > li').first().locator('.replies .markdown', { hasText: 'Balasan lewat papan ketik' }).count()).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'Komentar Anda terkirim.' }).count()).toBe(1);
    await context.close();
  });
});
