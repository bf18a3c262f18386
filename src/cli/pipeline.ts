#!/usr/bin/env node
// The pipeline CLI: `npm run pipeline -- <command>`. It never opens the server's catalog index or the app-state store, so it works while the server runs.
import { deployment } from '../lib/server/config/deployment.ts';
import { isLocale, t, type Locale } from '../lib/i18n/index.ts';
import { listPipelineIds, loadPipeline, SpecError } from '../lib/server/pipelines/load-spec.ts';
import { runOrder } from '../lib/server/pipelines/order.ts';
import { formatProgress, formatRun } from '../lib/server/pipelines/report-format.ts';
import { runPipeline, type ExitCode, type RunOptions } from '../lib/server/pipelines/runner.ts';
import { listRuns } from '../lib/server/pipelines/run-store.ts';
import type { RunRecord } from '../lib/server/pipelines/run-record.ts';
import { env } from '../lib/server/config/env.ts';

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--')));
const args = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--trigger');
const triggerIndex = argv.indexOf('--trigger');
const trigger = (triggerIndex >= 0 ? argv[triggerIndex + 1] : 'cli') as RunRecord['trigger'];
const json = flags.has('--json');
const envLocale = env().KOTA_LOCALE;
const locale: Locale = isLocale(envLocale) ? envLocale : deployment().default_locale;

function print(lines: string[] | string): void {
  for (const line of Array.isArray(lines) ? lines : [lines]) process.stdout.write(line + '\n');
}

function progressPrinter(): RunOptions['onProgress'] {
  let last = '';
  return (p) => {
    const line = formatProgress(p, locale);
    if (line !== last && !json) process.stderr.write(line + '\n');
    last = line;
  };
}

function requireKnown(id: string | undefined): string {
  const ids = listPipelineIds();
  if (!id || !ids.includes(id)) {
    print(id ? t(locale, 'cli.unknown_pipeline', { id, list: ids.join(', ') }) : t(locale, 'cli.usage'));
    process.exit(2);
  }
  return id;
}

async function main(): Promise<ExitCode> {
  const [command, id] = args;
  switch (command) {
    case 'list': {
      for (const pid of listPipelineIds()) {
        try {
          const { spec } = loadPipeline(pid);
          print(`${pid}\t${spec.organization}\t${spec.source.format}\t${spec.classification}\t${spec.schedule ?? '-'}\t${spec.title}`);
        } catch (error) {
          print(`${pid}\t(invalid spec: ${error instanceof SpecError ? error.problems.length + ' problem(s)' : (error as Error).message})`);
        }
      }
      return 0;
    }
    case 'validate': {
      const outcome = await runPipeline(requireKnown(id), { dryRun: true, trigger, onProgress: progressPrinter() });
      print(json ? JSON.stringify(outcome.record, null, 2) : formatRun(outcome.record, locale, { valid: outcome.valid, dryRun: true }));
      return outcome.exitCode;
    }
    case 'run': {
      const ids = flags.has('--all') ? runOrder(listPipelineIds()) : [requireKnown(id)];
      const records: RunRecord[] = [];
      let worst: ExitCode = 0;
      for (const pid of ids) {
        const outcome = await runPipeline(pid, { trigger, force: flags.has('--force'), onProgress: progressPrinter() });
        records.push(outcome.record);
        if (!json) print(formatRun(outcome.record, locale));
        worst = Math.max(worst, outcome.exitCode) as ExitCode;
      }
      if (json) print(JSON.stringify(ids.length === 1 ? records[0] : records, null, 2));
      else if (flags.has('--all')) {
        const count = (s: RunRecord['status']) => records.filter((r) => r.status === s).length;
        print(t(locale, 'cli.all_done', { published: count('published'), unchanged: count('unchanged'), failed: count('failed'), errors: count('error') }));
      }
      return worst;
    }
    case 'history': {
      const pid = requireKnown(id);
      const runs = listRuns(pid);
      if (json) print(JSON.stringify(runs, null, 2));
      else if (runs.length === 0) print(t(locale, 'cli.no_runs', { id: pid }));
      else for (const run of runs) print([`${run.started_at}  ${run.run_id}  [${run.trigger}]`, ...formatRun(run, locale).map((l) => `  ${l}`)]);
      return 0;
    }
    default:
      print(t(locale, 'cli.usage'));
      return 2;
  }
}

const cpuAtStart = process.cpuUsage();
main().then(
  (code) => {
    // --stats: peak resident memory and the CPU time of the command itself (all threads), for bench/ingest.ts.
    if (flags.has('--stats')) {
      const cpu = process.cpuUsage(cpuAtStart);
      process.stderr.write(`peak_rss_kb=${process.resourceUsage().maxRSS} cpu_ms=${Math.round((cpu.user + cpu.system) / 1000)}\n`);
    }
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(2);
  },
);
