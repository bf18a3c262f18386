import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { projectRoot } from '../config/paths.ts';
import { listPipelineIds, loadPipeline } from './load-spec.ts';
import { env } from '../config/env.ts';

/**
 * Runs scheduled pipelines from inside the server. Each run is a child process of the pipeline CLI,
 * exactly as an operator would start it, so a crash in a run cannot take the server down and the CLI
 * stays the only code that publishes. The CLI writes the run record; the catalog sync indexes it.
 */
export interface SchedulerOptions {
  /** The CLI to run; tests point this at a stand-in. */
  cli?: string;
  /** Cron timezone. Indonesian cities mostly run on WIB. */
  timezone?: string;
  /** Called when a run's child process exits (the server syncs the catalog then). */
  onRunExit?: (id: string, code: number | null) => void;
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
}

const jobs = new Map<string, Cron>();
const running = new Map<string, ChildProcess>();
/** The latest scheduled run per pipeline, for the health and admin pages. */
const latest = new Map<string, ScheduledRun>();

export function schedulerEnabled(): boolean {
  return env().KOTA_SCHEDULER !== 'off';
}

/** (Re)reads every pipeline spec and schedules those with a `schedule`. Returns the scheduled ids. */
export function startScheduler(options: SchedulerOptions = {}): string[] {
  stopScheduler();
  const cli = options.cli ?? path.join(projectRoot(), 'src/cli/pipeline.ts');
  for (const id of listPipelineIds()) {
    let schedule: string | undefined;
    try {
      schedule = loadPipeline(id).spec.schedule;
    } catch (error) {
      console.warn(`[scheduler] ${id}: skipped, invalid spec: ${(error as Error).message}`);
      continue;
    }
    if (!schedule) continue;
    try {
      const job = new Cron(schedule, { name: `pipeline:${id}`, timezone: options.timezone ?? 'Asia/Jakarta', mode: '5-or-6-parts', unref: true }, (self: Cron) =>
        void claimThenRun(id, cli, options, self.currentRun()),
      );
      jobs.set(id, job);
    } catch (error) {
      console.warn(`[scheduler] ${id}: skipped, invalid schedule "${schedule}": ${(error as Error).message}`);
    }
  }
  if (jobs.size > 0) console.info(`[scheduler] scheduled: ${[...jobs.keys()].join(', ')}`);
  return [...jobs.keys()];
}

/** Stops future runs; runs already started finish on their own (the CLI holds its lock until then). */
export function stopScheduler(): void {
  for (const job of jobs.values()) job.stop();
  jobs.clear();
}

export function scheduledRuns(): ScheduledRun[] {
  return [...latest.values()];
}

/** Runs the tick due at `due` if this process wins the fleet's claim for it (the same instant on every server). */
async function claimThenRun(id: string, cli: string, options: SchedulerOptions, due: Date | null): Promise<void> {
  if (options.claim) {
    const dueAt = new Date(Math.floor((due ?? new Date()).getTime() / 1000) * 1000);
    try {
      if (!(await options.claim(id, dueAt))) return;
    } catch (error) {
      console.warn(`[scheduler] ${id}: tick skipped, the fleet claim failed: ${(error as Error).message}`);
      return;
    }
  }
  runScheduled(id, cli, options);
}

function runScheduled(id: string, cli: string, options: SchedulerOptions): void {
  if (running.has(id)) {
    console.info(`[scheduler] ${id}: previous scheduled run still running; this tick is skipped`);
    return;
  }
  if (!existsSync(cli)) {
    console.warn(`[scheduler] ${id}: cannot run, pipeline CLI not found at ${cli}`);
    return;
  }
  const record: ScheduledRun = { id, started_at: new Date().toISOString(), finished_at: null, exit_code: null };
  latest.set(id, record);
  const child = spawn(process.execPath, [cli, 'run', id, '--trigger', 'schedule'], {
    cwd: projectRoot(),
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.set(id, child);
  // The CLI already names the pipeline on each line it prints.
  prefixLines(child.stdout, (line) => console.info(`[scheduler] ${line}`));
  prefixLines(child.stderr, (line) => console.warn(`[scheduler] ${line}`));
  let finished = false;
  const finish = (code: number | null, why: string) => {
    if (finished) return;
    finished = true;
    running.delete(id);
    record.finished_at = new Date().toISOString();
    record.exit_code = code;
    console.info(`[scheduler] ${id}: run ended (${why})`);
    options.onRunExit?.(id, code);
  };
  child.on('error', (error) => finish(null, `could not start: ${error.message}`));
  child.on('close', (code, signal) => finish(code, signal ? `signal ${signal}` : `exit code ${code}`));
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
