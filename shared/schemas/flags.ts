import { z } from 'zod';
import {
  EnvironmentKeySchema,
  FlagKeySchema,
  ProjectKeySchema,
  RolloutSchema,
  TimestampSchema,
  UuidSchema,
  VersionSchema,
  queryInteger,
} from './common.js';
import { DependencySchema, StrategySchema, VariantSchema } from './targeting.js';
import { FlagTypeSchema } from './usage.js';
import { StateConfigSchema } from './targeting-input.js';
import { ActorSchema } from './people.js';

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
    project: ProjectKeySchema.meta({ description: 'The project the flag is in' }),
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

const TAG_MESSAGE = 'must be 1-50 characters: lowercase letters, digits, . _ : / - (starting with a letter or digit)';

/** A tag on a flag: a short lowercase word (`checkout`, `team:payments`), so filtering by one needs no case rules. */
export const TagSchema = z
  .string({ error: TAG_MESSAGE })
  .regex(/^[a-z0-9][a-z0-9._:/-]{0,49}$/, { error: TAG_MESSAGE })
  .meta({ example: 'checkout' });

/** A flag's tags: at most 20, each once (the database checks the count and the format too). */
export const TagsSchema = z
  .array(TagSchema, { error: 'must be a list of tags' })
  .max(20, { error: 'at most 20 tags' })
  .refine((tags) => new Set(tags).size === tags.length, { error: 'each tag at most once' })
  .meta({ description: 'Short lowercase words to group and find flags by (at most 20)', example: ['checkout', 'team:payments'] });

const OWNER_MESSAGE = 'must be 1-100 characters, not only spaces (a team or a person), or null for nobody';

/** Who owns a flag: a team's name or a person's email, as people write it. */
export const OwnerSchema = z
  .string({ error: OWNER_MESSAGE })
  .max(100, { error: OWNER_MESSAGE })
  .refine((owner) => owner.trim().length > 0, { error: OWNER_MESSAGE })
  .meta({ description: "The team or person answering for the flag (a name or an email)", example: 'payments' });

export const FlagSchema = z
  .object({
    id: UuidSchema,
    key: FlagKeySchema,
    description: z.string(),
    type: FlagTypeSchema,
    project: ProjectKeySchema,
    tags: z.array(z.string()).meta({ description: 'Short lowercase words to group and find the flag by' }),
    owner: z.string().nullable().meta({ description: 'The team or person answering for the flag; null: nobody yet' }),
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
    project: ProjectKeySchema.optional().meta({ description: 'The project the flag goes in (default: `default`)' }),
    tags: TagsSchema.optional(),
    owner: OwnerSchema.nullable().optional(),
  })
  .meta({ id: 'CreateFlag', description: 'A new flag: its key, a description, and optionally its initial state per environment' });
export type CreateFlag = z.infer<typeof CreateFlagSchema>;

export const UpdateFlagSchema = z
  .strictObject({
    description: DescriptionSchema.optional(),
    type: FlagTypeSchema.optional(),
    project: ProjectKeySchema.optional().meta({ description: 'Moves the flag to this project (a change in every environment)' }),
    tags: TagsSchema.optional().meta({ description: 'Replaces all the tags ([] removes them)' }),
    owner: OwnerSchema.nullable().optional().meta({ description: 'The new owner; null: nobody' }),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    error: 'give at least one of description, type, project, tags, owner',
    path: ['description'],
  })
  .meta({ id: 'UpdateFlag', description: "A flag's new description, type, tags, owner and/or project" });
export type UpdateFlag = z.infer<typeof UpdateFlagSchema>;

/** A flag's own fields: what a metadata change touches (no environment's state, so no version). */
export const FlagMetadataSchema = z.object({
  description: z.string(),
  type: FlagTypeSchema,
  tags: z.array(z.string()),
  owner: z.string().nullable(),
});
export type FlagMetadata = z.infer<typeof FlagMetadataSchema>;

