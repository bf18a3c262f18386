import type { Rule } from './auth/rule-kit.ts';
import { checkMigrations, type Migration } from './db/migrate.ts';

/**
 * What a domain folder under src/lib/server declares about itself, in its `domain.ts`: its store migrations, its
 * authorization rules and the audit events it writes. src/lib/server/domains.ts lists the domains; nothing else
 * needs editing when one is added (docs/adding-a-domain.md).
 *
 * A domain.ts imports only its migrations and rules — never code that queries the store — because the store itself
 * imports the list of domains.
 */
export interface Domain {
  /** The folder name, and the domain part of its migration ids. */
  name: string;
  migrations: readonly Migration[];
  rules: Record<string, Rule<any>>;
  auditEvents: readonly string[];
}

/** Declares a domain, checking its migration ids; keeps literal types for rules and audit events. */
export function defineDomain<const D extends Domain>(domain: D): D {
  checkMigrations(domain.name, domain.migrations);
  return domain;
}
