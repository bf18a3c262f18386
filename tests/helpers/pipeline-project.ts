import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { runPipeline, type RunOptions } from '../../src/lib/server/pipelines/runner.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = process.execPath;

/**
 * A throw-away project root (its own pipelines/, datasets/, data/ and a copy of the deployment config), so each
 * test runs the real runner against real files and a real DuckDB without touching the repository's data.
 */
export interface TestProject {
  root: string;
  dataDir: string;
  addPipeline(id: string, spec: Record<string, unknown>, transformSql?: string): void;
  writeFile(relative: string, content: string | Buffer): string;
  run(id: string, options?: RunOptions): ReturnType<typeof runPipeline>;
  cli(args: string[], env?: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }>;
  env(): Record<string, string>;
}

export function createProject(prefix = 'kota-test-'): TestProject {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'), { recursive: true });
  mkdirSync(path.join(root, 'datasets'), { recursive: true });
  copyFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), path.join(root, 'kota.config.yaml'));
  const env = () => ({ KOTA_ROOT: root, DATA_DIR: dataDir, KOTA_RETRY_BASE_MS: '20', KOTA_LOCALE: 'en' });
  return {
    root,
    dataDir,
    env,
    addPipeline(id, spec, transformSql) {
      const dir = path.join(root, 'pipelines', id);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'pipeline.yaml'), stringify(spec));
      if (transformSql !== undefined) writeFileSync(path.join(dir, 'transform.sql'), transformSql);
    },
    writeFile(relative, content) {
      const file = path.join(root, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    async run(id, options) {
      Object.assign(process.env, env());
      return runPipeline(id, options);
    },
    cli(args, extraEnv = {}) {
      return new Promise((resolve) => {
        const child = spawn(NODE, [path.join(REPO_ROOT, 'src/cli/pipeline.ts'), ...args], {
          cwd: root,
          env: { ...process.env, ...env(), ...extraEnv },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    },
  };
}

/** A complete, valid spec; tests override what they exercise. */
export function baseSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Sampel sintetis: data uji',
    description: 'Data contoh untuk pengujian otomatis; bukan statistik resmi.',
    organization: 'diskominfo',
    topics: ['pemerintahan'],
    license: 'CC-BY-4.0',
    update_frequency: 'tahunan',
    contact_point: { name: 'Tim Uji', email: 'uji@example.go.id' },
    temporal_coverage: { start: '2024-01-01' },
    spatial_coverage: { name: 'Kota Bandung', region_code: '3273' },
    data_type: 'statistik',
    classification: 'terbuka',
    presentation_level: 'kecamatan',
    source_attribution: 'Dibuat untuk pengujian',
    synthetic: true,
    source: { path: 'datasets/data.csv', format: 'csv' },
    schema: {
      primary_key: ['kecamatan'],
      fields: [
        { name: 'kecamatan', type: 'string', title: 'Kecamatan', constraints: { required: true } },
        { name: 'jumlah', type: 'integer', title: 'Jumlah', constraints: { minimum: 0 } },
      ],
    },
    ...overrides,
  };
}
