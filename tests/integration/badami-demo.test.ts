import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { visibleText } from './auth-helpers.ts';
import { DEMO_INNOVATIONS } from '../../src/lib/server/badami/demo-data.ts';

/**
 * The Badami board's demo content (KOTA_DEMO_CONTENT=on, which npm start sets): at least 20 innovations over every
 * stage and at least six OPDs, each labelled as a sample; seeding again on the next start adds nothing.
 */
let root: string;
let server: TestServer | undefined;

beforeAll(() => {
  root = makeTempDir('kota-badami-demo-');
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

describe('demo innovations', () => {
  test('the data itself covers every stage and six OPDs, each title marked as a sample', () => {
    expect(DEMO_INNOVATIONS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(DEMO_INNOVATIONS.map((d) => d.opd)).size).toBeGreaterThanOrEqual(6);
    const stages = new Set(DEMO_INNOVATIONS.map((d) => d.path.at(-1) ?? 'ide'));
    expect([...stages].sort()).toEqual(['dihentikan', 'ide', 'inisiatif', 'penerapan', 'replikasi', 'uji_coba']);
    for (const d of DEMO_INNOVATIONS) expect(d.title).toMatch(/^Contoh: /);
    expect(DEMO_INNOVATIONS.filter((d) => d.kpi?.dataset).length).toBeGreaterThanOrEqual(2);
  });

  test('a server started with KOTA_DEMO_CONTENT=on shows them on the board, labelled; a restart seeds nothing twice', async () => {
    const dataDir = path.join(root, 'data');
    server = await startTestServer({ dataDir, env: { KOTA_DEMO_CONTENT: 'on' } });
    const board = await server.get('/badami');
    expect(board.status).toBe(200);
    const text = visibleText(board.text);
    expect(text, server.output()).toContain(`${DEMO_INNOVATIONS.length} inovasi`);
    expect(text).toContain('inovasi bertanda “contoh” adalah data demo');
    for (const stage of ['Ide', 'Inisiatif', 'Uji coba', 'Penerapan', 'Replikasi', 'Dihentikan']) expect(text).toMatch(new RegExp(`${stage} \\(\\d+\\)`));
    expect(text).not.toMatch(/Ide \(0\)|Inisiatif \(0\)|Uji coba \(0\)|Penerapan \(0\)|Replikasi \(0\)|Dihentikan \(0\)/);
    const one = visibleText((await server.get('/badami/innovations/demo13')).text);
    expect(one).toContain('Contoh: Bank sampah digital');
    expect(one).toContain('Seribu nasabah baru');
    await server.stop();
    server = await startTestServer({ dataDir, env: { KOTA_DEMO_CONTENT: 'on' } });
    expect(visibleText((await server.get('/badami')).text)).toContain(`${DEMO_INNOVATIONS.length} inovasi`);
  }, 240_000);
});
