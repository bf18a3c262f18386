import { t, type Locale } from '../../i18n/index.ts';
import { displayName } from '../auth/user.ts';
import { deployment } from '../config/deployment.ts';
import { db } from '../db/store.ts';
import { listUpdates } from './updates.ts';
import type { Stage } from './vocabulary.ts';

/**
 * The Badami board as an Atom feed (RFC 4287): the latest progress updates and stage moves of every innovation, newest
 * first. Every piece of text people wrote is XML-escaped; an update's body goes in as its sanitised HTML, escaped
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

export async function badamiFeed(origin: string, locale: Locale): Promise<string> {
  const updates = await listUpdates(null, LIMIT);
  const moves = await db()
    .selectFrom('badami_transition as tr')
    .innerJoin('badami_innovation as i', 'i.id', 'tr.innovation_id')
    .leftJoin('auth_user as u', 'u.id', 'tr.actor_id')
    .select(['tr.id', 'tr.innovation_id', 'tr.from_stage', 'tr.to_stage', 'tr.note', 'tr.at', 'i.title', 'u.name', 'u.deleted_at'])
    .where('tr.from_stage', 'is not', null)
    .orderBy('tr.at', 'desc')
    .limit(LIMIT)
    .execute();
  const ids = [...new Set(updates.map((u) => u.innovation_id))];
  const titles = new Map(ids.length ? (await db().selectFrom('badami_innovation').select(['id', 'title']).where('id', 'in', ids).execute()).map((r) => [r.id, r.title]) : []);
  const authorIds = [...new Set(updates.map((u) => u.author_id))];
  const authors = new Map(
    authorIds.length ? (await db().selectFrom('auth_user').select(['id', 'name', 'deleted_at']).where('id', 'in', authorIds).execute()).map((r) => [r.id, displayName({ name: r.name ?? '', deleted: r.deleted_at !== null }, locale)]) : [],
  );
  const stage = (s: string | null) => t(locale, `badami.stage.${(s ?? 'ide') as Stage}`);
  const entries: Entry[] = [
    ...updates.map((u) => ({
      id: `${origin}/badami/innovations/${u.innovation_id}#update-${u.id}`,
      title: `${titles.get(u.innovation_id) ?? ''}: ${u.title}`,
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
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`,
    `  <id>${text(`${origin}/badami`)}</id>`,
    `  <title>${text(`${t(locale, 'badami.title')} · ${portal}`)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${text(portal)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${text(`${origin}/badami/feed.xml`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${text(`${origin}/badami`)}"/>`,
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
