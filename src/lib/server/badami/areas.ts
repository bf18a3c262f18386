import { boundaryAreas } from '../../charts/map.server.ts';

/**
 * The kecamatan an innovation can serve: the city's reference boundaries (kota.config.yaml `boundaries.kecamatan`,
 * a published dataset), joined on Kemendagri codes, never on names. Empty while that dataset is not published; then
 * codes are only checked for their shape.
 */
export interface Area {
  code: string;
  name: string;
}

export async function kecamatanList(): Promise<Area[]> {
  const areas = await boundaryAreas('kecamatan').catch(() => null);
  return (areas ?? []).map((a) => ({ code: a.code, name: a.name })).sort((a, b) => a.name.localeCompare(b.name, 'id'));
}

export async function kecamatanNames(): Promise<Map<string, string>> {
  return new Map((await kecamatanList()).map((a) => [a.code, a.name]));
}
