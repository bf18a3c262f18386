import { t, type Locale } from '../../i18n/index.ts';
import { displayName } from '../auth/user.ts';
import { deployment } from '../config/deployment.ts';
import { db } from '../db/store.ts';
import type { Stage } from './vocabulary.ts';

/**
 * The Badami board as an Atom feed (RFC 4287): the latest progress updates and stage moves, newest first — of every
 * innovation (`/badami/feed.xml`), of one OPD's (`?opd=dinkes`) or of one innovation (`/badami/innovations/<id>/feed.xml`). Every piece of text people wrote is XML-escaped; an update's body goes in as its sanitised HTML, escaped
 * (type="html"), so a feed reader shows what the site shows.
 */
const LIMIT = 50;

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
// Characters XML 1.0 does not allow at all (control characters other than tab and newlines).
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
const text = (s: string) => escapeXml(clean(s));

interface Entry {
  id: string;
  title: string;
  url: string;
  at: number;
  author: string;
  html: string;
}

/** Which entries a feed holds, with its own address and the page it stands for. */
export type FeedScope = { kind: 'city' } | { kind: 'opd'; opd: string; name: string } | { kind: 'innovation'; id: string; title: string };

export async function badamiFeed(origin: string, locale: Locale, scope: FeedScope = { kind: 'city' }): Promise<string> {
  const updates = await db()
    .selectFrom('badami_update as up')
    .innerJoin('badami_innovation as i', 'i.id', 'up.innovation_id')
    .select(['up.id', 'up.innovation_id', 'up.author_id', 'up.title', 'up.body_html', 'up.posted_at', 'i.title as innovation_title'])
    .$if(scope.kind === 'opd', (q) => q.where('i.opd', '=', (scope as { opd: string }).opd))
    .$if(scope.kind === 'innovation', (q) => q.where('up.innovation_id', '=', (scope as { id: string }).id))
    .orderBy('up.posted_at', 'desc')
    .orderBy('up.id', 'desc')
    .limit(LIMIT)
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, id: Number(r.id), posted_at: Number(r.posted_at) })));
  const moves = await db()
    .selectFrom('badami_transition as tr')
    .innerJoin('badami_innovation as i', 'i.id', 'tr.innovation_id')
    .leftJoin('auth_user as u', 'u.id', 'tr.actor_id')
    .select(['tr.id', 'tr.innovation_id', 'tr.from_stage', 'tr.to_stage', 'tr.note', 'tr.at', 'i.title', 'u.name', 'u.deleted_at'])
    .where('tr.from_stage', 'is not', null)
    .$if(scope.kind === 'opd', (q) => q.where('i.opd', '=', (scope as { opd: string }).opd))
    .$if(scope.kind === 'innovation', (q) => q.where('tr.innovation_id', '=', (scope as { id: string }).id))
    .orderBy('tr.at', 'desc')
    .limit(LIMIT)
    .execute();
  const authorIds = [...new Set(updates.map((u) => u.author_id))];
  const authors = new Map(
    authorIds.length ? (await db().selectFrom('auth_user').select(['id', 'name', 'deleted_at']).where('id', 'in', authorIds).execute()).map((r) => [r.id, displayName({ name: r.name ?? '', deleted: r.deleted_at !== null }, locale)]) : [],
  );
  const stage = (s: string | null) => t(locale, `badami.stage.${(s ?? 'ide') as Stage}`);
  const entries: Entry[] = [
    ...updates.map((u) => ({
      id: `${origin}/badami/innovations/${u.innovation_id}#update-${u.id}`,
      title: `${u.innovation_title}: ${u.title}`,
      url: `${origin}/badami/innovations/${u.innovation_id}#update-${u.id}`,
      at: u.posted_at,
      author: authors.get(u.author_id) ?? displayName(null, locale),
      html: u.body_html,
    })),
    ...moves.map((m) => ({
      id: `${origin}/badami/innovations/${m.innovation_id}#transition-${m.id}`,
      title: `${m.title}: ${t(locale, 'badami.timeline.move', { from: stage(m.from_stage), to: stage(m.to_stage) })}`,
      url: `${origin}/badami/innovations/${m.innovation_id}#transition-${m.id}`,
      at: Number(m.at),
      author: displayName(m.name === null ? null : { name: m.name, deleted: m.deleted_at !== null }, locale),
      html: `<p>${text(m.note)}</p>`,
    })),
  ]
    .sort((a, b) => b.at - a.at)
    .slice(0, LIMIT);
  const updated = new Date(entries[0]?.at ?? 0).toISOString();
  const portal = deployment().city.portal_name;
  const where =
    scope.kind === 'opd'
      ? { self: `/badami/feed.xml?opd=${encodeURIComponent(scope.opd)}`, page: `/badami?opd=${encodeURIComponent(scope.opd)}`, title: `${scope.name} · ${t(locale, 'badami.title')}` }
      : scope.kind === 'innovation'
        ? { self: `/badami/innovations/${scope.id}/feed.xml`, page: `/badami/innovations/${scope.id}`, title: `${scope.title} · ${t(locale, 'badami.title')}` }
        : { self: '/badami/feed.xml', page: '/badami', title: t(locale, 'badami.title') };
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`,
    `  <id>${text(`${origin}${where.page}`)}</id>`,
    `  <title>${text(`${where.title} · ${portal}`)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${text(portal)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${text(`${origin}${where.self}`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${text(`${origin}${where.page}`)}"/>`,
    ...entries.map((e) =>
      [
        '  <entry>',
        `    <id>${text(e.id)}</id>`,
        `    <title>${text(e.title)}</title>`,
        `    <updated>${new Date(e.at).toISOString()}</updated>`,
        `    <author><name>${text(e.author)}</name></author>`,
        `    <link rel="alternate" type="text/html" href="${text(e.url)}"/>`,
        `    <content type="html">${text(e.html)}</content>`,
        '  </entry>',
      ].join('\n'),
    ),
    '</feed>',
    '',
  ].join('\n');
}
