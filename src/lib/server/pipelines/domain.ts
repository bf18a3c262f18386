import { isAdmin, isAdminOrOfficialOf, type Actor } from '../auth/rule-kit.ts';
import { defineDomain } from '../domain.ts';
import { scheduleMigrations } from './schedule-migrations.ts';

/** Pipelines publish from files; in the store they keep only the fleet's schedule claims. */
export const pipelinesDomain = defineDomain({
  name: 'pipelines',
  migrations: scheduleMigrations,
  rules: {
    'pipeline.run': { scope: 'write:pipelines', allow: isAdmin },
    /** Upload data for an OPD: its officials and admins. */
    'opd.data.write': { scope: 'write:data', allow: (a: Actor, r: { opd: string }) => isAdminOrOfficialOf(a, r.opd) },
  },
  auditEvents: [],
});
