import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ConfigError, linkOrigin } from '../../src/lib/server/config/deployment.ts';

const repoConfig = path.resolve(import.meta.dirname, '../../kota.config.yaml');
afterEach(() => {
  delete process.env.KOTA_CONFIG;
});

describe('origin of links in e-mails', () => {
  test('without portal_url only a request to this machine may build them; a forged Host is refused', () => {
    process.env.KOTA_CONFIG = repoConfig;
    expect(linkOrigin('http://localhost:4321')).toBe('http://localhost:4321');
    expect(linkOrigin('http://127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(() => linkOrigin('http://evil.example')).toThrow(ConfigError);
  });

  test('with portal_url, links always use it, whatever the Host header said', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kota-config-'));
    const file = path.join(dir, 'kota.config.yaml');
    writeFileSync(file, readFileSync(repoConfig, 'utf8').replace('# portal_url: https://data.bandung.go.id', 'portal_url: https://data.bandung.go.id'));
    process.env.KOTA_CONFIG = file;
    expect(linkOrigin('http://evil.example')).toBe('https://data.bandung.go.id');
    expect(linkOrigin('http://localhost:4321')).toBe('https://data.bandung.go.id');
  });
});
