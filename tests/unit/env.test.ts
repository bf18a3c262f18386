import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { env, EnvError, envSchema, freezeEnv } from '../../src/lib/server/config/env.ts';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('the environment module', () => {
  test('defaults when nothing is set', () => {
    delete process.env.PORT;
    delete process.env.KOTA_SQL_TIMEOUT_MS;
    const e = env();
    expect(e.PORT).toBe(4321);
    expect(e.KOTA_SQL_TIMEOUT_MS).toBe(3000);
    expect(e.DATA_DIR).toBe(process.env.DATA_DIR ?? 'data');
  });

  test.each([
    ['PORT', '80a', 'PORT: expected an integer from 1 to 65535, found "80a"'],
    ['PORT', '70000', 'PORT: expected an integer from 1 to 65535, found "70000"'],
    ['KOTA_SQL_TIMEOUT_MS', '-5', 'KOTA_SQL_TIMEOUT_MS: expected a positive number of milliseconds, found "-5"'],
    ['KOTA_SCHEDULER', 'no', 'KOTA_SCHEDULER: '],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL: expected a postgres:// or postgresql:// URL, found "mysql://x"'],
    ['KOTA_RUNNER_MEMORY', 'lots', 'KOTA_RUNNER_MEMORY: expected a size such as 768MB or 1GB, found "lots"'],
  ])('%s=%s is refused with the name and what was expected', (name, value, message) => {
    process.env[name] = value;
    expect(() => env()).toThrow(EnvError);
    expect(() => env()).toThrow(message);
  });

  test('a changed value is seen by the next call', () => {
    process.env.PORT = '5000';
    expect(env().PORT).toBe(5000);
    process.env.PORT = '5001';
    expect(env().PORT).toBe(5001);
  });

  // Last in this file: nothing unfreezes (the server freezes once at start, src/server/entry.ts).
  test('once frozen (the server, at start), later changes to process.env are not read', () => {
    process.env.PORT = '5002';
    expect(freezeEnv().PORT).toBe(5002);
    process.env.PORT = '5003';
    expect(env().PORT).toBe(5002);
  });

  test('README lists every variable', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const missing = Object.keys(envSchema.shape).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
