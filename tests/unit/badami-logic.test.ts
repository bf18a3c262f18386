import { describe, expect, test } from 'vitest';
import { attainment, checkTargets, progress, rolledUpProgress, targetReached } from '../../src/lib/server/badami/attainment.ts';
import { badamiConfigSchema } from '../../src/lib/server/badami/config.ts';
import { deriveHealth, isOverdue, wibDate } from '../../src/lib/server/badami/health.ts';
import { checkTransition, nextStage, targetsFrom } from '../../src/lib/server/badami/stages.ts';

describe('stage transitions', () => {
  test.each([
    ['ide', 'inisiatif', 'forward', false],
    ['inisiatif', 'uji_coba', 'forward', false],
    ['uji_coba', 'penerapan', 'forward', false],
    ['penerapan', 'replikasi', 'forward', false],
    ['ide', 'uji_coba', 'skip', true],
    ['ide', 'replikasi', 'skip', true],
    ['penerapan', 'uji_coba', 'back', true],
    ['replikasi', 'ide', 'back', true],
    ['uji_coba', 'dihentikan', 'stop', true],
    ['ide', 'dihentikan', 'stop', true],
    ['dihentikan', 'uji_coba', 'resume', true],
  ] as const)('%s → %s is %s (reason needed: %s)', (from, to, kind, needsReason) => {
    expect(checkTransition(from, to, 'karena evaluasi')).toEqual({ ok: true, kind, needsReason });
    // Without a reason: fine for one step forward, refused for everything else.
    expect(checkTransition(from, to, needsReason ? '  ' : null)).toEqual(needsReason ? { ok: false, code: 'reason_required' } : { ok: true, kind, needsReason });
  });

  test('staying put is not a transition', () => {
    expect(checkTransition('uji_coba', 'uji_coba', 'alasan')).toEqual({ ok: false, code: 'same_stage' });
  });

  test('targets and the next stage', () => {
    expect(targetsFrom('ide')).toEqual(['inisiatif', 'uji_coba', 'penerapan', 'replikasi', 'dihentikan']);
    expect(nextStage('penerapan')).toBe('replikasi');
    expect(nextStage('replikasi')).toBeNull();
    expect(nextStage('dihentikan')).toBeNull();
  });
});

describe('health', () => {
  const limits = badamiConfigSchema.parse({ health: { at_risk: { days_without_update: 30, overdue_milestones: 1 }, stalled: { days_without_update: 90, overdue_milestones: 3 } } }).health;
  // 2027-03-01 09:00 WIB
  const now = Date.parse('2027-03-01T02:00:00Z');
  const daysAgo = (n: number) => now - n * 86_400_000;
  const base = { stage: 'uji_coba' as const, createdAt: daysAgo(400), lastUpdateAt: daysAgo(1), overdueMilestones: 0, override: null };

  test('on track, at risk and stalled by days without an update', () => {
    expect(deriveHealth(base, now, limits)).toMatchObject({ health: 'on_track', derived: 'on_track', daysWithoutUpdate: 1, overridden: false });
    expect(deriveHealth({ ...base, lastUpdateAt: daysAgo(29) }, now, limits).health).toBe('on_track');
    expect(deriveHealth({ ...base, lastUpdateAt: daysAgo(30) }, now, limits).health).toBe('at_risk');
    expect(deriveHealth({ ...base, lastUpdateAt: daysAgo(89) }, now, limits).health).toBe('at_risk');
    expect(deriveHealth({ ...base, lastUpdateAt: daysAgo(90) }, now, limits).health).toBe('stalled');
  });

  test('overdue milestones', () => {
    expect(deriveHealth({ ...base, overdueMilestones: 1 }, now, limits).health).toBe('at_risk');
    expect(deriveHealth({ ...base, overdueMilestones: 2 }, now, limits).health).toBe('at_risk');
    expect(deriveHealth({ ...base, overdueMilestones: 3 }, now, limits).health).toBe('stalled');
  });

  test('before the first update, days count from registration', () => {
    expect(deriveHealth({ ...base, createdAt: daysAgo(5), lastUpdateAt: null }, now, limits)).toMatchObject({ health: 'on_track', daysWithoutUpdate: 5 });
    expect(deriveHealth({ ...base, createdAt: daysAgo(45), lastUpdateAt: null }, now, limits).health).toBe('at_risk');
  });

  test('days are calendar days in WIB: an update at 23:00 WIB yesterday is one day old at 01:00 today', () => {
    const at = Date.parse('2027-03-01T18:00:00Z'); // 01:00 WIB on 2 March
    expect(deriveHealth({ ...base, lastUpdateAt: Date.parse('2027-03-01T16:00:00Z') }, at, limits).daysWithoutUpdate).toBe(1); // 23:00 WIB 1 March
    expect(deriveHealth({ ...base, lastUpdateAt: Date.parse('2027-03-01T17:30:00Z') }, at, limits).daysWithoutUpdate).toBe(0); // 00:30 WIB 2 March
  });

  test("the owner's override is shown with its reason, next to what the data says", () => {
    const state = deriveHealth({ ...base, lastUpdateAt: daysAgo(120), override: { health: 'on_track', reason: 'Uji coba dijeda sesuai jadwal' } }, now, limits);
    expect(state).toMatchObject({ health: 'on_track', derived: 'stalled', overridden: true, overrideReason: 'Uji coba dijeda sesuai jadwal' });
  });

  test('a stopped innovation has no health', () => {
    expect(deriveHealth({ ...base, stage: 'dihentikan', override: { health: 'on_track', reason: 'x' } }, now, limits)).toMatchObject({ health: null, derived: null, overridden: false });
  });

  test('a milestone is overdue from the day after its due date', () => {
    expect(wibDate(now)).toBe('2027-03-01');
    expect(isOverdue({ due_on: '2027-03-01', completed_on: null }, '2027-03-01')).toBe(false);
    expect(isOverdue({ due_on: '2027-02-28', completed_on: null }, '2027-03-01')).toBe(true);
    expect(isOverdue({ due_on: '2027-02-28', completed_on: '2027-03-01' }, '2027-03-01')).toBe(false);
  });

  test('stalled limits below the at_risk ones are refused', () => {
    expect(badamiConfigSchema.safeParse({ health: { at_risk: { days_without_update: 60 }, stalled: { days_without_update: 30 } } }).success).toBe(false);
  });
});

