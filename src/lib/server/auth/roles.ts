import type { DuckDBConnection } from '@duckdb/node-api';
import { findOpd } from '../config/deployment.ts';
import { queryRows, withConnection } from '../db/database.ts';
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

export async function rolesOf(conn: DuckDBConnection, userId: string): Promise<RoleGrant[]> {
  return queryRows<RoleGrant>(conn, `SELECT role, scope FROM auth_role WHERE user_id = $id ORDER BY role, scope`, { id: userId });
}

/** Grants a role; granting one the user already has changes nothing. Returns whether anything changed. */
export async function grantRole(userId: string, grant: RoleGrant, grantedBy: string | null): Promise<boolean> {
  const { role, scope } = checkGrant(grant);
  return withConnection(async (conn) => {
    const result = await conn.run(
      `INSERT INTO auth_role (user_id, role, scope, granted_by, granted_at) VALUES ($id, $role, $scope, $by, epoch_ms($at::BIGINT))
       ON CONFLICT DO NOTHING`,
      { id: userId, role, scope, by: grantedBy, at: now() },
    );
    return result.rowsChanged > 0;
  });
}

export async function revokeRole(userId: string, grant: RoleGrant): Promise<boolean> {
  return withConnection(async (conn) => {
    const result = await conn.run(`DELETE FROM auth_role WHERE user_id = $id AND role = $role AND scope = $scope`, {
      id: userId,
      role: grant.role,
      scope: grant.scope,
    });
    return result.rowsChanged > 0;
  });
}

/** Accounts holding a role in a scope, e.g. the officials of one OPD. */
export async function membersOf(role: GrantedRole, scope: string): Promise<{ id: string; name: string }[]> {
  return withConnection((conn) =>
    queryRows(
      conn,
      `SELECT u.id, u.name FROM auth_role r JOIN auth_user u ON u.id = r.user_id
       WHERE r.role = $role AND r.scope = $scope AND u.deleted_at IS NULL ORDER BY u.name`,
      { role, scope },
    ),
  );
}
