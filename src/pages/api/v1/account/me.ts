import type { APIRoute } from 'astro';
import type { z } from 'zod';
import { apiError } from '../../../../lib/server/api/response.ts';
import type { AccountMe } from '../../../../lib/server/api/schemas.ts';
import { can } from '../../../../lib/server/auth/authorization.ts';

/** GET /api/v1/account/me: who the session or API token acts as, with roles and token scopes. */
export const GET: APIRoute = ({ locals }) => {
  const user = locals.user;
  if (!user) return apiError(401, 'apierror.unauthorized', {}, { locale: locals.locale, headers: { 'WWW-Authenticate': 'Bearer' } });
  if (!can(user, 'api.read')) return apiError(403, 'apierror.forbidden', {}, { locale: locals.locale });
  const body: z.input<typeof AccountMe> = {
    id: user.id,
    name: user.name,
    email: user.email,
    emailVerified: user.emailVerified,
    roles: [{ role: 'participant', scope: '' }, ...user.roles],
    tokenScopes: user.tokenScopes ? [...user.tokenScopes] : null,
  };
  return Response.json(body);
};
