import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { importRefusalLines } from '../lib/badami/import-text.ts';
import { IMPORT_KINDS, importFile } from '../lib/server/badami/import.ts';
import { signedIn } from './badami-kit.ts';

/**
 * Badami's bulk update (a plain multipart form on /badami/import, no JavaScript needed). The handler only needs a
 * signed-in person; `importFile` decides, row by row, what they may change, and stores the file whole or not at all.
 * A refusal's message is its headline and one line per issue (the page lists them).
 */
export const badamiImport = {
  upload: defineAction({
    accept: 'form',
    input: z.object({ kind: z.enum(IMPORT_KINDS), file: z.instanceof(File).optional() }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const bytes = input.file ? new Uint8Array(await input.file.arrayBuffer()) : new Uint8Array();
      const outcome = await importFile(user, { kind: input.kind, bytes, ip: context.locals.site.clientAddress });
      if (outcome.ok) return { kind: input.kind, added: outcome.added, changed: outcome.changed, unchanged: outcome.unchanged };
      const message = importRefusalLines(context.locals.locale, input.kind, outcome).join('\n');
      throw new ActionError({ code: outcome.code === 'forbidden' ? 'FORBIDDEN' : 'BAD_REQUEST', message });
    },
  }),
};
