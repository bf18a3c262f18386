import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { baseSpec } from '../helpers/pipeline-project.ts';
import { makeTempDir, removeDir, waitFor } from '../helpers/temp.ts';
import { mkdirSync } from 'node:fs';

/**
 * The scheduler with a stand-in CLI that takes 1.5 s per run and logs its starts and ends, on a
 * once-a-second schedule: runs must start, carry the right arguments, and never overlap.
 */
let root: string;
const log = () => (readFileSync(path.join(root, 'cli.log'), 'utf8').trim().split('\n').filter(Boolean));

beforeAll(() => {
  root = makeTempDir('kota-scheduler-');
  process.env.PIPELINES_DIR = path.join(root, 'pipelines');
  const add = (id: string, text: string) => {
    mkdirSync(path.join(root, 'pipelines', id), { recursive: true });
    writeFileSync(path.join(root, 'pipelines', id, 'pipeline.yaml'), text);
  };
  add('setiap-detik', stringify(baseSpec({ schedule: '* * * * * *' })));
  add('manual-saja', stringify(baseSpec()));
  add('spec-rusak', stringify(baseSpec({ license: 'bukan lisensi', schedule: '* * * * * *' })));
  add('cron-rusak', stringify(baseSpec({ schedule: 'setiap hari' })));
  writeFileSync(path.join(root, 'cli.log'), '');
  writeFileSync(
    path.join(root, 'fake-cli.mjs'),
    `import { appendFileSync } from 'node:fs';
     const log = ${JSON.stringify(path.join(root, 'cli.log'))};
     appendFileSync(log, 'start ' + process.argv.slice(2).join(' ') + '\\n');
     setTimeout(() => appendFileSync(log, 'end\\n'), 1500);`,
  );
});

afterAll(async () => {
  const { stopScheduler } = await import('../../src/lib/server/pipelines/scheduler.ts');
  stopScheduler();
  removeDir(root);
});

test('schedules valid specs with a schedule, skips invalid ones, and never overlaps runs of one pipeline', async () => {
  const { startScheduler, scheduledRuns } = await import('../../src/lib/server/pipelines/scheduler.ts');
  const exits: string[] = [];
  const scheduled = startScheduler({ cli: path.join(root, 'fake-cli.mjs'), onRunExit: (id) => exits.push(id) });
  expect(scheduled).toEqual(['setiap-detik']);

  // Wait for two complete runs: with 1 s ticks and 1.5 s runs, ticks fall inside a running child.
  await waitFor(() => exits.length >= 2, { timeoutMs: 8000, what: 'two scheduled runs to finish' });
  const lines = log();
  expect(lines[0]).toBe('start run setiap-detik --trigger schedule');
  // Strictly alternating start/end: a second start before the first end would be an overlap.
  lines.forEach((line, i) => expect(line.split(' ')[0]).toBe(i % 2 === 0 ? 'start' : 'end'));
  expect(scheduledRuns()[0]).toMatchObject({ id: 'setiap-detik', exit_code: 0 });
});

test('with a fleet claim, a tick runs only when this server wins it, and every server asks for the same instant', async () => {
  const { startScheduler, stopScheduler } = await import('../../src/lib/server/pipelines/scheduler.ts');
  stopScheduler();
  writeFileSync(path.join(root, 'cli.log'), '');
  const asked: number[] = [];
  const exits: string[] = [];
  startScheduler({
    cli: path.join(root, 'fake-cli.mjs'),
    onRunExit: (id) => exits.push(id),
    // Another server wins every tick but the third.
    claim: async (_id, dueAt) => (asked.push(dueAt.getTime()), asked.length === 3),
  });
  await waitFor(() => exits.length >= 1 && asked.length >= 4, { timeoutMs: 8000, what: 'four ticks and one run' });
  stopScheduler();
  expect(log().filter((l) => l.startsWith('start'))).toHaveLength(1);
  // Whole seconds of the schedule (the same on every server), one apart.
  for (const t of asked) expect(t % 1000).toBe(0);
  expect(asked[1]! - asked[0]!).toBe(1000);
});
