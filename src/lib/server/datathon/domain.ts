import { defineDomain } from '../domain.ts';
import { datathonMigrations } from './migrations.ts';
import { datathonRules } from './rules.ts';

export const datathonDomain = defineDomain({
  name: 'datathon',
  migrations: datathonMigrations,
  rules: datathonRules,
  auditEvents: ['datathon.event.create', 'datathon.event.update', 'datathon.judge.assign', 'datathon.judge.score', 'datathon.results.publish'],
});
