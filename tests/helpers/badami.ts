import type { Client } from '../integration/auth-helpers.ts';

/**
 * Registers a city-wide digital innovation of Dinkes through the real form (`badami.create`), as an official of
 * Dinkes would, and returns its id.
 */
export async function registerDinkesInnovation(official: Client, title: string, summary: string): Promise<string> {
  const created = await official.post('/badami/new?_action=badami.create', {
    title,
    summary,
    opd: 'dinkes',
    initiator: 'opd',
    innovation_type: 'digital',
    form: 'pelayanan_publik',
    affair: 'kesehatan',
    city_wide: 'true',
  });
  const id = /\/badami\/innovations\/([a-z0-9]+)$/.exec(created.location ?? '')?.[1];
  if (!id) throw new Error(`registering "${title}" failed: ${created.status} ${created.text.slice(0, 300)}`);
  return id;
}
