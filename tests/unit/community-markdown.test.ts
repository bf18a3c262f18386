import { describe, expect, test } from 'vitest';
import { markdownToText, renderMarkdown } from '../../src/lib/server/community/markdown.ts';
import { HOSTILE_MARKDOWN, MARKER } from '../fixtures/hostile-markdown.ts';

/** The one Markdown renderer: useful formatting survives, nothing that can run or load survives. */
describe('renderMarkdown keeps what comments need', () => {
  test('emphasis, lists, code, quotes, tables and links', () => {
    const html = renderMarkdown('**tebal** *miring* ~~coret~~\n\n- satu\n- dua\n\n> kutip\n\n`kode`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[situs](https://example.go.id)');
    expect(html).toContain('<strong>tebal</strong>');
    expect(html).toContain('<em>miring</em>');
    expect(html).toContain('<s>coret</s>');
    expect(html).toContain('<li>dua</li>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<code>kode</code>');
    expect(html).toContain('<td>2</td>');
    expect(html).toContain('<a href="https://example.go.id" rel="nofollow ugc noopener">situs</a>');
  });

  test('bare addresses become links with rel="nofollow ugc noopener"', () => {
    expect(renderMarkdown('lihat https://data.example.go.id/x')).toContain('<a href="https://data.example.go.id/x" rel="nofollow ugc noopener">');
  });

  test('line breaks are kept, headings move down so they never outrank the page', () => {
    expect(renderMarkdown('baris satu\nbaris dua')).toContain('baris satu<br />');
    expect(renderMarkdown('# Judul')).toBe('<h4>Judul</h4>\n');
    expect(renderMarkdown('### Kecil')).toBe('<h6>Kecil</h6>\n');
  });

  test('images only from this site\'s uploads; others become a link named by the alt text', () => {
    expect(renderMarkdown('![peta](/uploads/abcdefgh23456)')).toContain('<img src="/uploads/abcdefgh23456" alt="peta" />');
    const elsewhere = renderMarkdown('![piksel](https://tracker.example/p.gif)');
    expect(elsewhere).not.toContain('<img');
    expect(elsewhere).toContain('<a href="https://tracker.example/p.gif" rel="nofollow ugc noopener">piksel</a>');
  });

  test('markdownToText gives plain text for mails and descriptions', () => {
    expect(markdownToText('**Halo** <b>dunia</b> & [tautan](https://x.example)')).toBe('Halo <b>dunia</b> & tautan');
    expect(markdownToText('a'.repeat(400), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});

describe('renderMarkdown refuses everything that could run or load', () => {
  const ALLOWED_TAGS = new Set(['p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'span', 'img', 'hr', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
  for (const source of HOSTILE_MARKDOWN) {
    test(JSON.stringify(source).slice(0, 90), () => {
      const html = renderMarkdown(source);
      const tags = [...html.matchAll(/<([a-z0-9]+)[\s/>]/gi)].map((m) => m[1]!.toLowerCase());
      expect(tags.filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
      // No attribute other than the allowlisted ones, and no URL with a dangerous scheme.
      const attributes = [...html.matchAll(/<[a-z0-9]+((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/gi)].flatMap((m) => [...m[1]!.matchAll(/([a-z-]+)="([^"]*)"/gi)].map((a) => [a[1]!, a[2]!]));
      for (const [name, value] of attributes) {
        expect(['href', 'src', 'alt', 'title', 'rel', 'start']).toContain(name);
        if (name === 'href') expect(value).toMatch(/^(https?:|mailto:|\/(?!\/)|#)/);
        if (name === 'src') expect(value).toMatch(/^\/uploads\/[a-z0-9]+$/);
      }
      if (html.includes(MARKER)) expect(html).not.toMatch(/<(script|iframe|svg|object|embed|style|form|math|meta|base)/i);
    });
  }
});