describe('KPI attainment', () => {
  test('higher is better', () => {
    const kpi = { baseline: 40, target: 80, direction: 'higher' as const };
    expect(attainment(kpi, 40)).toBe(0);
    expect(attainment(kpi, 60)).toBe(0.5);
    expect(attainment(kpi, 80)).toBe(1);
    expect(attainment(kpi, 100)).toBe(1.5);
    expect(attainment(kpi, 30)).toBe(-0.25);
    expect(targetReached(kpi, 80)).toBe(true);
    expect(targetReached(kpi, 79.9)).toBe(false);
  });

  test('lower is better', () => {
    // e.g. complaints about waste per month: from 120 down to 40
    const kpi = { baseline: 120, target: 40, direction: 'lower' as const };
    expect(attainment(kpi, 120)).toBe(0);
    expect(attainment(kpi, 80)).toBe(0.5);
    expect(attainment(kpi, 40)).toBe(1);
    expect(attainment(kpi, 20)).toBe(1.25);
    expect(attainment(kpi, 140)).toBe(-0.25);
    expect(targetReached(kpi, 40)).toBe(true);
    expect(targetReached(kpi, 41)).toBe(false);
  });

  test('a target on the wrong side of the baseline, or equal to it, is refused', () => {
    expect(checkTargets({ baseline: 10, target: 5, direction: 'higher' })).toBe('target_below_baseline');
    expect(checkTargets({ baseline: 10, target: 15, direction: 'lower' })).toBe('target_above_baseline');
    expect(checkTargets({ baseline: 10, target: 10, direction: 'lower' })).toBe('target_equals_baseline');
    expect(checkTargets({ baseline: 10, target: 15, direction: 'higher' })).toBeNull();
  });

  test('progress is the mean clamped attainment; a parent rolls up its replications', () => {
    const higher = { baseline: 0, target: 100, direction: 'higher' as const };
    const lower = { baseline: 100, target: 0, direction: 'lower' as const };
    expect(progress([{ targets: higher, latest: 150 }, { targets: lower, latest: 50 }])).toBe(0.75); // 1 (clamped) and 0.5
    expect(progress([{ targets: higher, latest: null }])).toBeNull();
    expect(rolledUpProgress(0.2, [0.6, null, 1])).toBe(0.6);
    expect(rolledUpProgress(null, [0.5, 0.7])).toBeCloseTo(0.6);
    expect(rolledUpProgress(null, [])).toBeNull();
  });
});
