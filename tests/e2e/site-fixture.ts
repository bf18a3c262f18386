import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir } from '../helpers/temp.ts';

/** A small public catalog on the real server, and Chromium, for the site's browser tests. */
export interface SiteFixture {
  root: string;
  server: TestServer;
  browser: Browser;
}

const SEKOLAH: FieldSpec[] = [
  { name: 'kecamatan', type: 'string', title: 'Kecamatan', description: 'Nama kecamatan' },
  { name: 'jumlah_sekolah', type: 'integer', title: 'Jumlah sekolah', unit: 'sekolah' },
];

export async function startSite(prefix: string): Promise<SiteFixture> {
  const root = makeTempDir(prefix);
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'));
  await publishTestVersion(dataDir, {
    id: 'penduduk-kecamatan',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }, { kecamatan: 'Coblong', jumlah_penduduk: 113456 }],
    publishedAt: '2026-01-15T02:00:00.000Z',
  });
  await publishTestVersion(dataDir, {
    id: 'sekolah-kecamatan',
    fields: SEKOLAH,
    rows: [{ kecamatan: 'Andir', jumlah_sekolah: 41 }],
    publishedAt: '2026-01-12T02:00:00.000Z',
    metadata: {
      title: 'Jumlah Sekolah per Kecamatan',
      title_en: 'Schools by District',
      description: 'Jumlah sekolah menurut kecamatan (sampel sintetis untuk pengujian).',
      organization: 'disdik',
      topics: ['pendidikan'],
      tags: ['sekolah'],
    },
  });
  const server = await startTestServer({ dataDir, env: { PIPELINES_DIR: path.join(root, 'pipelines') } });
  return { root, server, browser: await launchChromium() };
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs (FIELD-NOTES). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
