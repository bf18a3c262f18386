import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { addEvidence } from '../lib/server/badami/evidence.ts';
import { setHealthOverride } from '../lib/server/badami/health-override.ts';
import { id, settled, signedIn, text } from './badami-kit.ts';

/**
 * Two forms of an innovation's manage area (plain posts, no JavaScript needed): the owner's word on its health (set
 * with a reason that is shown, or cleared back to the derived health) and evidence on its own (a file or a link
 * tagged with an IID indicator, without a stage move). The domain functions authorise (`opd.innovation.write`).
 */
export const badamiManage = {
  health: defineAction({
    accept: 'form',
    input: z.object({ id, health: text(20), reason: text(2000) }),
    handler: async (input, context) =>
      settled(context, 'health_form', await setHealthOverride(signedIn(context), input.id, { health: input.health || null, reason: input.reason }, context.locals.site.clientAddress)),
  }),

  evidence: defineAction({
    accept: 'form',
    input: z.object({ id, evidence_indicator: text(64), evidence_title: text(400), evidence_url: text(1000), evidence_files: z.array(z.instanceof(File)).max(20).default([]) }),
    handler: async (input, context) => {
      const files = await Promise.all(input.evidence_files.filter((f) => f.size > 0).map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      const evidence = { indicator: input.evidence_indicator, title: input.evidence_title, url: input.evidence_url, files };
      return settled(context, 'evidence_form', await addEvidence(signedIn(context), input.id, evidence));
    },
  }),
};
