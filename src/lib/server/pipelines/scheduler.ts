import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { deployment } from '../config/deployment.ts';
import { pipelinesDir, projectRoot } from '../config/paths.ts';
import { readCurrent } from '../lake/read.ts';
import { listPipelineIds, loadPipeline } from './load-spec.ts';
import { newRunId, saveRun } from './run-store.ts';
import { env } from '../config/env.ts';

/**
 * Runs scheduled pipelines from inside the server. Each run is a child process of the pipeline CLI,
 * exactly as an operator would start it, so a crash in a run cannot take the server down and the CLI
 * stays the only code that publishes. The CLI writes the run record; the catalog sync indexes it.
 *
 * Specs are re-read every few seconds: a new, changed or removed `schedule` takes effect without a restart.
 * A run still going after its `run_timeout_minutes` (kota.config.yaml `pipelines.run_timeout_minutes` by default)
 * is stopped (SIGTERM, then SIGKILL) and recorded as an error; a run stopped before its pointer switch leaves the
 * lake as it was (invariant 2).
 */
export interface SchedulerOptions {
  /** The CLI to run; tests point this at a stand-in. */
  cli?: string;
  /** Cron timezone. Indonesian cities mostly run on WIB. */
  timezone?: string;
  /** Called when a run's child process exits (the server syncs the catalog then). */
  onRunExit?: (id: string, code: number | null) => void;
  /** How often the specs are re-read for new, changed and removed schedules. */
  reloadMs?: number;
  /** Between SIGTERM and SIGKILL when a run is stopped. */
  killGraceMs?: number;
  /**
   * The fleet lease: every server of a fleet sees each tick, and only the one for which this answers true runs it
   * (see ./schedule-claims.ts). Without it, this process runs every tick.
   */
  claim?: (id: string, dueAt: Date) => Promise<boolean>;
}

export interface ScheduledRun {
  id: string;
  started_at: string;
  finished_at: string | null;
  exit_code: number | null;
  /** Set when the scheduler stopped the run itself. */
  stopped?: 'timeout' | 'shutdown';
}

interface Job {
  cron: Cron;
  schedule: string;
}

interface Running {
  child: ChildProcess;
  record: ScheduledRun;
  exited: Promise<void>;
  stop(reason: NonNullable<ScheduledRun['stopped']>): void;
}

const jobs = new Map<string, Job>();
/** The spec file stamp last read per pipeline, so unchanged specs are not parsed again on every reload. */
const seen = new Map<string, string>();
const running = new Map<string, Running>();
/** The latest scheduled run per pipeline, for the health and admin pages. */
const latest = new Map<string, ScheduledRun>();
let options: SchedulerOptions = {};
let reloadTimer: NodeJS.Timeout | undefined;

export function schedulerEnabled(): boolean {
  return env().KOTA_SCHEDULER !== 'off';
}

/** Reads every pipeline spec, schedules those with a `schedule` and keeps re-reading them. Returns the scheduled ids. */
export function startScheduler(startOptions: SchedulerOptions = {}): string[] {
  void stopScheduler();
  options = startOptions;
  reloadSchedules();
  if (jobs.size > 0) console.info(`[scheduler] scheduled: ${[...jobs.keys()].join(', ')}`);
  reloadTimer = setInterval(reloadSchedules, options.reloadMs ?? 5000);
  reloadTimer.unref();
  return [...jobs.keys()];
}

/**
 * Stops future runs. Runs already started finish on their own (the CLI holds its lock until then), unless
 * `stopRunning` (server shutdown): then they are stopped and recorded as interrupted; resolves once they exited.
 */
export async function stopScheduler(stop: { stopRunning?: boolean } = {}): Promise<void> {
  clearInterval(reloadTimer);
  reloadTimer = undefined;
  for (const job of jobs.values()) job.cron.stop();
  jobs.clear();
  seen.clear();
  if (!stop.stopRunning) return;
  const runs = [...running.values()];
  for (const run of runs) run.stop('shutdown');
  await Promise.all(runs.map((run) => run.exited));
}

export function scheduledRuns(): ScheduledRun[] {
  return [...latest.values()];
}

/** Pipelines with a cron job right now. */
export function scheduledIds(): string[] {
  return [...jobs.keys()].sort();
}

/** Brings the cron jobs in line with the specs on disk: new schedules start, changed ones restart, removed ones stop. */
export function reloadSchedules(): void {
  const ids = listPipelineIds();
  for (const id of [...seen.keys()]) {
    if (ids.includes(id)) continue;
    seen.delete(id);
    unschedule(id, 'pipeline removed');
  }
  for (const id of ids) {
    const stamp = specStamp(id);
    if (seen.get(id) === stamp) continue;
    seen.set(id, stamp);
    let schedule: string | undefined;
    try {
      schedule = loadPipeline(id).spec.schedule;
    } catch (error) {
      console.warn(`[scheduler] ${id}: not scheduled, invalid spec: ${(error as Error).message}`);
      unschedule(id);
      continue;
    }
    if (jobs.get(id)?.schedule === schedule) continue;
    unschedule(id, schedule ? undefined : 'no schedule in the spec any more');
    if (schedule) schedulePipeline(id, schedule);
  }
}

