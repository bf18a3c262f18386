import os from 'node:os';
import path from 'node:path';
import { makeTempDir, removeDir } from '../tests/helpers/temp.ts';

/**
 * Badami's bulk update, in process on a fresh SQLite store: how long an import holds the store's write lock.
 * 1. 2,000 new KPI measurements from a CSV file (`importFile`), next to the baseline measured in the same run: the
 *    same 2,000 rows through `addMeasurement` one by one (what the import did before `addMeasurements`).
 * 2. The measurements export of those 4,000 rows imported back unchanged (round trip).
 * 3. 500 innovations: the IID export imported back unchanged, then with every title changed.
 * Wall and CPU time of this process; on a shared machine the CPU figure moves less.
 */
const MEASUREMENTS = 2_000;
const INNOVATIONS = 500;

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  console.log(`${label.padEnd(58)} wall ${((performance.now() - t0) / 1000).toFixed(2)} s   cpu ${((used.user + used.system) / 1e6).toFixed(2)} s`);
  return result;
}

async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

export async function run(): Promise<void> {
  const root = makeTempDir('kota-bench-badami-import-');
  process.env.DATA_DIR = path.join(root, 'data');
  try {
    const { openStore, closeStores } = await import('../src/lib/server/db/store.ts');
    const { createUser } = await import('../src/lib/server/auth/user.ts');
    const { createInnovation } = await import('../src/lib/server/badami/innovations.ts');
    const { addMeasurement, saveKpi } = await import('../src/lib/server/badami/kpis.ts');
    const { importFile } = await import('../src/lib/server/badami/import.ts');
    const { MEASUREMENT_COLUMNS, measurementExportRows } = await import('../src/lib/server/badami/record-export.ts');
    const { iidColumns, iidRows } = await import('../src/lib/server/badami/iid-export.ts');
    const { exportResponse } = await import('../src/lib/server/community/exports.ts');
    await openStore();
    const user = await createUser({ email: 'bench@impor.test', name: 'Bench', passwordHash: '!', emailVerified: true });
    const actor = { id: user.id, roles: [{ role: 'official' as const, scope: 'dinkes' }] };
    const profile = (i: number) => ({
      title: `Inovasi impor ${i}`, summary: 'Inovasi sintetis untuk mengukur impor massal Badami.', opd: 'dinkes', initiator: 'opd', innovation_type: 'digital',
      form: 'pelayanan_publik', affair: 'kesehatan', design: 'Baris satu.\r\nBaris dua.', goals: '', benefits: '', results: '', budget: 1000 + i, start_date: '2026-01-01',
      contacts: [{ name: 'Siti Rahma', role: 'Kepala Seksi', email: 'siti@example.go.id' }], city_wide: true, kecamatan: [], origin_kind: 'opd', origin_title: '', origin_url: '',
      topics: [], sdgs: [], datasets: [], parent_id: null,
    });
    const ids: string[] = [];
    for (let i = 0; i < INNOVATIONS; i++) {
      const made = await createInnovation(actor, profile(i));
      if (!made.ok) throw new Error(`seeding: ${JSON.stringify(made)}`);
      ids.push(made.id);
    }
    const kpi = await saveKpi(actor, ids[0]!, { name: 'K', unit: '%', baseline: 1, target: 9, target_on: '2030-12-31', direction: 'higher' });
    if (!kpi.ok) throw new Error('kpi');
    console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    await timed(`baseline: ${MEASUREMENTS} × addMeasurement, row by row`, async () => {
      for (let i = 0; i < MEASUREMENTS; i++) await addMeasurement(actor, ids[0]!, kpi.id, { measured_on: '2026-01-01', value: i, note: '' });
    });
    const header = 'ID inovasi,Nama inovasi,ID KPI,KPI,ID pengukuran,Tanggal ukur (TTTT-BB-HH),Nilai,Sumber,Catatan\r\n';
    const csv = header + Array.from({ length: MEASUREMENTS }, (_, i) => `${ids[0]},,${kpi.id},,,2026-02-01,${i},,`).join('\r\n');
    const added = await timed(`import: ${MEASUREMENTS} new measurements (one file)`, () => importFile(actor, { kind: 'measurements', bytes: new TextEncoder().encode(csv) }));
    if (!added.ok || added.added !== MEASUREMENTS) throw new Error(`import: ${JSON.stringify(added).slice(0, 300)}`);

    const measurements = await bytesOf(exportResponse({ format: 'csv', filename: 'm', columns: MEASUREMENT_COLUMNS, rows: await measurementExportRows('dinkes'), locale: 'id' }));
    const same = await timed(`import: measurements export back unchanged (${2 * MEASUREMENTS} rows)`, () => importFile(actor, { kind: 'measurements', bytes: measurements }));
    if (!same.ok || same.unchanged !== 2 * MEASUREMENTS) throw new Error(`round trip: ${JSON.stringify(same).slice(0, 300)}`);

    const iid = await bytesOf(exportResponse({ format: 'csv', filename: 'iid', columns: iidColumns('id'), rows: await iidRows('dinkes'), locale: 'id' }));
    const unchanged = await timed(`import: IID export back unchanged (${INNOVATIONS} innovations)`, () => importFile(actor, { kind: 'innovations', bytes: iid }));
    if (!unchanged.ok || unchanged.unchanged !== INNOVATIONS) throw new Error(`iid: ${JSON.stringify(unchanged).slice(0, 300)}`);
    const renamed = new TextEncoder().encode(new TextDecoder().decode(iid).replaceAll('Inovasi impor ', 'Inovasi impor baru '));
    const changed = await timed(`import: IID export with every title changed (${INNOVATIONS})`, () => importFile(actor, { kind: 'innovations', bytes: renamed }));
    if (!changed.ok || changed.changed !== INNOVATIONS) throw new Error(`iid changed: ${JSON.stringify(changed).slice(0, 300)}`);
    await closeStores();
  } finally {
    removeDir(root);
  }
}
