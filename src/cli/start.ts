import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureBuild } from './build-stamp.ts';
import { serve } from './serve.ts';

/**
 * `npm start`: build if the sources changed, run every pipeline once (so a fresh checkout has data),
 * then serve. A failing pipeline does not stop the start: the previously published versions keep serving.
 * package.json runs this with `exec` so that the SIGTERM/SIGINT npm forwards reaches it (see serve.ts).
 */
const root = process.cwd();

await ensureBuild(root);

const cli = path.join(root, 'src', 'cli', 'pipeline.ts');
if (!existsSync(cli)) {
  console.log('[start] src/cli/pipeline.ts not found; skipping the pipeline runs');
} else {
  console.log('[start] running all pipelines (pipeline run --all --trigger start)');
  let stopping = false;
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [cli, 'run', '--all', '--trigger', 'start'], { cwd: root, stdio: 'inherit' });
    // Stopped before the server started: stop the runs too (a run stopped mid-way publishes nothing) and end.
    const stop = (signal: NodeJS.Signals) => {
      stopping = true;
      console.log(`[start] ${signal}: stopping the pipeline runs; the server was not started`);
      child.kill('SIGTERM');
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    child.on('error', (error) => {
      console.error(`[start] could not run the pipelines: ${error.message}`);
      resolve(null);
    });
    child.on('close', (exitCode) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(exitCode);
    });
  });
  if (stopping) process.exit(0);
  if (code !== 0) console.warn(`[start] some pipelines did not publish (exit code ${code}); starting the server anyway`);
}

// The labelled demo datathon (one finished event, one in public voting), once, after the datasets it cites exist.
const datathon = path.join(root, 'src', 'cli', 'datathon.ts');
if (existsSync(datathon)) {
  await new Promise<void>((resolve) => {
    const child = spawn(process.execPath, [datathon, 'demo'], { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve());
    child.on('close', () => resolve());
  });
}

// The Badami board's labelled demo innovations, seeded once by the server (KOTA_DEMO_CONTENT=off to skip).
process.env.KOTA_DEMO_CONTENT ??= 'on';
await serve(root);
