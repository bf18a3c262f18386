import { deployment, opdNames } from '../config/deployment.ts';

/**
 * What the open-format mappings need to know about this deployment, gathered once per request so the
 * mapping functions (dcat.ts, datapackage.ts, ../ckan/package.ts) stay pure and testable without a config.
 */
export interface Site {
  /** Origin the client used, e.g. https://data.bandung.go.id (no trailing slash). */
  base: string;
  portalName: string;
  cityName: string;
  regionCode: string;
  contact: { name: string; email: string; url?: string };
  /** OPD code → names; a code the config does not list is named as such. */
  opd(code: string): { code: string; name: string; name_en: string | null };
  opds: { code: string; name: string; name_en: string | null }[];
}

export function siteFor(origin: string): Site {
  const config = deployment();
  const opds = config.opds.map((o) => ({ code: o.code, name: o.name, name_en: o.name_en ?? null }));
  return {
    base: origin.replace(/\/+$/, ''),
    portalName: config.city.portal_name,
    cityName: config.city.name,
    regionCode: config.city.region_code,
    contact: config.contact,
    opds,
    opd(code) {
      const { name, name_en } = opdNames(code);
      return { code, name, name_en };
    },
  };
}
