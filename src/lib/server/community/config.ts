import { z } from 'zod';

/**
 * The `community:` block of kota.config.yaml: how a deployment moderates and notifies. Every key has a default, so
 * a config without the block behaves as documented here.
 */
export const communityConfigSchema = z
  .object({
    /** Accounts younger than `younger_than_days` have comments held for review until `first_comments` were approved. */
    hold_new_accounts: z
      .object({
        younger_than_days: z.number().min(0).default(3),
        first_comments: z.number().int().min(0).default(2),
      })
      .prefault({}),
    /** How long after posting the author may still edit a comment. */
    edit_window_minutes: z.number().int().min(0).max(7 * 24 * 60).default(15),
    /** When the daily digest e-mail goes out, HH:MM in Asia/Jakarta. */
    digest_time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as "07:00"')
      .default('07:00'),
    uploads: z
      .object({
        image_max_mb: z.number().positive().max(50).default(8),
        document_max_mb: z.number().positive().max(100).default(20),
      })
      .prefault({}),
  })
  .prefault({});

export type CommunityConfig = z.output<typeof communityConfigSchema>;
