import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, RolloutSchema, TimestampSchema, UuidSchema, queryInteger } from './common.js';

/**
 * A flag as the build guide describes it: one flag per name and environment,
 * snake_case `updated_at`. FlagShip answers its own flags in this shape on the
 * guide's two routes.
 */
export const GuideFlagSchema = z
  .object({
    id: UuidSchema.meta({ description: "The FlagShip flag's id (the same in every environment)" }),
    name: FlagKeySchema.meta({ description: "The flag's key" }),
    environment: EnvironmentKeySchema.meta({ description: 'The environment this state belongs to' }),
    enabled: z.boolean(),
    rollout: RolloutSchema.nullable().meta({
      description:
        'The percentage of users the flag is on for, 0-100; null when its targeting in this environment is more than one percentage rollout (read /v1/flags/{key}/environments/{env} for the whole of it)',
    }),
    updated_at: TimestampSchema.meta({ description: 'When this state last changed' }),
  })
  .meta({ id: 'GuideFlag', description: "A flag in one environment, in the build guide's shape" });
export type GuideFlag = z.infer<typeof GuideFlagSchema>;

/** The guide's 404 body, kept exactly as it wrote it. */
export const GuideNotFoundSchema = z
  .object({ detail: z.literal('Flag not found') })
  .meta({ id: 'GuideNotFound', description: "The build guide's 404 body" });

const GUIDE_FIELDS = {
  name: 'The flag name (FlagShip: its key); required',
  env: 'The environment (dev, staging, prod are seeded); required',
  enabled: 'Whether the flag is on; when creating, false if not given; when setting, unchanged if not given',
  rollout: 'Percentage 0-100; when creating, 100 if not given; when setting, unchanged if not given',
};

/** `POST /flags?name=new_ui&env=prod&enabled=true&rollout=30`: every field optional here, so the JSON form can be used instead. */
export const GuideFlagQuerySchema = z.strictObject({
  name: FlagKeySchema.optional().meta({ description: GUIDE_FIELDS.name }),
  env: EnvironmentKeySchema.optional().meta({ description: GUIDE_FIELDS.env }),
  enabled: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: GUIDE_FIELDS.enabled }),
  rollout: queryInteger(0, 100).optional().meta({ description: GUIDE_FIELDS.rollout }),
});

/** The same fields as a JSON body. */
export const GuideFlagBodySchema = z
  .strictObject({
    name: FlagKeySchema.optional().meta({ description: GUIDE_FIELDS.name }),
    env: EnvironmentKeySchema.optional().meta({ description: GUIDE_FIELDS.env }),
    enabled: z.boolean({ error: 'must be true or false' }).optional().meta({ description: GUIDE_FIELDS.enabled }),
    rollout: RolloutSchema.optional().meta({ description: GUIDE_FIELDS.rollout }),
  })
  .meta({ id: 'GuideFlagInput', description: "The build guide's POST /flags fields as a JSON body (instead of query parameters)" });

/** What POST /flags needs once one of the two forms was read: name and env present. */
export const GuideFlagInputSchema = z.object({
  name: z.string({ error: 'is required' }),
  env: z.string({ error: 'is required' }),
  enabled: z.boolean().optional(),
  rollout: z.number().optional(),
});
export type GuideFlagInput = z.infer<typeof GuideFlagInputSchema>;

export const GuideFlagParamsSchema = z.strictObject({ name: FlagKeySchema.meta({ description: "The flag's name (key)" }) });

export const GuideFlagReadQuerySchema = z.strictObject({
  env: EnvironmentKeySchema.meta({ description: 'The environment to read the flag in; required' }),
});
