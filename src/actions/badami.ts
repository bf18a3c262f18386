import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { problemText } from '../lib/badami/problem-text.ts';
import { t } from '../lib/i18n/index.ts';
import { createInnovation, updateInnovation } from '../lib/server/badami/innovations.ts';
import { bindKpi } from '../lib/server/badami/kpi-binding.ts';
import { addMeasurement, saveKpi } from '../lib/server/badami/kpis.ts';
import { completeMilestone, saveMilestone } from '../lib/server/badami/milestones.ts';
import type { ProfileInput } from '../lib/server/badami/profile.ts';
import { moveStage } from '../lib/server/badami/transitions.ts';
import { postUpdate } from '../lib/server/badami/updates.ts';
import { promoteSubmission } from '../lib/server/badami/promote.ts';
import { actionCode, id, settled, signedIn, text } from './badami-kit.ts';

/**
 * The Badami board's forms (plain HTML form posts, so they work without JavaScript). Each handler only needs a
 * signed-in person; the domain function decides what they may do with this innovation (`opd.innovation.write`)
 * and refuses with nothing changed.
 */
const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
/** Empty stays null; anything else is handed on as a number (NaN included) so the domain names the field. */
const optionalNumber = (value: string) => (value.trim() === '' ? null : Number(value.replace(/[.\s](?=\d{3}\b)/g, '').replace(',', '.')));
const files = z.array(z.instanceof(File)).max(20).default([]);

async function bytesOf(list: File[]) {
  return Promise.all(list.filter((f) => f.size > 0).map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

const profileForm = z.object({
  title: text(400),
  summary: text(2000),
  opd: text(64),
  initiator: text(64),
  innovation_type: text(64),
  form: text(64),
  affair: text(64),
  design: text(40_000),
  goals: text(10_000),
  benefits: text(10_000),
  results: text(10_000),
  budget: text(40),
  start_date: text(20),
  contact_name: text(200),
  contact_role: text(200),
  contact_email: text(400),
  city_wide: z.boolean().default(false),
  kecamatan: z.array(z.string().max(20)).max(60).default([]),
  origin_kind: text(20),
  origin_title: text(400),
  origin_url: text(1000),
  topics: text(1000),
  sdgs: text(200),
  datasets: text(2000),
  parent_id: text(64),
});

function toProfile(f: z.output<typeof profileForm>): ProfileInput {
  const contact = f.contact_name || f.contact_role || f.contact_email ? [{ name: f.contact_name, role: f.contact_role, email: f.contact_email.trim() }] : [];
  return {
    title: f.title,
    summary: f.summary,
    opd: f.opd,
    initiator: f.initiator,
    innovation_type: f.innovation_type,
    form: f.form,
    affair: f.affair,
    design: f.design,
    goals: f.goals,
    benefits: f.benefits,
    results: f.results,
    budget: optionalNumber(f.budget),
    start_date: f.start_date.trim() || null,
    contacts: contact,
    city_wide: f.city_wide,
    kecamatan: f.kecamatan.flatMap(list),
    origin_kind: f.origin_kind || 'opd',
    origin_title: f.origin_title,
    origin_url: f.origin_url.trim(),
    topics: list(f.topics),
    sdgs: list(f.sdgs).map(Number),
    datasets: list(f.datasets),
    parent_id: f.parent_id.trim() || null,
  };
}

export const badami = {
  create: defineAction({
    accept: 'form',
    input: profileForm,
    handler: async (input, context) => settled(context, 'field', await createInnovation(signedIn(context), toProfile(input))),
  }),

  /** "Promote to Badami" from an awarded datathon submission's page: the rule is `datathon.promote` (promote.ts). */
  promote: defineAction({
    accept: 'form',
    input: z.object({ submission: id, opd: text(64), affair: text(64) }),
    handler: async (input, context) => {
      const outcome = await promoteSubmission(signedIn(context), input.submission, { opd: input.opd, affair: input.affair });
      if (outcome.ok) return outcome;
      const locale = context.locals.locale;
      const head = t(locale, `badami.promote.error.${outcome.code}`, outcome.params ?? {});
      const message = [head.startsWith('badami.') ? t(locale, 'badami.promote.error.other') : head, ...(outcome.problems ?? []).map((p) => problemText(locale, 'field', p))].join(' ');
      throw new ActionError({ code: actionCode(outcome.code), message });
    },
  }),

  update: defineAction({
    accept: 'form',
    input: profileForm.extend({ id }),
    handler: async (input, context) => settled(context, 'field', await updateInnovation(signedIn(context), input.id, toProfile(input))),
  }),

  move: defineAction({
    accept: 'form',
    input: z.object({
      id,
      to: text(20),
      from: z.string().max(20).optional(),
      note: text(4000),
      reason: text(4000),
      evidence_indicator: text(64),
      evidence_url: text(1000),
      evidence_files: files,
    }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const evidence = { indicator: input.evidence_indicator, url: input.evidence_url, files: await bytesOf(input.evidence_files) };
      return settled(context, 'move', await moveStage(user, input.id, { to: input.to, from: input.from, note: input.note, reason: input.reason, evidence }));
    },
  }),

  addMilestone: defineAction({
    accept: 'form',
    input: z.object({ id, title: text(400), owner: text(200), due_on: text(20), note: text(2000) }),
    handler: async (input, context) =>
      settled(context, 'milestone', await saveMilestone(signedIn(context), input.id, { title: input.title, owner: input.owner, due_on: input.due_on, completed_on: null, note: input.note })),
  }),

  completeMilestone: defineAction({
    accept: 'form',
    input: z.object({ id, milestone: z.coerce.number().int() }),
    handler: async (input, context) => settled(context, 'milestone', await completeMilestone(signedIn(context), input.id, input.milestone, null)),
  }),

  addKpi: defineAction({
    accept: 'form',
    input: z.object({ id, name: text(400), unit: text(80), baseline: text(40), target: text(40), target_on: text(20), direction: text(20) }),
    handler: async (input, context) =>
      settled(
        context,
        'kpi',
        await saveKpi(signedIn(context), input.id, {
          name: input.name,
          unit: input.unit,
          baseline: optionalNumber(input.baseline) as number,
          target: optionalNumber(input.target) as number,
          target_on: input.target_on,
          direction: input.direction as 'higher',
        }),
      ),
  }),

  measure: defineAction({
    accept: 'form',
    input: z.object({ id, kpi: z.coerce.number().int(), value: text(40), measured_on: text(20), note: text(1000) }),
    handler: async (input, context) =>
      settled(context, 'kpi', await addMeasurement(signedIn(context), input.id, input.kpi, { value: optionalNumber(input.value) as number, measured_on: input.measured_on, note: input.note })),
  }),

  /** Binds a KPI to a published dataset by one sandboxed SELECT (both empty: unbinds); measures it at once. */
  bindKpi: defineAction({
    accept: 'form',
    input: z.object({ id, kpi: z.coerce.number().int(), dataset: text(200), query: text(10_000) }),
    handler: async (input, context) => settled(context, 'kpi', await bindKpi(signedIn(context), input.id, input.kpi, { dataset: input.dataset, query: input.query })),
  }),

  postUpdate: defineAction({
    accept: 'form',
    input: z.object({ id, title: text(400), body: text(40_000), images: files, evidence_indicator: text(64), evidence_url: text(1000), evidence_files: files }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const evidence = { indicator: input.evidence_indicator, url: input.evidence_url, files: await bytesOf(input.evidence_files) };
      return settled(context, 'update', await postUpdate(user, input.id, { title: input.title, body: input.body, images: await bytesOf(input.images), evidence }));
    },
  }),
};