/**
 * A change of a flag's description, type, tags or owner (the `flag` event of
 * the admin change stream): who made it, the fields before and after. No
 * environment version: SDKs never see these fields.
 */
export const FlagMetadataChangeSchema = z
  .object({
    id: z.number().int(),
    flag: FlagKeySchema,
    project: ProjectKeySchema,
    actor: ActorSchema,
    before: FlagMetadataSchema,
    after: FlagMetadataSchema,
    createdAt: TimestampSchema,
  })
  .meta({ id: 'FlagMetadataChange', description: "A change of a flag's description, type, tags or owner: who made it, the fields before and after" });
export type FlagMetadataChange = z.infer<typeof FlagMetadataChangeSchema>;

/** `GET /v1/flags/{key}/metadata-changes`: after the id of the last change read, `limit` at a time. */
export const FlagMetadataChangesQuerySchema = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,15}$/, { error: 'must be the id of a change (a whole number, 0 or more), like nextAfter' })
    .transform(Number)
    .optional()
    .meta({ description: 'The id of the last change read (the previous page\'s nextAfter or cursor): only changes after it' }),
  limit: queryInteger(1, 1000).optional().meta({ description: 'At most this many changes (default 100)' }),
});

export const FlagMetadataChangePageSchema = z
  .object({
    changes: z.array(FlagMetadataChangeSchema),
    nextAfter: z.number().int().nullable().meta({ description: 'The cursor of the next page; null when this page reached the last change' }),
    cursor: z.number().int().meta({ description: 'Where this page ends, always: pass it as `after` later to read what was changed since' }),
  })
  .meta({ id: 'FlagMetadataChangePage', description: "A page of a flag's metadata changes, oldest first; `nextAfter` is the cursor for the next page (null on the last)" });
export type FlagMetadataChangePage = z.infer<typeof FlagMetadataChangePageSchema>;

export const FlagKeyParamsSchema = z.strictObject({ key: FlagKeySchema });
export const FlagStateParamsSchema = z.strictObject({ key: FlagKeySchema, env: EnvironmentKeySchema });

export const ListFlagsQuerySchema = z.strictObject({
  limit: queryInteger(1, 200).optional(),
  /** The key of the last flag of the previous page. */
  after: FlagKeySchema.optional(),
  archived: z.enum(['true', 'false', 'only'], { error: 'must be true, false or only' }).optional(),
  project: ProjectKeySchema.optional().meta({ description: 'Only the flags of this project' }),
  stale: z.enum(['true', 'false'], { error: 'must be true or false' }).optional().meta({
    description: 'true: only live flags that look stale, each with its staleReasons',
  }),
  tag: TagSchema.optional().meta({ description: 'Only the flags with this tag' }),
  owner: OwnerSchema.optional().meta({ description: 'Only the flags this team or person owns (exactly as written)' }),
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

/** `POST /v1/environments/{env}/flag-states`: whole configurations of several flags, all or nothing, as one environment version. */
export const FlagStateBatchSchema = z
  .strictObject({
    changes: z
      .array(
        z.strictObject({
          flag: FlagKeySchema,
          expectedVersion: VersionSchema.optional().meta({ description: "The state's version you last read (as If-Match): a different current version refuses the whole batch with 412" }),
          set: StateConfigSchema,
        }),
        { error: 'must be a list of changes' },
      )
      .min(1, { error: 'give at least one change' })
      .max(500, { error: 'at most 500 changes' }),
  })
  .superRefine((batch, context) => {
    const seen = new Set<string>();
    batch.changes.forEach((change, index) => {
      if (seen.has(change.flag)) context.addIssue({ code: 'custom', path: ['changes', index, 'flag'], message: 'this flag is changed twice in one batch' });
      seen.add(change.flag);
    });
  })
  .meta({ id: 'FlagStateBatch', description: 'Whole configurations of several flags in one environment, each with the version it was read at' });
export type FlagStateBatch = z.output<typeof FlagStateBatchSchema>;
