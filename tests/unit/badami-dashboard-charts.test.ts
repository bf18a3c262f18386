import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { DashboardData } from '../../src/lib/server/badami/dashboard.ts';
import { dashboardCharts } from '../../src/lib/server/badami/dashboard-charts.ts';

/**
 * The dashboard's chart builder on fixed figures: every chart is one standalone SVG named by its title, each bar
 * titled with its value, every stage and attainment bucket in the tables (zeros included), and nothing drawn without
 * figures — only the tables, which still say 0.
 */
beforeAll(() => {
  process.env.KOTA_ROOT = path.resolve(import.meta.dirname, '../..');
});

const EMPTY: DashboardData = { total: 0, funnel: [], movement: [], health: [], kpis: [], kpiMean: null, overdueByOpd: [], overdue: [] };
const DATA: DashboardData = {
  total: 4,
  funnel: [
    { stage: 'ide', n: 3 },
    { stage: 'dihentikan', n: 1 },
  ],
  movement: [
    { month: '2026-11', stage: 'inisiatif', n: 1 },
    { month: '2026-10', stage: 'ide', n: 3 },
  ],
  health: [
    { opd: 'dinkes', health: 'at_risk', n: 2 },
    { opd: 'dinkes', health: 'on_track', n: 1 },
    { opd: 'dlh', health: 'stopped', n: 1 },
    { opd: 'dpkp', health: 'on_track', n: 1 },
  ],
  kpis: [
    { bucket: 'reached', n: 2 },
    { bucket: 'none', n: 1 },
  ],
  kpiMean: 0.8333,
  overdueByOpd: [{ opd: 'dinkes', n: 2 }],
  overdue: [],
};

describe('dashboard charts', () => {
  test('draw every figure, titled, with a table of the same numbers', () => {
    const charts = dashboardCharts(DATA, 'id', true);
    expect(charts.map((c) => c.id)).toEqual(['funnel', 'movement', 'health', 'kpi', 'overdue']);
    for (const chart of charts) {
      expect(chart.svg).toMatch(/^<svg[^>]*role="img"/);
      expect(chart.svg).toContain(`<title>${chart.title}</title>`);
    }
    const [funnel, movement, health, kpi, overdue] = charts;
    expect(funnel!.rows).toEqual([['Ide', '3'], ['Inisiatif', '0'], ['Uji coba', '0'], ['Penerapan', '0'], ['Replikasi', '0'], ['Dihentikan', '1']]);
    expect(funnel!.svg).toContain('<title>Ide: 3</title>');
    // Months in order, whatever order the figures came in.
    expect(movement!.rows).toEqual([['2026-10', 'Ide', '3'], ['2026-11', 'Inisiatif', '1']]);
    expect(health!.svg).toContain('<title>Dinas Kesehatan · Berisiko: 2</title>');
    expect(health!.rows).toContainEqual(['Dinas Lingkungan Hidup', 'Dihentikan', '1']);
    // A long agency name is cut on the axis; its bar's title and the table keep it whole.
    expect(health!.svg).toContain('>Dinas Perumahan dan Kawasan Permu…<');
    expect(health!.svg).toContain('<title>Dinas Perumahan dan Kawasan Permukiman, Pertanahan dan Pertamanan · Sesuai rencana: 1</title>');
    expect(kpi!.rows.map((r) => r[1])).toEqual(['2', '0', '0', '0', '1']);
    expect(kpi!.description).toContain('Rata-rata capaian KPI yang sudah diukur: 83%.');
    expect(overdue!.rows).toEqual([['Dinas Kesehatan', '2']]);
    // Counts have whole-number ticks only.
    expect(funnel!.svg).not.toMatch(/>\s*0\.5\s*</);
  });

  test('one OPD: the overdue chart is its table alone; English words', () => {
    const charts = dashboardCharts(DATA, 'en', false);
    expect(charts[4]!.svg).toBeNull();
    expect(charts[0]!.rows[0]).toEqual(['Idea', '3']);
  });

  test('with no figures nothing is drawn; the tables still say 0', () => {
    const charts = dashboardCharts(EMPTY, 'id', true);
    expect(charts.map((c) => c.svg)).toEqual([null, null, null, null, null]);
    expect(charts[0]!.rows).toHaveLength(6);
    expect(charts[3]!.rows.every((r) => r[1] === '0')).toBe(true);
    expect(charts[1]!.rows).toEqual([]);
  });
});
