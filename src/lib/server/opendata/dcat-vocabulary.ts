import type { Manifest } from '../lake/manifest.ts';
import type { Site } from './site.ts';

/**
 * The controlled vocabularies DCAT-AP asks for, from the EU Publications Office authority tables
 * (frequency, language, data theme), with our Satu Data values mapped onto them.
 */
export const EU = 'http://publications.europa.eu/resource/authority';
export const FREQUENCY: Record<Manifest['metadata']['update_frequency'], string> = {
  harian: 'DAILY',
  mingguan: 'WEEKLY',
  bulanan: 'MONTHLY',
  triwulanan: 'QUARTERLY',
  semesteran: 'BIANNUAL',
  tahunan: 'ANNUAL',
  tidak_tentu: 'IRREG',
};
export const LANGUAGE: Record<string, string> = { id: 'IND', en: 'ENG' };
/** Our common topics in the EU data-theme vocabulary DCAT-AP asks for; other topics get a local IRI. */
export const THEME: Record<string, string> = {
  kesehatan: 'HEAL',
  pendidikan: 'EDUC',
  transportasi: 'TRAN',
  'lingkungan hidup': 'ENVI',
  kependudukan: 'SOCI',
  'keuangan daerah': 'GOVE',
  pemerintahan: 'GOVE',
  'pelayanan publik': 'GOVE',
  wilayah: 'REGI',
  perumahan: 'REGI',
  pariwisata: 'ECON',
  ekonomi: 'ECON',
  energi: 'ENER',
  pertanian: 'AGRI',
};


export function themeIris(site: Site, topics: string[]): string[] {
  const iris = topics.map((topic) => {
    const eu = THEME[topic.toLowerCase()];
    return eu ? `${EU}/data-theme/${eu}` : `${site.base}/datasets?topic=${encodeURIComponent(topic)}`;
  });
  return [...new Set(iris)];
}
