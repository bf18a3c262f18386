import type { RoleGrant } from './roles.ts';

/**
 * Who may do what: the one place that decides. Pages, actions and endpoints ask `can(...)` and only translate
 * the answer into a redirect, 403 or ActionError. A request made with an API token is further limited to
 * the token's scopes; actions whose `scope` is null cannot be done with a token at all.
 */
export const TOKEN_SCOPES = ['read', 'write:data', 'write:pipelines', 'write:datathon', 'write:badami'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface Actor {
  id: string;
  roles: readonly RoleGrant[];
  deleted?: boolean;
  tokenScopes?: readonly string[];
}

export interface Resource {
  /** The OPD a resource belongs to (an innovation, a dataset upload). */
  opd?: string;
  /** The datathon event a resource belongs to. */
  event?: string;
  /** The account a resource belongs to (a token, a session). */
  ownerId?: string;
}

type Rule = (actor: Actor, resource: Resource) => boolean;

const has = (actor: Actor, role: RoleGrant['role'], scope?: string) =>
  actor.roles.some((g) => g.role === role && (scope === undefined || g.scope === scope));
const isAdmin: Rule = (a) => has(a, 'admin');
const anyAccount: Rule = () => true;

const ACTIONS = {
  /** Own profile, password, sessions, tokens, deletion. */
  'account.manage': { scope: null, rule: (a, r) => r.ownerId === undefined || r.ownerId === a.id },
  /** Read the API as oneself (e.g. /api/v1/account/me). */
  'api.read': { scope: 'read', rule: anyAccount },
  'admin.users.read': { scope: null, rule: isAdmin },
  'admin.roles.grant': { scope: null, rule: isAdmin },
  'admin.audit.read': { scope: null, rule: isAdmin },
  /** See who belongs to an OPD: its officials and admins. */
  'opd.members.read': { scope: 'read', rule: (a, r) => isAdmin(a, r) || (r.opd !== undefined && has(a, 'official', r.opd)) },
  /** Upload data or update innovations for an OPD. */
  'opd.data.write': { scope: 'write:data', rule: (a, r) => isAdmin(a, r) || (r.opd !== undefined && has(a, 'official', r.opd)) },
  'opd.innovation.write': { scope: 'write:badami', rule: (a, r) => isAdmin(a, r) || (r.opd !== undefined && has(a, 'official', r.opd)) },
  'pipeline.run': { scope: 'write:pipelines', rule: isAdmin },
  /** Read datasets classified terbatas (published for government use): officials of any OPD and admins. */
  'dataset.read.restricted': { scope: 'read', rule: (a, r) => isAdmin(a, r) || has(a, 'official') },
  /** Submit, vote, comment: every account. */
  'datathon.participate': { scope: 'write:datathon', rule: anyAccount },
  'datathon.judge': { scope: 'write:datathon', rule: (a, r) => isAdmin(a, r) || (r.event !== undefined && has(a, 'judge', r.event)) },
} satisfies Record<string, { scope: TokenScope | null; rule: Rule }>;

export type Action = keyof typeof ACTIONS;
export const AUTH_ACTIONS = Object.keys(ACTIONS) as Action[];

export function can(actor: Actor | null | undefined, action: Action, resource: Resource = {}): boolean {
  if (!actor || actor.deleted) return false;
  const { scope, rule } = ACTIONS[action] as { scope: TokenScope | null; rule: Rule };
  if (actor.tokenScopes) {
    if (scope === null) return false;
    // write:<domain> implies read
    const allowed = scope === 'read' ? actor.tokenScopes.length > 0 : actor.tokenScopes.includes(scope);
    if (!allowed) return false;
  }
  return rule(actor, resource);
}

export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}
