import { describe, expect, test } from 'vitest';
import { columns, filterItems, sortItems, tableItems, type BoardItem } from '../../src/lib/server/badami/board.ts';
import { parseBoardFilters } from '../../src/lib/server/badami/board-filters.ts';
import type { Stage } from '../../src/lib/server/badami/vocabulary.ts';

/** The board's ordering and its per-column limit: pure functions over the read model's items. */
const DAY = 86_400_000;
const item = (id: string, title: string, stage: Stage, updatedAt: number, progress: number | null = null): BoardItem => ({
  id,
  title,
  opd: 'dinkes',
  stage,
  stageSince: 0,
  origin: 'opd',
  topics: [],
  kecamatan: [],
  cityWide: true,
  demo: false,
  parentId: null,
  createdAt: 0,
  lastUpdateAt: null,
  updatedAt,
  health: { health: 'on_track', derived: 'on_track', overridden: false, overrideReason: null, daysWithoutUpdate: 0, overdueMilestones: 0 } as BoardItem['health'],
  ownProgress: progress,
  progress,
  children: 0,
});

describe('board order', () => {
  test('a column keeps its most recently active cards and counts them all; ties go by title', () => {
    const items = [
      ...Array.from({ length: 15 }, (_, i) => item(`i${i}`, `Inovasi ${String.fromCharCode(111 - i)}`, 'ide', i < 5 ? DAY * (10 + i) : DAY)),
      item('u1', 'Uji satu', 'uji_coba', DAY),
    ];
    const board = columns(items, 12);
    const ide = board.find((c) => c.stage === 'ide')!;
    expect(ide.total).toBe(15);
    expect(ide.cards).toHaveLength(12);
    // the five updated last first (newest first), then the rest by title
    expect(ide.cards.slice(0, 5).map((c) => c.id)).toEqual(['i4', 'i3', 'i2', 'i1', 'i0']);
    expect(ide.cards.slice(5).map((c) => c.title)).toEqual(['Inovasi a', 'Inovasi b', 'Inovasi c', 'Inovasi d', 'Inovasi e', 'Inovasi f', 'Inovasi g']);
    expect(board.map((c) => c.stage)).toEqual(['ide', 'inisiatif', 'uji_coba', 'penerapan', 'replikasi', 'dihentikan']);
    expect(board.find((c) => c.stage === 'uji_coba')!.cards.map((c) => c.id)).toEqual(['u1']);
    // with the read model given, its order is computed once and reused: the same columns, filtered or not
    const model = { items };
    expect(columns(items, 12, model)).toEqual(board);
    const some = items.filter((_, n) => n % 2 === 0);
    expect(columns(some, 12, model)).toEqual(columns(some, 12));
    expect(columns(some, 12, model)).toEqual(columns(some, 12, model));
  });

  test('the table sorts by title ignoring case, by progress with none last when descending, and is stable on ties', () => {
    const items = [item('b', 'bank sampah', 'ide', 0, 0.5), item('a', 'Angkot pintar', 'ide', 0, null), item('c', 'Cek stunting', 'ide', 0, 0.9), item('d', 'angkot pintar', 'ide', 0, 0.5)];
    expect(sortItems(items, 'title', false).map((i) => i.id)).toEqual(['a', 'd', 'b', 'c']);
    expect(sortItems(items, 'title', true).map((i) => i.id)).toEqual(['c', 'b', 'd', 'a']);
    // equal progress: by title (d's "angkot" before b's "bank"); no progress counts as lowest
    expect(sortItems(items, 'progress', true).map((i) => i.id)).toEqual(['c', 'd', 'b', 'a']);
    // the table's rows: the model sorted once per order, then filtered — the same as filtering, then sorting
    const model = { items };
    for (const query of ['sort=title', 'sort=-progress', 'sort=progress&q=angkot', '']) {
      const { filters } = parseBoardFilters(new URLSearchParams(query));
      expect(tableItems(model, filters)).toEqual(sortItems(filterItems(items, filters), filters.sort, filters.descending));
      expect(tableItems(model, filters)).toEqual(tableItems(model, filters));
    }
  });
});
