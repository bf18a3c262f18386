import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { isProcessAlive } from '../../src/lib/server/process-alive.ts';
import { listRuns } from '../../src/lib/server/pipelines/run-store.ts';
import { baseSpec } from '../helpers/pipeline-project.ts';
import { makeTempDir, removeDir, waitFor } from '../helpers/temp.ts';

/**
 * The scheduler re-reads specs while it runs (issue 8, Operations): a new schedule starts, an edited one changes,
 * a removed one stops, all without a restart; and a hung run is stopped after its run_timeout_minutes and recorded.
 * A stand-in CLI logs its starts; for the pipeline "macet" it never ends.
 */
let root: string;
const starts = (id: string) => readFileSync(path.join(root, 'cli.log'), 'utf8').split('\n').filter((l) => l === `start run ${id} --trigger schedule`).length;
/** Process ids of the stand-in CLI's runs of one pipeline, in order. */
const pids = (id: string) =>
  readFileSync(path.join(root, 'pids.log'), 'utf8').split('\n').filter((l) => l.startsWith(`${id} `)).map((l) => Number(l.split(' ')[1]));

function writeSpec(id: string, spec: Record<string, unknown> | null): void {
  const dir = path.join(root, 'pipelines', id);
  if (spec === null) return rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'pipeline.yaml'), stringify(spec));
}

beforeAll(() => {
  root = makeTempDir('kota-scheduler-reload-');
  process.env.KOTA_ROOT = root;
  process.env.PIPELINES_DIR = path.join(root, 'pipelines');
  process.env.DATA_DIR = path.join(root, 'data');
  writeFileSync(path.join(root, 'kota.config.yaml'), readFileSync(path.join(import.meta.dirname, '../../kota.config.yaml')));
  mkdirSync(path.join(root, 'pipelines'));
  writeFileSync(path.join(root, 'cli.log'), '');
  writeFileSync(path.join(root, 'pids.log'), '');
  writeFileSync(
    path.join(root, 'fake-cli.mjs'),
    `import { appendFileSync } from 'node:fs';
     appendFileSync(${JSON.stringify(path.join(root, 'cli.log'))}, 'start ' + process.argv.slice(2).join(' ') + '\\n');
     appendFileSync(${JSON.stringify(path.join(root, 'pids.log'))}, process.argv[3] + ' ' + process.pid + '\\n');
     if (process.argv[3] === 'macet') setInterval(() => {}, 1000);`,
  );
});

afterAll(async () => {
  const { stopScheduler } = await import('../../src/lib/server/pipelines/scheduler.ts');
  await stopScheduler({ stopRunning: true });
  removeDir(root);
});

test('new, changed and removed schedules take effect without a restart', async () => {
  const { startScheduler, scheduledIds, scheduledRuns } = await import('../../src/lib/server/pipelines/scheduler.ts');
  writeSpec('manual', baseSpec());
  expect(startScheduler({ cli: path.join(root, 'fake-cli.mjs'), reloadMs: 200 })).toEqual([]);

  // A pipeline added while the scheduler runs.
  writeSpec('baru', baseSpec({ schedule: '* * * * * *' }));
  await waitFor(() => starts('baru') >= 1, { timeoutMs: 5000, what: 'the new pipeline to run' });

  // An existing pipeline gains a schedule.
  writeSpec('manual', baseSpec({ schedule: '* * * * * *' }));
  await waitFor(() => starts('manual') >= 1, { timeoutMs: 5000, what: 'the edited pipeline to run' });

  // Schedules removed (from the spec, and the whole pipeline): no more runs.
  writeSpec('manual', baseSpec());
  writeSpec('baru', null);
  await waitFor(() => scheduledIds().length === 0, { what: 'both schedules to be dropped' });
  // Runs started before the drop may still be writing their first line: let them end, then count.
  await waitFor(() => scheduledRuns().every((r) => r.finished_at), { what: 'the last runs to end' });
  const [manual, baru] = [starts('manual'), starts('baru')];
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect([starts('manual'), starts('baru')]).toEqual([manual, baru]);
});

test('a hung scheduled run is stopped after run_timeout_minutes and recorded as an error', async () => {
  const { scheduledRuns } = await import('../../src/lib/server/pipelines/scheduler.ts');
  // 0.02 min = 1.2 s.
  writeSpec('macet', baseSpec({ schedule: '* * * * * *', run_timeout_minutes: 0.02 }));
  await waitFor(() => scheduledRuns().find((r) => r.id === 'macet' && r.finished_at), { timeoutMs: 10_000, what: 'the hung run to be stopped' });
  const run = scheduledRuns().find((r) => r.id === 'macet')!;
  expect(run).toMatchObject({ stopped: 'timeout', exit_code: null });
  expect(isProcessAlive(pids('macet')[0]!)).toBe(false);

  // listRuns, not the folder: the record is written to a dot-named temporary file and renamed into place.
  await waitFor(() => listRuns('macet').length > 0, { what: 'the run record' });
  const [record] = listRuns('macet');
  expect(record).toMatchObject({ dataset: 'macet', trigger: 'schedule', status: 'error' });
  expect(record.error).toBe('timeout: the scheduled run was still going after 0.02 min (run_timeout_minutes) and was stopped');
  writeSpec('macet', null);
});

test('stopping the scheduler for a shutdown stops a run in progress and records it as interrupted', async () => {
  const { stopScheduler, scheduledRuns } = await import('../../src/lib/server/pipelines/scheduler.ts');
  writeSpec('lama', baseSpec({ schedule: '* * * * * *' }));
  writeFileSync(path.join(root, 'fake-cli.mjs'), readFileSync(path.join(root, 'fake-cli.mjs'), 'utf8').replace("=== 'macet'", "=== 'lama' || process.argv[3] === 'macet'"));
  await waitFor(() => scheduledRuns().find((r) => r.id === 'lama' && !r.finished_at), { timeoutMs: 10_000, what: 'a run of "lama" to start' });
  await stopScheduler({ stopRunning: true });
  expect(scheduledRuns().find((r) => r.id === 'lama')).toMatchObject({ stopped: 'shutdown', exit_code: null });
  expect(pids('lama').map(isProcessAlive)).not.toContain(true);
  const [record] = listRuns('lama');
  expect(record).toMatchObject({ status: 'error', error: 'interrupted: the server stopped while this scheduled run was going' });
});
