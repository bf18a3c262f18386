import type { Generated } from 'kysely';
import type { Migration } from '../db/migrate.ts';

/**
 * Outgoing mail. A message is either written whole (subject, body) or named by a template that is composed when
 * it is delivered (so a request can answer before the work that depends on who the recipient is). A message is claimed by one process before it is sent (`claimed_until`), so servers of a fleet
 * delivering the same outbox never send it twice; a claim that outlives a crashed sender expires.
 */
export const mailMigrations: Migration[] = [
  {
    id: '20261201.01-mail-outbox',
    async up(db, kit) {
      await db.schema
        .createTable('mail_outbox')
        .$call(kit.autoId)
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull()) // cleared once sent, so links do not linger
        .addColumn('template', 'text') // composed when delivered (see mail/templates.ts); NULL: subject and body as written
        .addColumn('params', 'text') // the template's parameters, JSON; cleared once sent
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('claimed_until', 'bigint')
        .execute();
      await db.schema.createIndex('mail_outbox_pending').on('mail_outbox').columns(['sent_at', 'id']).execute();
    },
  },
];

export interface MailTables {
  mail_outbox: {
    id: Generated<number>;
    to_address: string;
    subject: string;
    body: string;
    template: string | null;
    params: string | null;
    created_at: number;
    sent_at: number | null;
    attempts: Generated<number>;
    last_error: string | null;
    claimed_until: number | null;
  };
}
