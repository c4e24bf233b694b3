import { Duration } from 'luxon';
import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, RolloutSchema, TimestampSchema, UuidSchema, queryInteger } from './common.js';

/** More steps than this is a mistake, not a ramp (a rising 0-100 ramp has at most 101 anyway). */
export const MAX_RAMP_STEPS = 100;

export const RampStatusSchema = z.enum(['scheduled', 'running', 'paused', 'completed', 'cancelled', 'rolled_back']);
export type RampStatus = z.infer<typeof RampStatusSchema>;

const DateTimeSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2030-01-01T12:00:00Z' })
  .meta({ format: 'date-time' });

/** Steps closer than this would share a millisecond timestamp or outrun the queue; no ramp needs it. */
export const MIN_RAMP_INTERVAL_MS = 100;

/** An ISO 8601 duration (`PT1H`, `P1D`, `PT0.5S`) of at least 0.1 s, kept as the string the caller sent. */
export const IsoDurationSchema = z
  .string()
  .refine(
    (value) => {
      const duration = Duration.fromISO(value);
      return duration.isValid && duration.toMillis() >= MIN_RAMP_INTERVAL_MS;
    },
    { error: 'must be an ISO 8601 duration of at least 0.1 seconds, e.g. PT1H, P1D or PT30S' },
  )
  .meta({ example: 'PT1H' });

export const RampStepInputSchema = z.strictObject({ rollout: RolloutSchema, at: DateTimeSchema });
export type RampStepInput = z.infer<typeof RampStepInputSchema>;