function schedulePipeline(id: string, schedule: string): void {
  // The first read is summed up in one line by startScheduler; later changes are named one by one.
  const announce = reloadTimer !== undefined;
  try {
    const cron = new Cron(schedule, { name: `pipeline:${id}`, timezone: options.timezone ?? 'Asia/Jakarta', mode: '5-or-6-parts', unref: true }, (self: Cron) =>
      void claimThenRun(id, self.currentRun()),
    );
    jobs.set(id, { cron, schedule });
    if (announce) console.info(`[scheduler] ${id}: scheduled "${schedule}"`);
  } catch (error) {
    console.warn(`[scheduler] ${id}: not scheduled, invalid schedule "${schedule}": ${(error as Error).message}`);
  }
}

function unschedule(id: string, why?: string): void {
  const job = jobs.get(id);
  if (!job) return;
  job.cron.stop();
  jobs.delete(id);
  if (why) console.info(`[scheduler] ${id}: no longer scheduled (${why})`);
}

function specStamp(id: string): string {
  try {
    const s = statSync(path.join(pipelinesDir(), id, 'pipeline.yaml'));
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

/** The spec's run_timeout_minutes, else the deployment's default; read when the run starts so edits count. */
function timeoutMinutes(id: string): number {
  let fromSpec: number | undefined;
  try {
    fromSpec = loadPipeline(id).spec.run_timeout_minutes;
  } catch {
    // An invalid spec makes the CLI stop at once; the default bounds it anyway.
  }
  return fromSpec ?? deployment().pipelines.run_timeout_minutes;
}

/** Runs the tick due at `due` if this process wins the fleet's claim for it (the same instant on every server). */
async function claimThenRun(id: string, due: Date | null): Promise<void> {
  if (options.claim) {
    const dueAt = new Date(Math.floor((due ?? new Date()).getTime() / 1000) * 1000);
    try {
      if (!(await options.claim(id, dueAt))) return;
    } catch (error) {
      console.warn(`[scheduler] ${id}: tick skipped, the fleet claim failed: ${(error as Error).message}`);
      return;
    }
  }
  runScheduled(id);
}

function runScheduled(id: string): void {
  if (running.has(id)) {
    console.info(`[scheduler] ${id}: previous scheduled run still running; this tick is skipped`);
    return;
  }
  const cli = options.cli ?? path.join(projectRoot(), 'src/cli/pipeline.ts');
  if (!existsSync(cli)) {
    console.warn(`[scheduler] ${id}: cannot run, pipeline CLI not found at ${cli}`);
    return;
  }
  const minutes = timeoutMinutes(id);
  const record: ScheduledRun = { id, started_at: new Date().toISOString(), finished_at: null, exit_code: null };
  latest.set(id, record);
  const child = spawn(process.execPath, [cli, 'run', id, '--trigger', 'schedule'], {
    cwd: projectRoot(),
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The CLI already names the pipeline on each line it prints.
  prefixLines(child.stdout, (line) => console.info(`[scheduler] ${line}`));
  prefixLines(child.stderr, (line) => console.warn(`[scheduler] ${line}`));
  let finished = false;
  let killTimer: NodeJS.Timeout | undefined;
  let markExited: () => void = () => {};
  const exited = new Promise<void>((resolve) => (markExited = resolve));
  const stop = (reason: NonNullable<ScheduledRun['stopped']>) => {
    if (finished || record.stopped) return;
    record.stopped = reason;
    console.warn(`[scheduler] ${id}: stopping the run (${reason === 'timeout' ? `still going after ${minutes} min` : 'the server is stopping'})`);
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? 5000);
  };
  const timeout = setTimeout(() => stop('timeout'), minutes * 60_000);
  const finish = async (code: number | null, why: string) => {
    if (finished) return;
    finished = true;
    clearTimeout(timeout);
    clearTimeout(killTimer);
    running.delete(id);
    record.finished_at = new Date().toISOString();
    record.exit_code = code;
    console.info(`[scheduler] ${id}: run ended (${why})`);
    // A run stopped by a signal wrote no record of its own: the history must still show it.
    if (record.stopped && code === null) await recordStopped(record, minutes).catch((error) => console.warn(`[scheduler] ${id}: ${(error as Error).message}`));
    markExited();
    options.onRunExit?.(id, code);
  };
  running.set(id, { child, record, exited, stop });
  child.on('error', (error) => void finish(null, `could not start: ${error.message}`));
  child.on('close', (code, signal) => void finish(code, signal ? `signal ${signal}` : `exit code ${code}`));
}

async function recordStopped(run: ScheduledRun, minutes: number): Promise<void> {
  const started = Date.parse(run.started_at);
  await saveRun({
    run_id: newRunId(new Date(started)),
    dataset: run.id,
    trigger: 'schedule',
    status: 'error',
    started_at: run.started_at,
    finished_at: run.finished_at!,
    duration_ms: Date.parse(run.finished_at!) - started,
    rows: null,
    version: null,
    previous_version: (await readCurrent(run.id))?.version ?? null,
    source: { location: '', sha256: null, bytes: null },
    report: [],
    checks: [],
    error:
      run.stopped === 'timeout'
        ? `timeout: the scheduled run was still going after ${minutes} min (run_timeout_minutes) and was stopped`
        : 'interrupted: the server stopped while this scheduled run was going',
  });
}

function prefixLines(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) log(line);
  });
  stream?.on('end', () => rest.trim() && log(rest));
}
