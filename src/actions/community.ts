import { ActionError, defineAction, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro/zod';
import { t } from '../lib/i18n/index.ts';
import { deleteComment, editComment, markOfficial, MAX_BODY, postComment } from '../lib/server/community/comments.ts';
import { setFollow } from '../lib/server/community/follows.ts';
import { renderMarkdown } from '../lib/server/community/markdown.ts';
import { DECISIONS, FLAG_REASONS, flagComment, moderateComment, REASON_MAX } from '../lib/server/community/moderation.ts';
import { CHANNELS } from '../lib/server/community/notification-kinds.ts';
import { markRead, saveNotificationSettings } from '../lib/server/community/notifications.ts';
import { NOTIFICATION_KINDS } from '../lib/server/community/registry.ts';
import type { Failure } from '../lib/server/community/results.ts';
import { ACCEPTS } from '../lib/server/community/upload-types.ts';
import { deleteUpload, saveUpload } from '../lib/server/community/uploads.ts';
import { authorize } from './guard.ts';

/**
 * Discussion forms: comments, flags, moderation, follows, notifications. They work as plain HTML form posts from
 * any page that shows a thread (src/components/community/); each handler checks who is asking, and the domain
 * function checks what they may do with this subject.
 */
const id = z.string().min(1).max(64);
const subject = z.string().min(3).max(200);
const body = z.string().max(MAX_BODY * 2);

const CODES: Record<Failure['code'], ActionError['code']> = {
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  closed: 'FORBIDDEN',
  empty: 'BAD_REQUEST',
  too_long: 'BAD_REQUEST',
  rate_limited: 'TOO_MANY_REQUESTS',
  edit_window: 'CONFLICT',
  not_editable: 'CONFLICT',
  reason_required: 'BAD_REQUEST',
  own_comment: 'BAD_REQUEST',
  not_moderatable: 'CONFLICT',
  empty_file: 'BAD_REQUEST',
  too_many_files: 'BAD_REQUEST',
  too_large: 'CONTENT_TOO_LARGE',
  type_not_allowed: 'UNSUPPORTED_MEDIA_TYPE',
  unreadable_image: 'BAD_REQUEST',
  too_many_pixels: 'BAD_REQUEST',
};

/** A community refusal as an ActionError in the reader's language (a rate limit also sets Retry-After). */
export function communityFail(context: ActionAPIContext, failure: Failure): never {
  if (failure.retryAfterSeconds !== undefined) context.locals.retryAfter = failure.retryAfterSeconds;
  throw new ActionError({
    code: CODES[failure.code],
    message: t(context.locals.locale, `community.error.${failure.code}`, { seconds: failure.retryAfterSeconds ?? 0, ...failure.params }),
  });
}

const settingsShape = Object.fromEntries(Object.keys(NOTIFICATION_KINDS).map((kind) => [kind, z.enum(CHANNELS).optional()]));

export const community = {
  postComment: defineAction({
    accept: 'form',
    input: z.object({
      subject,
      parentId: id.optional(),
      body,
      official: z.boolean().default(false),
      intent: z.enum(['post', 'preview']).default('post'),
    }),
    handler: async (input, context) => {
      const author = authorize(context, 'community.comment');
      // A preview saves nothing: it shows the sanitised rendering the comment would get.
      if (input.intent === 'preview') return { preview: renderMarkdown(input.body), id: null, held: false };
      const result = await postComment(author, { subject: input.subject, parentId: input.parentId, body: input.body, official: input.official });
      if (!result.ok) communityFail(context, result);
      return { preview: null, id: result.id, held: result.held };
    },
  }),

  editComment: defineAction({
    accept: 'form',
    input: z.object({ id, body }),
    handler: async (input, context) => {
      const author = authorize(context, 'community.comment');
      const result = await editComment(author, input);
      if (!result.ok) communityFail(context, result);
      return { id: input.id };
    },
  }),

  deleteComment: defineAction({
    accept: 'form',
    input: z.object({ id }),
    handler: async (input, context) => {
      const author = authorize(context, 'community.comment');
      const result = await deleteComment(author, input.id);
      if (!result.ok) communityFail(context, result);
      return { id: input.id };
    },
  }),

  flagComment: defineAction({
    accept: 'form',
    input: z.object({ id, reason: z.enum(FLAG_REASONS), note: z.string().max(500).optional() }),
    handler: async (input, context) => {
      const user = authorize(context, 'community.flag');
      const result = await flagComment(user, input);
      if (!result.ok) communityFail(context, result);
      return { id: input.id };
    },
  }),

  moderateComment: defineAction({
    accept: 'form',
    input: z.object({ id, decision: z.enum(DECISIONS), reason: z.string().max(REASON_MAX * 2).optional() }),
    handler: async (input, context) => {
      // Signed in through a session; whether they moderate this subject is the domain function's question.
      const user = authorize(context, 'community.comment');
      const result = await moderateComment(user, { ...input, ip: context.clientAddress });
      if (!result.ok) communityFail(context, result);
      return { id: input.id, decision: input.decision };
    },
  }),

  markOfficial: defineAction({
    accept: 'form',
    input: z.object({ id, official: z.boolean() }),
    handler: async (input, context) => {
      const user = authorize(context, 'community.comment');
      const result = await markOfficial(user, input);
      if (!result.ok) communityFail(context, result);
      return { id: input.id };
    },
  }),

  follow: defineAction({
    accept: 'form',
    input: z.object({ subject, follow: z.boolean() }),
    handler: async (input, context) => {
      const user = authorize(context, 'community.follow');
      const result = await setFollow(user, input.subject, input.follow);
      if (!result.ok) communityFail(context, result);
      return { following: result.following };
    },
  }),

  markNotificationsRead: defineAction({
    accept: 'form',
    input: z.object({ ids: z.array(z.coerce.number().int().positive()).max(500).default([]), all: z.boolean().default(false) }),
    handler: async (input, context) => {
      const user = authorize(context, 'community.follow');
      return { marked: await markRead(user.id, input.all ? undefined : input.ids) };
    },
  }),

  /** One file for a subject (domains with their own forms call saveUploads from their action instead). */
  uploadFile: defineAction({
    accept: 'form',
    input: z.object({ subject, file: z.instanceof(File), accept: z.enum(ACCEPTS).default('image') }),
    handler: async (input, context) => {
      const user = authorize(context, 'community.upload');
      const result = await saveUpload(user, { subject: input.subject, name: input.file.name, bytes: new Uint8Array(await input.file.arrayBuffer()), accept: input.accept });
      if (!result.ok) communityFail(context, result);
      return { id: result.upload.id, url: result.upload.url, fileName: result.upload.fileName, kind: result.upload.kind };
    },
  }),

  deleteUpload: defineAction({
    accept: 'form',
    input: z.object({ id }),
    handler: async (input, context) => {
      const user = authorize(context, 'community.upload');
      const result = await deleteUpload(user, input.id, context.clientAddress);
      if (!result.ok) communityFail(context, result);
      return { id: input.id };
    },
  }),

  saveNotificationSettings: defineAction({
    accept: 'form',
    input: z.object(settingsShape),
    handler: async (input, context) => {
      const user = authorize(context, 'community.follow');
      await saveNotificationSettings(user.id, input, context.locals.locale);
      return { saved: true };
    },
  }),
};
