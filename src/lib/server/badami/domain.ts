import { defineDomain } from '../domain.ts';
import { badamiMigrations } from './migrations.ts';
import { badamiRules } from './rules.ts';

/** Badami: the city's innovations from idea to city-wide adoption, with stages, health, milestones, KPIs and updates. */
export const badamiDomain = defineDomain({
  name: 'badami',
  migrations: badamiMigrations,
  rules: badamiRules,
  auditEvents: ['badami.import', 'badami.health.override', 'badami.promote'],
});
