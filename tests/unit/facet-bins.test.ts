import { describe, expect, test } from 'vitest';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { binBounds, histogramBinning, MAX_BINS, niceStep } from '../../src/lib/server/query/facet-bins.ts';
import type { Filter } from '../../src/lib/server/query/filters.ts';

const field = (name: string, type: FieldSpec['type']): FieldSpec => ({ name, type, title: name });
const range = (min: string | number, max: string | number) => ({ min, max });

describe('histogram bins', () => {
  test.each([
    [0.7, false, 1],
    [3, false, 5],
    [21, false, 25],
    [0.013, false, 0.02],
    [0.3, true, 1],
    [4100, true, 5000],
  ])('a nice step at least %s (whole: %s) is %s', (raw, whole, expected) => {
    expect(niceStep(raw, whole)).toBe(expected);
  });

  test('integers: whole-number bins from a multiple of the step, the maximum inside the last bin', () => {
    const binning = histogramBinning(field('jumlah', 'integer'), range(3, 97), [])!;
    expect(binning).toEqual({ kind: 'number', start: 0, step: 5, count: 20 });
    const bounds = binBounds(binning, 'integer');
    expect(bounds[0]).toEqual({ from: '0', to: '5' });
    expect(bounds.at(-1)).toEqual({ from: '95', to: '100' });
  });

  test('a range filter on the column itself zooms the bins in (brushing)', () => {
    const filters: Filter[] = [{ column: 'jumlah', op: 'gte', values: ['40'] }, { column: 'jumlah', op: 'lt', values: ['60'] }];
    const binning = histogramBinning(field('jumlah', 'integer'), range(0, 1000), filters)!;
    expect(binning.kind === 'number' && [binning.start, binning.step]).toEqual([40, 1]);
    expect(binning.count).toBeLessThanOrEqual(MAX_BINS + 1);
  });

  test('decimals get decimal steps without floating-point dust in the bounds', () => {
    const bounds = binBounds(histogramBinning(field('rasio', 'number'), range(0.1, 0.9), [])!, 'number');
    expect(bounds.slice(0, 3)).toEqual([{ from: '0.1', to: '0.15' }, { from: '0.15', to: '0.2' }, { from: '0.2', to: '0.25' }]);
  });

  test('dates: calendar months over two years, days over a few weeks', () => {
    const months = histogramBinning(field('periode', 'date'), range('2024-01-01', '2025-12-01'), [])!;
    expect(months).toMatchObject({ kind: 'date', unit: 'month', start: '2024-01-01', count: 24 });
    expect(binBounds(months, 'date')[1]).toEqual({ from: '2024-02-01', to: '2024-03-01' });
    const days = histogramBinning(field('tanggal', 'date'), range('2025-07-03', '2025-07-20'), [])!;
    expect(days).toMatchObject({ unit: 'day', start: '2025-07-03', count: 18 });
  });

  test('date-times within two days are binned by hour', () => {
    const hours = histogramBinning(field('waktu', 'datetime'), range('2025-02-03 06:42:00', '2025-02-03 09:10:00'), [])!;
    expect(hours).toMatchObject({ unit: 'hour', start: '2025-02-03T06:00:00', count: 4 });
  });

  test('no values, no bins', () => {
    expect(histogramBinning(field('jumlah', 'integer'), range(null as never, null as never), [])).toBeNull();
  });
});
