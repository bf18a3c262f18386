import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import {
  changePassword,
  deleteOwnAccount,
  logIn,
  logOutEverywhere,
  requestPasswordReset,
  resetPassword,
  sendVerificationMail,
  signUp,
  verifyEmail,
} from '../lib/server/auth/account.ts';
import { ApiTokenError, createApiToken, revokeApiToken } from '../lib/server/auth/api-token.ts';
import { audit } from '../lib/server/audit/audit.ts';
import { TOKEN_SCOPES } from '../lib/server/auth/authorization.ts';
import { deleteSessionCookie, setSessionCookie } from '../lib/server/auth/cookie.ts';
import { now } from '../lib/server/clock.ts';
import { renameUser } from '../lib/server/auth/user.ts';
import { authorize, fail, requestInfo } from './guard.ts';

/** Account forms. Each works as a plain HTML form post; every handler checks who is asking itself. */

const email = z.email().max(254);
const password = z.string().min(1).max(1000);
const name = z.string().trim().min(1).max(100);
const token = z.string().min(1).max(300);

export const auth = {
  signup: defineAction({
    accept: 'form',
    input: z.object({ name, email, password }),
    handler: async (input, context) => {
      // The same answer whether or not the address is registered; the mailed link finishes the sign-up.
      const result = await signUp(input, requestInfo(context));
      if (!result.ok) fail(context, result, { name: input.name, email: input.email });
      return { email: result.email };
    },
  }),

  login: defineAction({
    accept: 'form',
    input: z.object({ email, password }),
    handler: async (input, context) => {
      const result = await logIn(input, requestInfo(context));
      if (!result.ok) fail(context, result, { email: input.email });
      const at = now();
      setSessionCookie(context.cookies, context.locals.site, result.token, { createdAt: at, lastActiveAt: at });
      return { ok: true };
    },
  }),

  logoutEverywhere: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      const user = authorize(context, 'account.manage');
      await logOutEverywhere(user, context.locals.site.clientAddress);
      deleteSessionCookie(context.cookies, context.locals.site);
      return { ok: true };
    },
  }),

  updateProfile: defineAction({
    accept: 'form',
    input: z.object({ name }),
    handler: async (input, context) => {
      const user = authorize(context, 'account.manage');
      await renameUser(user.id, input.name);
      return { ok: true };
    },
  }),

  changePassword: defineAction({
    accept: 'form',
    input: z.object({ current: password, password }),
    handler: async (input, context) => {
      const user = authorize(context, 'account.manage');
      const result = await changePassword(user, context.locals.session?.id ?? null, { current: input.current, next: input.password }, context.locals.site.clientAddress);
      if (!result.ok) fail(context, result);
      return { endedSessions: result.endedSessions };
    },
  }),

  resendVerification: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      const user = authorize(context, 'account.manage');
      await sendVerificationMail(user, requestInfo(context));
      return { email: user.email };
    },
  }),

  verifyEmail: defineAction({
    accept: 'form',
    input: z.object({ token }),
    handler: async (input, context) => {
      const result = await verifyEmail(input.token, requestInfo(context));
      if (!result.ok) fail(context, result);
      if (result.token) {
        // A sign-up link: the account is now active and its person signed in.
        const at = now();
        setSessionCookie(context.cookies, context.locals.site, result.token, { createdAt: at, lastActiveAt: at });
      }
      return { signedIn: result.token !== null };
    },
  }),

  requestReset: defineAction({
    accept: 'form',
    input: z.object({ email }),
    handler: async (input, context) => {
      const result = await requestPasswordReset(input.email, requestInfo(context));
      if (!result.ok) fail(context, result);
      return { ok: true };
    },
  }),

  resetPassword: defineAction({
    accept: 'form',
    input: z.object({ token, password }),
    handler: async (input, context) => {
      const result = await resetPassword(input.token, input.password, context.locals.site.clientAddress);
      if (!result.ok) fail(context, result);
      deleteSessionCookie(context.cookies, context.locals.site);
      return { ok: true };
    },
  }),

  createToken: defineAction({
    accept: 'form',
    input: z.object({ name: z.string().trim().min(1).max(80), scopes: z.array(z.enum(TOKEN_SCOPES)).min(1) }),
    handler: async (input, context) => {
      const user = authorize(context, 'account.manage');
      try {
        const { token: secret, info } = await createApiToken(user.id, input.name, input.scopes);
        await audit('token.create', { actorId: user.id, subjectId: user.id, ip: context.locals.site.clientAddress, detail: `${info.id} ${info.scopes.join(' ')}` });
        return { token: secret, id: info.id };
      } catch (error) {
        if (error instanceof ApiTokenError) throw new ActionError({ code: 'BAD_REQUEST', message: error.message });
        throw error;
      }
    },
  }),

  revokeToken: defineAction({
    accept: 'form',
    input: z.object({ id: z.string().min(1).max(64) }),
    handler: async (input, context) => {
      const user = authorize(context, 'account.manage');
      if (!(await revokeApiToken(user.id, input.id))) throw new ActionError({ code: 'NOT_FOUND', message: 'token not found' });
      await audit('token.revoke', { actorId: user.id, subjectId: user.id, ip: context.locals.site.clientAddress, detail: input.id });
      return { ok: true };
    },
  }),

  deleteAccount: defineAction({
    accept: 'form',
    input: z.object({ password }),
    handler: async (input, context) => {
      const user = authorize(context, 'account.manage');
      const result = await deleteOwnAccount(user, input.password, context.locals.site.clientAddress);
      if (!result.ok) fail(context, result);
      deleteSessionCookie(context.cookies, context.locals.site);
      return { ok: true };
    },
  }),
};
