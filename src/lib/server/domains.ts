import { auditDomain } from './audit/domain.ts';
import type { AuditTables } from './audit/migrations.ts';
import { authDomain } from './auth/domain.ts';
import { badamiDomain } from './badami/domain.ts';
import type { BadamiTables } from './badami/migrations.ts';
import type { AuthTables } from './auth/migrations.ts';
import { catalogDomain } from './catalog/domain.ts';
import { communityDomain } from './community/domain.ts';
import type { CommunityTables } from './community/migrations.ts';
import type { DownloadTables } from './catalog/download-migrations.ts';
import { datathonDomain } from './datathon/domain.ts';
import type { DatathonTables } from './datathon/migrations.ts';
import { httpDomain } from './http/domain.ts';
import type { HttpTables } from './http/migrations.ts';
import { mailDomain } from './mail/domain.ts';
import type { MailTables } from './mail/migrations.ts';
import { pipelinesDomain } from './pipelines/domain.ts';
import type { ScheduleTables } from './pipelines/schedule-migrations.ts';

/**
 * Every domain of the platform, in a fixed order (identity and shared services first). Adding a domain means
 * adding it to `DOMAINS` and its tables to `Database` — nothing else central (docs/adding-a-domain.md).
 */
export const DOMAINS = [authDomain, auditDomain, mailDomain, httpDomain, catalogDomain, pipelinesDomain, communityDomain, datathonDomain, badamiDomain] as const;

/** The store's tables, as Kysely sees them. */
export type Database = AuthTables & AuditTables & MailTables & HttpTables & DownloadTables & ScheduleTables & CommunityTables & DatathonTables & BadamiTables;

/** Every domain's migrations; the store applies them in id order (see db/migrate.ts). */
export const DOMAIN_MIGRATIONS = DOMAINS.flatMap((d) => d.migrations);

/** Every domain's authorization rules, for can() in auth/authorization.ts (typed per action). */
export const RULES = mergeRules();

/** Every audit event any domain writes. */
export const AUDIT_EVENTS = DOMAINS.flatMap((d) => d.auditEvents);
export type AuditEvent = (typeof DOMAINS)[number]['auditEvents'][number];

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Two domains declaring one action would silently shadow a rule: refuse at start instead. */
function mergeRules(): UnionToIntersection<(typeof DOMAINS)[number]['rules']> {
  const declared = DOMAINS.flatMap((d) => Object.keys(d.rules));
  const twice = declared.filter((name, i) => declared.indexOf(name) !== i);
  if (twice.length > 0) throw new Error(`authorization: action(s) declared by two domains: ${twice.join(', ')}`);
  return Object.assign({}, ...DOMAINS.map((d) => d.rules));
}
