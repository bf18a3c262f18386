import { t, type Locale } from '../i18n/index.ts';
import { deployment } from '../server/config/deployment.ts';

/** "Pemerintah Kota Bandung": the configured line, or one made from the city's name. */
export function governmentLine(locale: Locale): string {
  const { city } = deployment();
  const configured = locale === 'en' ? (city.government_en ?? null) : (city.government ?? null);
  return configured ?? t(locale, 'brand.government', { city: city.name });
}
