import type { RoleGrant } from './roles.ts';

/**
 * What a domain needs to declare its authorization rules (its `rules.ts`); `can()` in ./authorization.ts asks
 * them. Kept apart from `can()` so a domain's rules import nothing that imports every domain.
 */
export const TOKEN_SCOPES = ['read', 'write:data', 'write:pipelines', 'write:datathon', 'write:badami'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface Actor {
  id: string;
  roles: readonly RoleGrant[];
  deleted?: boolean;
  tokenScopes?: readonly string[];
}

/**
 * One action's rule. `scope` is the API-token scope the action needs (null: never with a token, e.g. managing the
 * account itself); `allow` decides for a signed-in person, given the resource the action is about. The resource's
 * type is the action's own (`{ event: string }` for judging, `{ opd?: string }` for OPD data), so `can()` callers
 * must pass what the rule needs.
 */
export interface Rule<R extends object = object> {
  scope: TokenScope | null;
  allow: (actor: Actor, resource: R) => boolean;
}

/** Declares a domain's rules; keeps each action's resource type for `can()`. */
export function defineRules<const T extends Record<string, Rule<any>>>(rules: T): T {
  return rules;
}

/** Holds `role` (in `scope`, when given). */
export function hasRole(actor: Actor, role: RoleGrant['role'], scope?: string): boolean {
  return actor.roles.some((g) => g.role === role && (scope === undefined || g.scope === scope));
}

export function isAdmin(actor: Actor): boolean {
  return hasRole(actor, 'admin');
}

/** Admins, and officials of the resource's OPD. */
export function isAdminOrOfficialOf(actor: Actor, opd: string | undefined): boolean {
  return isAdmin(actor) || (opd !== undefined && hasRole(actor, 'official', opd));
}

export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}
