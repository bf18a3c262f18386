/**
 * Licences: manifests carry SPDX ids (CC-BY-4.0). CKAN's default licence register uses its own ids
 * (cc-by, cc-zero, odc-odbl…), which harvesters and ckanapi users filter on, so both are kept.
 */
export interface LicenseInfo {
  spdx: string;
  title: string;
  url: string | null;
  /** CKAN's default licence id, or the SPDX id where CKAN has none. */
  ckanId: string;
  /** Open Definition conformant (CKAN's `isopen`). */
  open: boolean;
}

const KNOWN: Record<string, Omit<LicenseInfo, 'spdx'>> = {
  'CC-BY-4.0': { title: 'Creative Commons Attribution 4.0', url: 'https://creativecommons.org/licenses/by/4.0/', ckanId: 'cc-by', open: true },
  'CC-BY-SA-4.0': { title: 'Creative Commons Attribution Share-Alike 4.0', url: 'https://creativecommons.org/licenses/by-sa/4.0/', ckanId: 'cc-by-sa', open: true },
  'CC0-1.0': { title: 'Creative Commons CCZero 1.0', url: 'https://creativecommons.org/publicdomain/zero/1.0/', ckanId: 'cc-zero', open: true },
  'ODbL-1.0': { title: 'Open Data Commons Open Database License 1.0', url: 'https://opendatacommons.org/licenses/odbl/1-0/', ckanId: 'odc-odbl', open: true },
  'ODC-By-1.0': { title: 'Open Data Commons Attribution License 1.0', url: 'https://opendatacommons.org/licenses/by/1-0/', ckanId: 'odc-by', open: true },
  'PDDL-1.0': { title: 'Open Data Commons Public Domain Dedication and License 1.0', url: 'https://opendatacommons.org/licenses/pddl/1-0/', ckanId: 'odc-pddl', open: true },
  'CC-BY-NC-4.0': { title: 'Creative Commons Attribution Non-Commercial 4.0', url: 'https://creativecommons.org/licenses/by-nc/4.0/', ckanId: 'cc-nc', open: false },
};

export function licenseInfo(spdx: string): LicenseInfo {
  const known = KNOWN[spdx] ?? Object.entries(KNOWN).find(([k]) => k.toLowerCase() === spdx.toLowerCase())?.[1];
  return known ? { spdx, ...known } : { spdx, title: spdx, url: `https://spdx.org/licenses/${encodeURIComponent(spdx)}.html`, ckanId: spdx, open: false };
}

/** Does a licence filter value (CKAN id or SPDX id, any case) name this licence? */
export function licenseMatches(spdx: string, wanted: string): boolean {
  const w = wanted.toLowerCase();
  return spdx.toLowerCase() === w || licenseInfo(spdx).ckanId.toLowerCase() === w;
}

/** The licence a CKAN licence id names (for facet display names); SPDX ids work too. */
export function licenseByCkanId(id: string): LicenseInfo {
  const found = Object.entries(KNOWN).find(([, l]) => l.ckanId === id);
  return found ? { spdx: found[0], ...found[1] } : licenseInfo(id);
}

/** Every licence this module knows, for CKAN's license_list. */
export function knownLicenses(): LicenseInfo[] {
  return Object.entries(KNOWN).map(([spdx, l]) => ({ spdx, ...l }));
}
