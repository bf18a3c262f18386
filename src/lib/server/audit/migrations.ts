import type { Generated } from 'kysely';
import type { Migration } from '../db/migrate.ts';

/** The audit log of security events (no foreign keys: entries outlive what they mention, and anonymous ones name no one). */
export const auditMigrations: Migration[] = [
  {
    id: '20261201.01-audit-log',
    async up(db, kit) {
      await db.schema
        .createTable('audit_log')
        .$call(kit.autoId)
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text') // who did it (NULL: anonymous)
        .addColumn('subject_id', 'text') // whom it concerns
        .addColumn('ip', 'text')
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_log_event').on('audit_log').columns(['event', 'id']).execute();
    },
  },
];

export interface AuditTables {
  audit_log: {
    id: Generated<number>;
    occurred_at: number;
    event: string;
    actor_id: string | null;
    subject_id: string | null;
    ip: string | null;
    detail: string | null;
  };
}
