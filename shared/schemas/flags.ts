import { z } from 'zod';
import {
  EnvironmentKeySchema,
  FlagKeySchema,
  RolloutSchema,
  TimestampSchema,
  UuidSchema,
  VersionSchema,
  queryInteger,
} from './common.js';
import { DependencySchema, StrategySchema, VariantSchema } from './targeting.js';
import { FlagTypeSchema } from './usage.js';

/**
 * A flag's state in one environment: what SDKs evaluate and what every change
 * event carries. `rollout` is the percentage when the state is the simple case
 * (its only strategy one flexibleRollout with default stickiness, the flag key
 * as group id, no constraints, segments or strategy variants), else null.
 */
export const FlagStateSchema = z
  .object({
    id: UuidSchema,
    key: FlagKeySchema,
    environment: EnvironmentKeySchema,
    enabled: z.boolean(),
    rollout: RolloutSchema.nullable(),
    strategies: z.array(StrategySchema),
    variants: z.array(VariantSchema),
    dependencies: z.array(DependencySchema),
    version: VersionSchema,
    updatedAt: TimestampSchema,
    updatedBy: z.string(),
    archived: z.boolean().optional(),
  })
  .meta({ id: 'FlagState', description: "A flag's state in one environment: what SDKs evaluate and what every change carries" });
export type FlagState = z.infer<typeof FlagStateSchema>;

/**
 * A state as the admin API shows it: with when the flag was last evaluated there
 * (SDK reports and the API's own evaluations). Kept out of snapshots, which change
 * only with a new version.
 */
export const AdminFlagStateSchema = FlagStateSchema.extend({
  lastSeenAt: TimestampSchema.nullable().meta({ description: 'When the flag was last evaluated in this environment; null: never' }),
}).meta({ id: 'AdminFlagState', description: 'A flag state as the admin API shows it, with when the flag was last evaluated there' });
export type AdminFlagState = z.infer<typeof AdminFlagStateSchema>;

export const FlagSchema = z
  .object({
    id: UuidSchema,
    key: FlagKeySchema,
    description: z.string(),
    type: FlagTypeSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    archivedAt: TimestampSchema.nullable(),
    environments: z.record(z.string(), AdminFlagStateSchema),
  })
  .meta({ id: 'Flag', description: 'A flag with its state in every environment' });
export type Flag = z.infer<typeof FlagSchema>;

export const DescriptionSchema = z.string().max(1000, { error: 'must be at most 1000 characters' });

export const StateChangeSchema = z
  .strictObject({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    rollout: RolloutSchema.optional(),
    /** Which flexibleRollout strategy `rollout` sets, when the state is not the simple case. */
    strategyId: z.string({ error: 'must be the id of one of the state\'s strategies' }).min(1).max(100).optional(),
  })
  .refine((change) => change.enabled !== undefined || change.rollout !== undefined, {
    error: 'give at least one of enabled, rollout',
  })
  .refine((change) => change.strategyId === undefined || change.rollout !== undefined, {
    error: 'strategyId names the strategy whose rollout to set: give rollout too',
    path: ['strategyId'],
  })
  .meta({ id: 'StateChange', description: 'The fields of a state to change; at least one', example: { enabled: true, rollout: 25 } });
export type StateChange = z.infer<typeof StateChangeSchema>;

const InitialStateSchema = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  rollout: RolloutSchema.optional(),
});

export const CreateFlagSchema = z
  .strictObject({
    key: FlagKeySchema,
    description: DescriptionSchema.optional(),
    type: FlagTypeSchema.optional().meta({ description: 'release (the default), experiment, operational, kill-switch or permission' }),
    environments: z.record(EnvironmentKeySchema, InitialStateSchema).optional(),
  })
  .meta({ id: 'CreateFlag', description: 'A new flag: its key, a description, and optionally its initial state per environment' });
export type CreateFlag = z.infer<typeof CreateFlagSchema>;

export const UpdateFlagSchema = z
  .strictObject({ description: DescriptionSchema.optional(), type: FlagTypeSchema.optional() })
  .refine((change) => change.description !== undefined || change.type !== undefined, {
    error: 'give at least one of description, type',
    path: ['description'],
  })
  .meta({ id: 'UpdateFlag', description: "A flag's new description and/or type" });
export type UpdateFlag = z.infer<typeof UpdateFlagSchema>;

export const FlagKeyParamsSchema = z.strictObject({ key: FlagKeySchema });
export const FlagStateParamsSchema = z.strictObject({ key: FlagKeySchema, env: EnvironmentKeySchema });

export const ListFlagsQuerySchema = z.strictObject({
  limit: queryInteger(1, 200).optional(),
  /** The key of the last flag of the previous page. */
  after: FlagKeySchema.optional(),
  archived: z.enum(['true', 'false', 'only'], { error: 'must be true, false or only' }).optional(),
  stale: z.enum(['true', 'false'], { error: 'must be true or false' }).optional().meta({
    description: 'true: only live flags that look stale, each with its staleReasons',
  }),
  staleDays: queryInteger(1, 3650).optional().meta({
    description: 'With stale=true: how many days without an evaluation, or with the same answer for everyone, make a flag stale (default 30)',
  }),
});

export const StaleReasonSchema = z
  .object({
    rule: z.enum(['past-lifetime', 'not-evaluated', 'unchanged-everywhere']),
    message: z.string(),
  })
  .meta({ id: 'StaleReason', description: 'Why a flag looks stale: the rule and a sentence for people' });

export const FlagPageSchema = z
  .object({
    flags: z.array(FlagSchema.extend({ staleReasons: z.array(StaleReasonSchema).optional() })),
    nextAfter: FlagKeySchema.nullable(),
  })
  .meta({ id: 'FlagPage', description: 'A page of flags ordered by key; `nextAfter` is the cursor for the next page (null on the last)' });
