import { t, type Locale } from '../../lib/i18n/index.ts';
import { opdName, topicName } from '../../lib/server/catalog/present.ts';
import type { FacetName } from '../../lib/server/catalog/search.ts';

/** How a facet value reads to a person: OPD names, translated frequencies and classifications, upper-case formats. */
export function facetValueLabel(name: FacetName, value: string, locale: Locale): string {
  switch (name) {
    case 'organization':
      return opdName(value, locale);
    case 'topic':
      return topicName(value, locale);
    case 'update_frequency':
      return translatedOr(locale, `frequency.${value}`, value);
    case 'classification':
      return translatedOr(locale, `classification.${value}`, value);
    case 'format':
      return value.toUpperCase();
    default:
      return value;
  }
}

function translatedOr(locale: Locale, key: string, fallback: string): string {
  const text = t(locale, key);
  return text === key ? fallback : text;
}

/** The start of a description, cut at a word boundary, for result lists. */
export function excerpt(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}
