import { isLocale, type Locale } from './index.ts';

/**
 * The reader's language: an explicit `?lang=` wins (and the caller stores it in the cookie), then the
 * `lang` cookie, then the deployment's default. Only locales the deployment offers are accepted.
 */
export function negotiateLocale(input: {
  query: string | null;
  cookie: string | undefined;
  offered: readonly Locale[];
  fallback: Locale;
}): { locale: Locale; remember: boolean } {
  const accept = (value: unknown): value is Locale => isLocale(value) && input.offered.includes(value);
  if (accept(input.query)) return { locale: input.query, remember: input.query !== input.cookie };
  if (accept(input.cookie)) return { locale: input.cookie, remember: false };
  return { locale: input.fallback, remember: false };
}

/** The same URL with `lang` set, so the language switch keeps the reader on the current page. */
export function withLang(url: URL, locale: Locale): string {
  const next = new URL(url);
  next.searchParams.set('lang', locale);
  return `${next.pathname}${next.search}`;
}