function issue(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** More guards than this on one ramp is a dashboard, not a guard. */
export const MAX_RAMP_GUARDS = 5;

/** The default least exposures per arm before a guard may decide. */
export const DEFAULT_MIN_EXPOSURES = 500;

export const GuardActionSchema = z.enum(['pause', 'rollback'], { error: "must be 'pause' or 'rollback'" });
export type GuardAction = z.infer<typeof GuardActionSchema>;

/** One guard as a ramp's creation body gives it. */
export const GuardInputSchema = z.strictObject({
  event: z
    .string({ error: "must be the name of an event apps count, e.g. 'errors'" })
    .min(1, { error: 'must not be empty' })
    .max(100, { error: 'must be at most 100 characters' })
    .refine((event) => event !== 'exposure', { error: "'exposure' is what the rates are per; name an event such as 'errors'" })
    .meta({ description: "The event whose rate per exposure is watched ('errors', or any name apps track)", example: 'errors' }),
  maxRatio: z
    .number({ error: 'must be a number from 1 to 1000' })
    .min(1, { error: 'must be a number from 1 to 1000' })
    .max(1000, { error: 'must be a number from 1 to 1000' })
    .meta({ description: "The largest tolerated treatment rate over control rate (1.5: at most 50% more)", example: 1.5 }),
  minExposures: z
    .number({ error: 'must be a whole number from 1 to 1000000000' })
    .int({ error: 'must be a whole number from 1 to 1000000000' })
    .min(1, { error: 'must be a whole number from 1 to 1000000000' })
    .max(1_000_000_000, { error: 'must be a whole number from 1 to 1000000000' })
    .default(DEFAULT_MIN_EXPOSURES)
    .meta({ description: `Exposures each arm needs before the guard may decide (default ${DEFAULT_MIN_EXPOSURES})`, example: 500 }),
  action: GuardActionSchema.meta({ description: 'On a breach: pause the ramp where it is, or roll the rollout back to where the ramp started' }),
});
export type GuardInput = z.infer<typeof GuardInputSchema>;

/**
 * A ramp in one of two forms: explicit `steps`, or `from`/`to`/`step`/`every`
 * (first step at `startAt`, default now). Everything that needs no clock is
 * checked here, each problem naming its field; times against "now" are checked
 * by planRampSteps.
 */
export const CreateRampSchema = z
  .strictObject({
    steps: z
      .array(RampStepInputSchema)
      .min(1, { error: 'give at least one step' })
      .max(MAX_RAMP_STEPS, { error: `a ramp has at most ${MAX_RAMP_STEPS} steps` })
      .optional()
      .meta({ description: 'Explicit steps: rollouts rising, times in the future and in order' }),
    from: RolloutSchema.optional().meta({ description: 'First rollout (with to, step, every)' }),
    to: RolloutSchema.optional().meta({ description: 'Last rollout' }),
    step: z
      .number({ error: 'must be a whole number from 1 to 100' })
      .int({ error: 'must be a whole number from 1 to 100' })
      .min(1, { error: 'must be a whole number from 1 to 100' })
      .max(100, { error: 'must be a whole number from 1 to 100' })
      .optional()
      .meta({ description: 'Rollout points added per step' }),
    every: IsoDurationSchema.optional().meta({ description: 'Time between steps, ISO 8601 (PT1H)' }),
    startAt: DateTimeSchema.optional().meta({ description: 'When the first step applies (default: now)' }),
    allowDecrease: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .meta({ description: 'Allow a first step below the current rollout (which rolls the flag back at once)' }),
    strategyId: z
      .string({ error: 'must be the id of one of the state\'s strategies' })
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'The flexibleRollout strategy to drive, on a state that is not the simple case (one flexibleRollout)' }),
    guards: z
      .array(GuardInputSchema, { error: 'must be an array of guards' })
      .max(MAX_RAMP_GUARDS, { error: `a ramp has at most ${MAX_RAMP_GUARDS} guards` })
      .optional()
      .meta({ description: "Watch an event's rate among users who got the flag on against those who did not while the ramp runs; pause or roll back on a breach" }),
  })
  .superRefine((body, ctx) => {
    const generated = (['from', 'to', 'step', 'every', 'startAt'] as const).filter((key) => body[key] !== undefined);
    if (body.steps !== undefined) {
      for (const key of generated) issue(ctx, [key], 'give either steps or from/to/step/every, not both');
      body.steps.forEach((current, index) => {
        const previous = body.steps![index - 1];
        if (!previous) return;
        if (current.rollout <= previous.rollout) {
          issue(ctx, ['steps', index, 'rollout'], `rollouts must rise: ${current.rollout} does not exceed ${previous.rollout}`);
        }
        if (Date.parse(current.at) <= Date.parse(previous.at)) {
          issue(ctx, ['steps', index, 'at'], 'step times must be in order, each after the previous one');
        }
      });
      return;
    }
    if (generated.length === 0) {
      issue(ctx, [], 'give either steps: [{ rollout, at }] or from, to, step and every');
      return;
    }
    for (const key of ['from', 'to', 'step', 'every'] as const) {
      if (body[key] === undefined) issue(ctx, [key], `required with ${generated.join(', ')}`);
    }
    if (body.from === undefined || body.to === undefined || body.step === undefined) return;
    if (body.to <= body.from) {
      issue(ctx, ['to'], `rollouts must rise: to (${body.to}) must exceed from (${body.from})`);
      return;
    }
    const count = Math.ceil((body.to - body.from) / body.step) + 1;
    if (count > MAX_RAMP_STEPS) {
      issue(ctx, ['step'], `a ramp has at most ${MAX_RAMP_STEPS} steps; this one would have ${count}`);
    }
  })
  .meta({
    id: 'CreateRamp',
    description:
      'Either `steps: [{ rollout, at }]`, or `from`, `to`, `step` and `every` (ISO 8601 duration) with an optional `startAt`.',
  });
export type CreateRamp = z.infer<typeof CreateRampSchema>;

export const RampStepSchema = z
  .object({
    position: z.number().int().nonnegative(),
    rollout: RolloutSchema,
    plannedAt: TimestampSchema,
    appliedAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'RampStep', description: 'One step of a ramp: the rollout it sets, when it is planned, and when it was applied' });
export type RampStep = z.infer<typeof RampStepSchema>;

