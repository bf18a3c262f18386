import type { Locale } from '../../i18n/index.ts';
import { now } from '../clock.ts';
import { deployment } from '../config/deployment.ts';
import { downloadsThisMonth } from './downloads.ts';
import { searchDatasets, type SearchHit } from './search.ts';
import { catalogStats } from './stats.ts';

/** What the home page shows, in the reader's language: figures, topics with counts, newest and most downloaded. */
export interface HomeModel {
  figures: { datasets: number; organizations: number; rows: number; downloadsThisMonth: number };
  topics: { id: string; count: number; icon: string }[];
  newest: SearchHit[];
  popular: SearchHit[];
}

export async function homeModel(locale: Locale, cards = 6): Promise<HomeModel> {
  const [stats, newest, popular, monthly] = await Promise.all([
    catalogStats(1),
    searchDatasets({ locale, sort: 'updated', perPage: cards }),
    searchDatasets({ locale, sort: 'downloads', perPage: 3 }),
    downloadsThisMonth(now()).catch(() => 0),
  ]);
  const configured = deployment().topics;
  const counts = new Map(newest.facets.topic.map((f) => [f.value, f.count]));
  // The deployment's order first (the city chose it), then topics only the specs use, by size.
  const topics = [
    ...configured.filter((topic) => counts.has(topic.id)).map((topic) => ({ id: topic.id, count: counts.get(topic.id)!, icon: topic.icon ?? 'database' })),
    ...newest.facets.topic
      .filter((f) => !configured.some((topic) => topic.id === f.value))
      .map((f) => ({ id: f.value, count: f.count, icon: 'database' })),
  ];
  return {
    figures: { datasets: stats.datasets, organizations: stats.organizations, rows: stats.rows, downloadsThisMonth: monthly },
    topics,
    newest: newest.results,
    popular: popular.results.filter((hit) => hit.downloads > 0),
  };
}
