import type { Generated } from 'kysely';
import type { Migration } from '../db/migrate.ts';

/**
 * The community tables, shared by every domain that has discussions (datathon, Badami, datasets). A subject is a
 * string `<type>:<id>` (`submission:abc`), registered by the domain that owns it (subjects.ts); the community
 * tables never point into another domain's tables, so a domain can be added without touching these.
 */
export const communityMigrations: Migration[] = [
  {
    id: '20261202.01-community-comments-flags',
    async up(db) {
      await db.schema
        .createTable('community_comment')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject', 'text', (c) => c.notNull())
        // Moderation scope when posted (e.g. datathon:<event>, opd:<code>): who moderates it, which queue it is in.
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text', (c) => c.references('community_comment.id'))
        .addColumn('depth', 'integer', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('body', 'text', (c) => c.notNull()) // Markdown as written; '' once the author deletes it
        .addColumn('body_html', 'text', (c) => c.notNull()) // sanitised rendering of body (markdown.ts)
        .addColumn('html_version', 'integer', (c) => c.notNull()) // renderer version that made body_html
        .addColumn('official', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('held', 'boolean', (c) => c.notNull().defaultTo(false)) // waiting for a moderator (new account)
        .addColumn('hidden_at', 'bigint')
        .addColumn('hidden_by', 'text', (c) => c.references('auth_user.id'))
        .addColumn('hidden_reason', 'text')
        .addColumn('deleted_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('edited_at', 'bigint')
        .execute();
      await db.schema.createIndex('community_comment_subject').on('community_comment').columns(['subject', 'created_at']).execute();
      await db.schema.createIndex('community_comment_author').on('community_comment').columns(['author_id', 'created_at']).execute();
      await db.schema.createIndex('community_comment_held').on('community_comment').columns(['held', 'scope']).execute();
      await db.schema
        .createTable('community_flag')
        .addColumn('comment_id', 'text', (c) => c.notNull().references('community_comment.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('reason', 'text', (c) => c.notNull()) // one of FLAG_REASONS
        .addColumn('note', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('resolved_at', 'bigint') // set when a moderator hid the comment or dismissed the flags
        .addColumn('resolved_by', 'text', (c) => c.references('auth_user.id'))
        .addPrimaryKeyConstraint('community_flag_pk', ['comment_id', 'user_id'])
        .execute();
      await db.schema.createIndex('community_flag_open').on('community_flag').columns(['resolved_at', 'comment_id']).execute();
    },
  },
  {
    id: '20261202.02-community-follows-notifications',
    async up(db, kit) {
      await db.schema
        .createTable('community_follow')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('community_follow_pk', ['subject', 'user_id'])
        .execute();
      await db.schema.createIndex('community_follow_user').on('community_follow').column('user_id').execute();
      await db.schema
        .createTable('community_notification')
        .$call(kit.autoId)
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('kind', 'text', (c) => c.notNull()) // a registered kind (notification-kinds.ts)
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull()) // the subject's title when it happened
        .addColumn('url', 'text', (c) => c.notNull()) // a path on this site
        .addColumn('actor_id', 'text', (c) => c.references('auth_user.id'))
        .addColumn('params', 'text', (c) => c.notNull()) // JSON object of strings for the message
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('read_at', 'bigint')
        .addColumn('digest', 'boolean', (c) => c.notNull().defaultTo(false)) // goes out in the daily digest
        .addColumn('digest_sent_at', 'bigint')
        .execute();
      await db.schema.createIndex('community_notification_user').on('community_notification').columns(['user_id', 'id']).execute();
      await db.schema.createIndex('community_notification_unread').on('community_notification').columns(['user_id', 'read_at']).execute();
      await db.schema.createIndex('community_notification_digest').on('community_notification').columns(['digest', 'digest_sent_at']).execute();
      await db.schema
        .createTable('community_notification_setting')
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull()) // off | app | email | digest
        .addPrimaryKeyConstraint('community_notification_setting_pk', ['user_id', 'kind'])
        .execute();
      await db.schema
        .createTable('community_member')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('auth_user.id'))
        .addColumn('locale', 'text', (c) => c.notNull()) // language of the e-mails this person gets
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    id: '20261202.03-community-uploads',
    async up(db) {
      await db.schema
        .createTable('community_upload')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('sha256', 'text', (c) => c.notNull()) // of the stored (re-encoded) bytes: the file's name
        .addColumn('owner_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // image | document
        .addColumn('media_type', 'text', (c) => c.notNull()) // sniffed from the bytes
        .addColumn('extension', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull()) // served as: the sender's base name, the sniffed extension
        .addColumn('byte_size', 'bigint', (c) => c.notNull())
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema.createIndex('community_upload_subject').on('community_upload').columns(['subject', 'created_at']).execute();
      await db.schema.createIndex('community_upload_sha').on('community_upload').column('sha256').execute();
    },
  },
];

export interface CommunityTables {
  community_comment: {
    id: string;
    subject: string;
    scope: string;
    parent_id: string | null;
    depth: number;
    author_id: string;
    body: string;
    body_html: string;
    html_version: number;
    official: Generated<boolean>;
    held: Generated<boolean>;
    hidden_at: number | null;
    hidden_by: string | null;
    hidden_reason: string | null;
    deleted_at: number | null;
    created_at: number;
    edited_at: number | null;
  };
  community_flag: {
    comment_id: string;
    user_id: string;
    reason: string;
    note: string | null;
    created_at: number;
    resolved_at: number | null;
    resolved_by: string | null;
  };
  community_follow: { subject: string; user_id: string; created_at: number };
  community_notification: {
    id: Generated<number>;
    user_id: string;
    kind: string;
    subject: string;
    title: string;
    url: string;
    actor_id: string | null;
    params: string;
    created_at: number;
    read_at: number | null;
    digest: Generated<boolean>;
    digest_sent_at: number | null;
  };
  community_notification_setting: { user_id: string; kind: string; channel: string };
  community_member: { user_id: string; locale: string; updated_at: number };
  community_upload: {
    id: string;
    sha256: string;
    owner_id: string;
    subject: string;
    kind: string;
    media_type: string;
    extension: string;
    file_name: string;
    byte_size: number;
    width: number | null;
    height: number | null;
    created_at: number;
    deleted_at: number | null;
  };
}
