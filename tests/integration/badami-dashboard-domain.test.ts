import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser } from '../../src/lib/server/auth/user.ts';
import { boardModel } from '../../src/lib/server/badami/board.ts';
import { dashboardData } from '../../src/lib/server/badami/dashboard.ts';
import { createInnovation } from '../../src/lib/server/badami/innovations.ts';
import { saveKpi, addMeasurement } from '../../src/lib/server/badami/kpis.ts';
import { saveMilestone } from '../../src/lib/server/badami/milestones.ts';
import { moveStage } from '../../src/lib/server/badami/transitions.ts';
import { setHealthOverride } from '../../src/lib/server/badami/health-override.ts';
import { setClock } from '../../src/lib/server/clock.ts';
import { BACKENDS, useBackend } from '../helpers/store.ts';
import { profile } from './badami-views-fixture.ts';

/**
 * The dashboards' figures on a real store (SQLite always, PostgreSQL where TEST_DATABASE_URL is set), with a
 * controlled clock: health derived in SQL (dashboard.ts) agrees with health derived in JavaScript (health.ts, what the
 * board shows) on each side of every threshold — 29/30 and 89/90 days without an update, at 23:30 and 00:30 WIB — and
 * for overdue milestones and a manual override; stage moves per month counted in WIB; KPI attainment buckets in both
 * directions.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2027-03-01T02:00:00Z'); // 09:00 WIB
let clock = T0;

describe.each(BACKENDS)('dashboard figures on $name', ({ name, skip }) => {
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  let admin: { id: string; roles: { role: 'admin'; scope: string }[] };

  beforeAll(async () => {
    if (skip) return;
    backend = await useBackend(name);
    setClock(() => clock);
    const user = await createUser({ email: 'admin@dash.test', name: 'admin', passwordHash: 'x', emailVerified: true });
    admin = { id: user.id, roles: [{ role: 'admin', scope: '' }] };
  });
  afterAll(async () => {
    setClock(undefined);
    await backend?.cleanup();
  });

  const make = async (id: string, at: number, opd = 'dinkes') => {
    clock = at;
    const made = await createInnovation(admin, profile({ title: `Inovasi ${id}`, opd, kecamatan: ['32.73.02'] }), { id });
    expect(made.ok).toBe(true);
  };

  test.skipIf(skip)('health in SQL equals the board’s on both sides of every threshold', async () => {
    // Registered d days before T0 (in WIB calendar days), late in the evening or just after midnight.
    for (const d of [29, 30, 89, 90]) {
      await make(`late${d}`, T0 - d * DAY - 9.5 * HOUR, 'dishub'); // 23:30 WIB, d + 1 calendar days before
      await make(`early${d}`, T0 - d * DAY - 8.5 * HOUR, 'dishub'); // 00:30 WIB, d calendar days before
    }
    await make('overdue1', T0 - DAY);
    await make('overdue3', T0 - DAY);
    clock = T0 - DAY;
    for (const [id, n] of [['overdue1', 1], ['overdue3', 3]] as const) {
      for (let i = 0; i < n; i++) expect((await saveMilestone(admin, id, { title: `T${i}`, owner: 'Seksi', due_on: '2027-02-27', completed_on: null, note: '' })).ok).toBe(true);
    }
    await make('overridden', T0 - 100 * DAY, 'dlh');
    clock = T0 - DAY;
    expect((await setHealthOverride(admin, 'overridden', { health: 'on_track', reason: 'Kabar dikirim lewat surat.' })).ok).toBe(true);
    await make('stopped', T0 - 100 * DAY, 'dlh');
    expect((await moveStage(admin, 'stopped', { to: 'dihentikan', note: 'Dihentikan.', reason: 'Anggaran dialihkan.' })).ok).toBe(true);
    clock = T0;

    const data = await dashboardData(null);
    // Moves per month in WIB: early90 (2026-12-01 00:30 WIB, still November in UTC) counts in December.
    expect(data.movement).toHaveLength(5);
    expect(data.movement).toEqual(
      expect.arrayContaining([
        { month: '2026-11', stage: 'ide', n: 3 }, // late90, overridden, stopped
        { month: '2026-11', stage: 'dihentikan', n: 1 },
        { month: '2026-12', stage: 'ide', n: 3 }, // early89, late89, early90
        { month: '2027-01', stage: 'ide', n: 4 },
        { month: '2027-02', stage: 'ide', n: 2 },
      ]),
    );
    const fromSql = data.health;
    const fromBoard = new Map<string, number>();
    for (const item of (await boardModel()).items) {
      const key = `${item.opd}|${item.health.health ?? 'stopped'}`;
      fromBoard.set(key, (fromBoard.get(key) ?? 0) + 1);
    }
    expect(new Map(fromSql.map((h) => [`${h.opd}|${h.health}`, h.n]))).toEqual(fromBoard);
    // What the thresholds of kota.config.yaml (at risk from 30 days or 1 overdue, stalled from 90 or 3) say.
    expect(fromSql).toEqual(
      expect.arrayContaining([
        { opd: 'dishub', health: 'on_track', n: 1 }, // early29
        { opd: 'dishub', health: 'at_risk', n: 4 }, // late29 (30 days), early30, late30, early89
        { opd: 'dishub', health: 'stalled', n: 3 }, // late89 (90 days), early90, late90
        { opd: 'dinkes', health: 'at_risk', n: 1 },
        { opd: 'dinkes', health: 'stalled', n: 1 },
        { opd: 'dlh', health: 'on_track', n: 1 },
        { opd: 'dlh', health: 'stopped', n: 1 },
      ]),
    );
  });

  test.skipIf(skip)('KPI attainment buckets in both directions, the latest measurement counting', async () => {
    clock = T0;
    await make('kpis', T0, 'disdik');
    const kpi = async (input: { baseline: number; target: number; direction: 'higher' | 'lower' }, values: [string, number][]) => {
      const saved = await saveKpi(admin, 'kpis', { name: 'K', unit: '%', target_on: '2030-12-31', ...input });
      if (!saved.ok) throw new Error(JSON.stringify(saved));
      for (const [on, value] of values) expect((await addMeasurement(admin, 'kpis', saved.id, { measured_on: on, value, note: '' })).ok).toBe(true);
    };
    await kpi({ baseline: 10, target: 20, direction: 'higher' }, [['2027-01-01', 25], ['2026-01-01', 0]]); // reached (latest by date)
    await kpi({ baseline: 100, target: 50, direction: 'lower' }, [['2027-01-01', 80]]); // 40%: low
    await kpi({ baseline: 100, target: 50, direction: 'lower' }, [['2027-01-01', 110]]); // moved away: backwards
    await kpi({ baseline: 0, target: 10, direction: 'higher' }, [['2027-01-01', 5]]); // 50%: high
    await kpi({ baseline: 0, target: 10, direction: 'higher' }, []); // none
    const data = await dashboardData('disdik');
    expect(Object.fromEntries(data.kpis.map((k) => [k.bucket, k.n]))).toEqual({ reached: 1, low: 1, backwards: 1, high: 1, none: 1 });
    // Mean of the clamped attainments 1, 0.4, 0, 0.5.
    expect(data.kpiMean).toBeCloseTo(0.475, 10);
    expect(data.total).toBe(1);
    expect(data.funnel).toEqual([{ stage: 'ide', n: 1 }]);
  });
});
