import { z } from 'zod';
import { HEALTH, ORIGINS, STAGES, type Health, type OriginKind, type Stage } from './vocabulary.ts';

/**
 * The board's filters and sort, as they stand in the URL (`?opd=dinkes&stage=uji_coba&health=at_risk&topic=…&
 * origin=datathon&kecamatan=32.73.02&sort=-updated&page=2`): parsed with zod; a value that is not one of the allowed
 * ones is dropped (and reported), never passed on. Every parameter may repeat (`stage=ide&stage=inisiatif`).
 */
export const SORTS = ['title', 'opd', 'stage', 'health', 'progress', 'updated'] as const;
export type Sort = (typeof SORTS)[number];

export interface BoardFilters {
  opd: string[];
  stage: Stage[];
  health: Health[];
  topic: string[];
  origin: OriginKind[];
  kecamatan: string[];
  q: string;
  sort: Sort;
  descending: boolean;
  page: number;
}

const list = <T extends string>(item: z.ZodType<T>) => z.array(z.string()).transform((values) => values.filter((v): v is T => item.safeParse(v).success));
const filterSchema = z.object({
  opd: list(z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/)),
  stage: list(z.enum(STAGES)),
  health: list(z.enum(HEALTH)),
  topic: list(z.string().min(1).max(40)),
  origin: list(z.enum(ORIGINS)),
  kecamatan: list(z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/)),
});

export function parseBoardFilters(params: URLSearchParams): { filters: BoardFilters; dropped: string[] } {
  const raw = Object.fromEntries(Object.keys(filterSchema.shape).map((k) => [k, params.getAll(k).filter((v) => v !== '')]));
  const parsed = filterSchema.parse(raw);
  const dropped = Object.keys(filterSchema.shape).filter((k) => (parsed as Record<string, string[]>)[k]!.length !== (raw[k] as string[]).length);
  const sortParam = params.get('sort') ?? '';
  const descending = sortParam.startsWith('-');
  const sort = (SORTS as readonly string[]).includes(sortParam.replace(/^-/, '')) ? (sortParam.replace(/^-/, '') as Sort) : 'updated';
  const page = Math.min(10_000, Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  return {
    filters: {
      ...parsed,
      opd: [...new Set(parsed.opd)],
      q: (params.get('q') ?? '').trim().slice(0, 100),
      sort,
      descending: sortParam ? descending : true,
      page,
    },
    dropped,
  };
}

/** The query string of filters (without view-specific sort and page unless asked), for links between views. */
export function filterQuery(filters: BoardFilters, extra: { sort?: boolean; page?: number } = {}): string {
  const params = new URLSearchParams();
  for (const key of ['opd', 'stage', 'health', 'topic', 'origin', 'kecamatan'] as const) for (const v of filters[key]) params.append(key, v);
  if (filters.q) params.set('q', filters.q);
  if (extra.sort && !(filters.sort === 'updated' && filters.descending)) params.set('sort', `${filters.descending ? '-' : ''}${filters.sort}`);
  if (extra.page && extra.page > 1) params.set('page', String(extra.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function hasFilters(filters: BoardFilters): boolean {
  return filters.opd.length + filters.stage.length + filters.health.length + filters.topic.length + filters.origin.length + filters.kecamatan.length > 0 || filters.q !== '';
}
