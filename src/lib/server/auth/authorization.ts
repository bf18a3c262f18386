import { RULES } from '../domains.ts';
import type { Actor, Rule, TokenScope } from './rule-kit.ts';

export { isTokenScope, TOKEN_SCOPES, type Actor, type TokenScope } from './rule-kit.ts';

/**
 * Who may do what: the one place that decides. Each domain declares its rules in its own `rules.ts`
 * (src/lib/server/domains.ts gathers them); pages, actions and endpoints ask `can(...)` and only translate the
 * answer into a redirect, 403 or ActionError. A request made with an API token is further limited to the token's
 * scopes; actions whose `scope` is null cannot be done with a token at all.
 */
type Rules = typeof RULES;
export type Action = keyof Rules & string;
/** The resource an action is about, as its rule declares it (`{}` when the rule needs none). */
export type ResourceOf<A extends Action> = Parameters<Rules[A]['allow']> extends [unknown, infer R] ? R : Record<never, never>;
export type ResourceArgument<A extends Action> = Record<never, never> extends ResourceOf<A> ? [resource?: ResourceOf<A>] : [resource: ResourceOf<A>];

export const AUTH_ACTIONS = Object.keys(RULES) as Action[];

export function can<A extends Action>(actor: Actor | null | undefined, action: A, ...[resource]: ResourceArgument<A>): boolean {
  if (!actor || actor.deleted) return false;
  const { scope, allow } = RULES[action] as Rule<object>;
  if (actor.tokenScopes && !tokenAllows(actor.tokenScopes, scope)) return false;
  return allow(actor, resource ?? {});
}

/** write:<domain> implies read; a null scope is never allowed with a token. */
function tokenAllows(tokenScopes: readonly string[], scope: TokenScope | null): boolean {
  if (scope === null) return false;
  return scope === 'read' ? tokenScopes.length > 0 : tokenScopes.includes(scope);
}
