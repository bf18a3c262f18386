import { getUserByEmail, createUser } from '../auth/user.ts';
import { publicDataset } from '../catalog/access.ts';
import type { Actor } from '../auth/rule-kit.ts';
import { DEMO_INNOVATIONS, type DemoInnovation } from './demo-data.ts';
import { bindKpi } from './kpi-binding.ts';
import { createInnovation, getInnovation } from './innovations.ts';
import { addMeasurement, saveKpi } from './kpis.ts';
import { saveMilestone } from './milestones.ts';
import type { Outcome } from './results.ts';
import { moveStage } from './transitions.ts';
import { promoteDemoWinner } from './promote.ts';
import { postUpdate } from './updates.ts';

/**
 * Seeds the Badami board's labelled demo content (demo-data.ts) through the domain functions, as an account named
 * for it that cannot log in. Idempotent: an innovation whose id exists is left alone, so a restart adds nothing and
 * an official's changes to a demo innovation stay. A KPI bound to a demo dataset that is not published keeps its
 * hand-entered values only.
 */
const DEMO_EMAIL = 'badami-demo@example.invalid';
/** The finished demo event of the datathon's demo content (datathon/demo-content.ts). */
const DEMO_DATATHON = 'demo-datathon-2025';

async function demoActor(): Promise<Actor> {
  const user = (await getUserByEmail(DEMO_EMAIL)) ?? (await createUser({ email: DEMO_EMAIL, name: 'Contoh Badami (demo)', passwordHash: '!', emailVerified: true }));
  // The account has no role in the store; only this seeding acts with an admin's rights in its name.
  return { id: user.id, roles: [{ role: 'admin', scope: '' }] };
}

export async function seedDemoInnovations(): Promise<{ created: number }> {
  let actor: Actor | null = null;
  let created = 0;
  for (const demo of DEMO_INNOVATIONS) {
    if (await getInnovation(demo.id)) continue;
    actor ??= await demoActor();
    await seedOne(actor, demo);
    created++;
  }
  // One innovation incubated from the finished demo datathon, when that demo is there (npm start seeds it first).
  if (await promoteDemoWinner(async () => (actor ??= await demoActor()), DEMO_DATATHON)) created++;
  return { created };
}

function check<T extends object>(what: string, outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`badami demo ${what}: ${JSON.stringify(outcome)}`);
  return outcome;
}

async function seedOne(actor: Actor, d: DemoInnovation): Promise<void> {
  check(
    d.id,
    await createInnovation(
      actor,
      {
        title: d.title,
        summary: d.summary,
        opd: d.opd,
        initiator: 'opd',
        innovation_type: d.digital ? 'digital' : 'non_digital',
        form: d.form,
        affair: d.affair,
        design: `${d.summary}\n\n*Contoh untuk demonstrasi papan Badami; bukan inovasi nyata.*`,
        goals: '',
        benefits: '',
        results: '',
        budget: null,
        start_date: '2026-01-05',
        contacts: [],
        city_wide: d.kecamatan.length === 0,
        kecamatan: d.kecamatan,
        origin_kind: 'opd',
        origin_title: '',
        origin_url: '',
        topics: d.topics,
        sdgs: d.sdgs,
        // Listed only when published (a fresh checkout without the demo pipelines' output has none).
        datasets: d.kpi?.dataset && (await publicDataset(d.kpi.dataset)) ? [d.kpi.dataset] : [],
        parent_id: d.parent ?? null,
      },
      { demo: true, id: d.id, note: 'Contoh: didaftarkan sebagai data demo.' },
    ),
  );
  for (const stage of d.path) {
    const reason = stage === 'dihentikan' ? 'Contoh: anggaran dialihkan ke program lain.' : null;
    check(`${d.id} → ${stage}`, await moveStage(actor, d.id, { to: stage, note: `Contoh: masuk tahap ${stage.replace('_', ' ')}.`, reason }));
  }
  for (const m of d.milestones ?? []) {
    check(`${d.id} milestone`, await saveMilestone(actor, d.id, { title: m.title, owner: 'Tim inovasi', due_on: m.due, completed_on: m.done ?? null, note: '' }));
  }
  if (d.kpi) {
    const k = d.kpi;
    const { id: kpiId } = check(`${d.id} kpi`, await saveKpi(actor, d.id, { name: k.name, unit: k.unit, baseline: k.baseline, target: k.target, target_on: '2027-12-31', direction: k.direction }));
    for (const [on, value] of k.values ?? []) check(`${d.id} measurement`, await addMeasurement(actor, d.id, kpiId, { measured_on: on, value, note: 'Contoh' }));
    if (k.dataset && k.query) {
      const bound = await bindKpi(actor, d.id, kpiId, { dataset: k.dataset, query: k.query });
      if (!bound.ok) console.warn(`[badami] demo ${d.id}: KPI not bound to ${k.dataset} (${bound.code}); kept as a manual KPI`);
    }
  }
  if (d.update) check(`${d.id} update`, await postUpdate(actor, d.id, { title: d.update.title, body: d.update.body }));
}
