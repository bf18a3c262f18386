import { findOpd } from '../config/deployment.ts';
import { db, transaction } from '../db/store.ts';
import { now } from '../clock.ts';

/**
 * Roles. Every account is a participant; the others are granted, each with a scope:
 * judge → a datathon event id, official → an OPD code from the deployment config, admin → ''.
 */
export const GRANTED_ROLES = ['judge', 'official', 'admin'] as const;
export type GrantedRole = (typeof GRANTED_ROLES)[number];
export type Role = 'participant' | GrantedRole;

export interface RoleGrant {
  role: GrantedRole;
  scope: string;
}

export class RoleError extends Error {}

/** Checks a grant before it is written: which field is wrong and what was expected. */
export function checkGrant(grant: { role: string; scope?: string }): RoleGrant {
  const scope = (grant.scope ?? '').trim();
  if (!(GRANTED_ROLES as readonly string[]).includes(grant.role)) {
    throw new RoleError(`role: expected one of ${GRANTED_ROLES.join(', ')}, found "${grant.role}"`);
  }
  const role = grant.role as GrantedRole;
  if (role === 'admin' && scope) throw new RoleError('scope: the admin role has no scope');
  if (role === 'official' && !findOpd(scope)) throw new RoleError(`scope: "${scope}" is not an OPD code in the deployment config`);
  if (role === 'judge' && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(scope)) throw new RoleError('scope: a judge needs an event id (lowercase letters, digits, dashes)');
  return { role, scope };
}

export async function rolesOf(userId: string): Promise<RoleGrant[]> {
  return (await rolesOfUsers([userId])).get(userId) ?? [];
}

/** Roles of several accounts in one query (the admin list). */
export async function rolesOfUsers(userIds: readonly string[]): Promise<Map<string, RoleGrant[]>> {
  const byUser = new Map<string, RoleGrant[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db().selectFrom('auth_role').select(['user_id', 'role', 'scope']).where('user_id', 'in', userIds).orderBy('role').orderBy('scope').execute();
  for (const r of rows) {
    const list = byUser.get(r.user_id) ?? [];
    list.push({ role: r.role as GrantedRole, scope: r.scope });
    byUser.set(r.user_id, list);
  }
  return byUser;
}

/** Grants a role; granting one the user already has changes nothing. Returns whether anything changed. */
export async function grantRole(userId: string, grant: RoleGrant, grantedBy: string | null): Promise<boolean> {
  const { role, scope } = checkGrant(grant);
  const result = await transaction((trx) =>
    trx
      .insertInto('auth_role')
      .values({ user_id: userId, role, scope, granted_by: grantedBy, granted_at: now() })
      .onConflict((oc) => oc.columns(['user_id', 'role', 'scope']).doNothing())
      .executeTakeFirst(),
  );
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function revokeRole(userId: string, grant: RoleGrant): Promise<boolean> {
  const result = await transaction((trx) =>
    trx.deleteFrom('auth_role').where('user_id', '=', userId).where('role', '=', grant.role).where('scope', '=', grant.scope).executeTakeFirst(),
  );
  return Number(result.numDeletedRows) > 0;
}

/** Accounts holding a role in a scope, e.g. the officials of one OPD. */
export async function membersOf(role: GrantedRole, scope: string): Promise<{ id: string; name: string }[]> {
  const rows = await db()
    .selectFrom('auth_role as r')
    .innerJoin('auth_user as u', 'u.id', 'r.user_id')
    .select(['u.id', 'u.name'])
    .where('r.role', '=', role)
    .where('r.scope', '=', scope)
    .where('u.deleted_at', 'is', null)
    .orderBy('u.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name ?? '' }));
}
