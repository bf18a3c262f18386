import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { audit } from '../lib/server/audit/audit.ts';
import { GRANTED_ROLES, grantRole, revokeRole, RoleError } from '../lib/server/auth/roles.ts';
import { getUser } from '../lib/server/auth/user.ts';
import { authorize } from './guard.ts';

/** The admin page's forms: grant and revoke roles (official per OPD, judge per event, admin). */
const grant = z.object({ userId: z.string().min(1).max(64), role: z.enum(GRANTED_ROLES), scope: z.string().trim().max(64).default('') });

async function target(userId: string) {
  const user = await getUser(userId);
  if (!user || user.deleted) throw new ActionError({ code: 'NOT_FOUND', message: 'user not found' });
  return user;
}

export const admin = {
  grantRole: defineAction({
    accept: 'form',
    input: grant,
    handler: async (input, context) => {
      const admin = authorize(context, 'admin.roles.grant');
      await target(input.userId);
      const scope = input.role === 'admin' ? '' : input.scope;
      try {
        if (await grantRole(input.userId, { role: input.role, scope }, admin.id)) {
          await audit('role.grant', { actorId: admin.id, subjectId: input.userId, ip: context.locals.site.clientAddress, detail: `${input.role}${scope ? ` ${scope}` : ''}` });
        }
      } catch (error) {
        if (error instanceof RoleError) throw new ActionError({ code: 'BAD_REQUEST', message: error.message });
        throw error;
      }
      return { ok: true };
    },
  }),

  revokeRole: defineAction({
    accept: 'form',
    input: grant,
    handler: async (input, context) => {
      const admin = authorize(context, 'admin.roles.grant');
      await target(input.userId);
      if (await revokeRole(input.userId, { role: input.role, scope: input.scope })) {
        await audit('role.revoke', { actorId: admin.id, subjectId: input.userId, ip: context.locals.site.clientAddress, detail: `${input.role}${input.scope ? ` ${input.scope}` : ''}` });
      }
      return { ok: true };
    },
  }),
};
