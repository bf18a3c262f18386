import type { APIRoute } from 'astro';
import { apiError } from '../../../../lib/server/api/response.ts';
import { can } from '../../../../lib/server/auth/authorization.ts';

/** GET /api/v1/account/me: who the session or API token acts as, with roles and token scopes. */
export const GET: APIRoute = ({ locals }) => {
  const user = locals.user;
  if (!user) return apiError(401, 'apierror.unauthorized', {}, { locale: locals.locale, headers: { 'WWW-Authenticate': 'Bearer' } });
  if (!can(user, 'api.read')) return apiError(403, 'apierror.forbidden', {}, { locale: locals.locale });
  return Response.json({
    id: user.id,
    name: user.name,
    email: user.email,
    emailVerified: user.emailVerified,
    roles: [{ role: 'participant', scope: '' }, ...user.roles],
    tokenScopes: user.tokenScopes ?? null,
  });
};
