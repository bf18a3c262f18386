import { z } from 'zod';

/**
 * The `badami:` block of kota.config.yaml: when an innovation counts as at risk or stalled. An innovation is stalled
 * when either of its `stalled` limits is reached, at risk when either `at_risk` limit is, on track otherwise
 * (health.ts). Every key has a default.
 */
const limits = (days: number, overdue: number) =>
  z
    .object({
      /** Days since the last progress update (or since the innovation was registered, before its first update). */
      days_without_update: z.number().int().min(1).default(days),
      /** Milestones past their due date and not completed. */
      overdue_milestones: z.number().int().min(1).default(overdue),
    })
    .prefault({});

export const badamiConfigSchema = z
  .object({
    health: z
      .object({ at_risk: limits(30, 1), stalled: limits(90, 3) })
      .prefault({})
      .refine((h) => h.stalled.days_without_update >= h.at_risk.days_without_update && h.stalled.overdue_milestones >= h.at_risk.overdue_milestones, {
        message: 'the stalled limits must be at least the at_risk limits',
      }),
  })
  .prefault({});

export type BadamiConfig = z.output<typeof badamiConfigSchema>;
export type HealthThresholds = BadamiConfig['health'];
