import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * The one way user Markdown becomes HTML (comments, submissions, innovation designs, progress updates).
 *
 * Two independent layers. markdown-it runs with raw HTML off, so `<script>` in the text comes out as text, and its
 * link validator drops javascript:/vbscript:/file:/data: targets. Then sanitize-html (a well-kept allowlist
 * sanitiser on a real HTML parser) re-reads the result and keeps only the tags, attributes and URL schemes below —
 * so a bug or plugin in the Markdown layer still cannot let a script, an event handler, a style, an iframe or an
 * SVG through. Links get rel="nofollow ugc noopener"; images load only from this site's /uploads/ (anything else
 * would let a commenter track readers), other images become plain links; headings are moved down three levels so a
 * comment cannot take over the page's outline.
 */
export const MARKDOWN_VERSION = 1;

const UPLOAD_IMAGE = /^\/uploads\/[a-z0-9]{8,64}$/;
const REL = 'nofollow ugc noopener';
const LINK = /^(https?:\/\/|mailto:|\/(?![/\\])|#)/i;
const HEADING_SHIFT: Record<string, string> = { h1: 'h4', h2: 'h5', h3: 'h6', h4: 'h6', h5: 'h6', h6: 'h6' };

const markdown = new MarkdownIt('default', { html: false, linkify: true, breaks: true, typographer: false, maxNesting: 20 });
const renderImage = markdown.renderer.rules.image!;
// An image from elsewhere is shown as a link to it, named by its alt text.
markdown.renderer.rules.image = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  const src = String(token.attrGet('src') ?? '');
  if (UPLOAD_IMAGE.test(src)) return renderImage(tokens, index, options, env, self);
  const label = self.renderInlineAsText(token.children ?? [], options, env) || src;
  return `<a href="${markdown.utils.escapeHtml(src)}">${markdown.utils.escapeHtml(label)}</a>`;
};

const policy: sanitizeHtml.IOptions = {
  // span: what a refused link becomes (transformTags below); without it sanitize-html drops the <span> but closes the next link with </span>, leaving that <a> open over the rest of the page.
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'span', 'img', 'hr', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  transformTags: {
    ...Object.fromEntries(Object.entries(HEADING_SHIFT).map(([from, to]) => [from, to])),
    // Only absolute web and mail links, paths on this site and fragments; anything else loses its link.
    a: (tagName, attribs) => (LINK.test(attribs.href ?? '') ? { tagName, attribs: { ...attribs, rel: REL } } : { tagName: 'span', attribs: {} }),
  },
  // Images only from this site's uploads, whatever produced the <img>.
  exclusiveFilter: (frame) => frame.tag === 'img' && !UPLOAD_IMAGE.test(frame.attribs.src ?? ''),
};

// Rendering is a pure function of the text, so the last pages' texts are memoised by the text itself (an idea's
// solution, an event's rules are read far more often than written): parsing and sanitising cost ~0.4 ms of each idea
// page view in a profile of `npm run bench -- datathon`. Bounded in entries and in the size of a text kept.
const RENDERED_MAX = 500;
const RENDERED_SOURCE_MAX = 64 * 1024;
const rendered = new Map<string, string>();

/** Sanitised HTML for user Markdown. Safe to insert with set:html; the same input always gives the same output. */
export function renderMarkdown(source: string): string {
  const known = rendered.get(source);
  if (known !== undefined) {
    // most recently used last, so the oldest is dropped first
    rendered.delete(source);
    rendered.set(source, known);
    return known;
  }
  const html = sanitizeHtml(markdown.render(source), policy);
  if (source.length <= RENDERED_SOURCE_MAX) {
    rendered.set(source, html);
    if (rendered.size > RENDERED_MAX) rendered.delete(rendered.keys().next().value!);
  }
  return html;
}

/** The text of user Markdown without markup, e.g. for an e-mail or a page description. */
export function markdownToText(source: string, maxLength = 300): string {
  const text = sanitizeHtml(markdown.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}
