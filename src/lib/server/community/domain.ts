import { defineDomain } from '../domain.ts';
import { communityMigrations } from './migrations.ts';
import { communityRules } from './rules.ts';

/** Discussions shared by every domain: comments, flags and moderation, follows, notifications, uploads. */
export const communityDomain = defineDomain({
  name: 'community',
  migrations: communityMigrations,
  rules: communityRules,
  auditEvents: [
    'community.comment.hide',
    'community.comment.restore',
    'community.comment.approve',
    'community.comment.official',
    'community.flags.dismiss',
    'community.upload.delete',
  ],
});