const ArmFiguresSchema = z.object({
  exposures: z.number(),
  events: z.number(),
  rate: z.number().nullable().meta({ description: 'Events per exposure; null without exposures' }),
});

export const GuardDecisionSchema = z.enum(['pending', 'too-few-exposures', 'no-breach', 'breach']);

/** A guard with what the worker last saw. */
export const RampGuardSchema = z
  .object({
    event: z.string(),
    maxRatio: z.number(),
    minExposures: z.number().int(),
    action: GuardActionSchema,
    treatment: ArmFiguresSchema.meta({ description: 'Users who got the flag on (or a variant)' }),
    control: ArmFiguresSchema.meta({ description: 'Users who got the flag off' }),
    ratio: z.number().nullable().meta({ description: 'Treatment rate over control rate; null while either is unknown or control is 0' }),
    evidence: z.number().meta({ description: 'The sequential test\'s evidence of a breach (mixture likelihood ratio); a breach needs threshold' }),
    threshold: z.number().meta({ description: '1 / alpha (docs/guarded-ramps.md)' }),
    decision: GuardDecisionSchema.meta({ description: "pending: not looked at yet; too-few-exposures; no-breach; breach (the ramp stopped)" }),
    evaluatedAt: TimestampSchema.nullable(),
    breachedAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'RampGuard', description: "A ramp's guard and its last figures" });
export type RampGuard = z.infer<typeof RampGuardSchema>;

export const RampSchema = z
  .object({
    id: UuidSchema,
    flag: FlagKeySchema,
    environment: EnvironmentKeySchema,
    /** The strategy whose rollout the ramp drives; null: the simple case's only strategy. */
    strategyId: z.string().nullable(),
    status: RampStatusSchema,
    /** Position of the next step to apply (equals steps.length once completed). */
    currentStep: z.number().int().nonnegative(),
    createdBy: z.string(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    stopReason: z.string().nullable(),
    stoppedBy: z.string().nullable(),
    stoppedAt: TimestampSchema.nullable(),
    steps: z.array(RampStepSchema),
    /** The rollout when the ramp was created: where a guard's rollback puts it back (null: not a whole percentage then). */
    startRollout: RolloutSchema.nullable(),
    guards: z.array(RampGuardSchema),
  })
  .meta({ id: 'Ramp', description: "A scheduled ramp of a flag's rollout in one environment: its status, steps and progress" });
export type Ramp = z.infer<typeof RampSchema>;

export const RampIdParamsSchema = z.strictObject({ id: UuidSchema });

export const ListRampsQuerySchema = z.strictObject({
  flag: FlagKeySchema.optional(),
  environment: EnvironmentKeySchema.optional(),
  status: RampStatusSchema.optional(),
  /** The id of the last ramp of the previous page (its nextAfter). */
  after: UuidSchema.optional(),
  limit: queryInteger(1, 200).optional(),
});

export const RampPageSchema = z
  .object({
    ramps: z.array(RampSchema),
    nextAfter: UuidSchema.nullable().meta({ description: 'Pass as after for the next page; null on the last' }),
  })
  .meta({ id: 'RampPage', description: 'A page of ramps, newest first' });

/** Optional body of pause and cancel: why, for the record. */
export const StopRampSchema = z
  .strictObject({ reason: z.string().min(1, { error: 'must not be empty' }).max(500, { error: 'must be at most 500 characters' }).optional() })
  .meta({ id: 'StopRamp', description: 'Why the ramp is paused or cancelled (optional; recorded)' });
export type StopRamp = z.infer<typeof StopRampSchema>;

export const ResumeRampSchema = z.strictObject({});

/** The data of one BullMQ timer job: apply step `position` of plan `planId` as planned in `revision`. */
export const RampStepJobSchema = z.object({
  planId: UuidSchema,
  revision: z.number().int().nonnegative(),
  position: z.number().int().nonnegative(),
});
export type RampStepJob = z.infer<typeof RampStepJobSchema>;
