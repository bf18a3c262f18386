import { describe, expect, test } from 'vitest';
import { allDictionaries } from '../../src/lib/i18n/index.ts';
import { negotiateLocale, withLang } from '../../src/lib/i18n/negotiate.ts';

const offered = ['id', 'en'] as const;

describe('negotiateLocale', () => {
  test.each([
    { query: null, cookie: undefined, expected: { locale: 'id', remember: false } },
    { query: 'en', cookie: undefined, expected: { locale: 'en', remember: true } },
    { query: 'en', cookie: 'en', expected: { locale: 'en', remember: false } },
    { query: null, cookie: 'en', expected: { locale: 'en', remember: false } },
    { query: 'id', cookie: 'en', expected: { locale: 'id', remember: true } },
    { query: 'fr', cookie: 'en', expected: { locale: 'en', remember: false } },
    { query: '<script>', cookie: 'xx', expected: { locale: 'id', remember: false } },
  ])('query $query, cookie $cookie', ({ query, cookie, expected }) => {
    expect(negotiateLocale({ query, cookie, offered: [...offered], fallback: 'id' })).toEqual(expected);
  });

  test('a locale the deployment does not offer is refused', () => {
    expect(negotiateLocale({ query: 'en', cookie: undefined, offered: ['id'], fallback: 'id' }).locale).toBe('id');
  });
});

test('withLang keeps the page and its other query parameters', () => {
  expect(withLang(new URL('http://x/datasets/a?page=2&lang=id'), 'en')).toBe('/datasets/a?page=2&lang=en');
});

test('the catalog messages have the same keys in both languages', () => {
  const { id, en } = allDictionaries.catalog!;
  expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
});
