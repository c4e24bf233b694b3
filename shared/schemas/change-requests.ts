import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, TimestampSchema, UuidSchema, VersionSchema } from './common.js';
import { StateChangeSchema } from './flags.js';
import { ActorSchema } from './people.js';
import { StateConfigSchema, UpdateSegmentSchema } from './targeting-input.js';

/** More changes than this is a migration, not a request someone reviews. */
export const MAX_CHANGES_PER_REQUEST = 200;

const DateTimeSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2030-01-01T12:00:00Z' })
  .meta({ format: 'date-time' });

/**
 * A flag's new state: a PATCH body (`enabled`, `rollout`, `strategyId`) or a PUT
 * body (the whole configuration, told apart by its `strategies`).
 */
const FlagSetSchema = z.unknown().transform((value, context) => {
  const whole = typeof value === 'object' && value !== null && 'strategies' in value;
  const parsed = (whole ? StateConfigSchema : StateChangeSchema).safeParse(value);
  if (parsed.success) return whole ? { config: parsed.data as z.output<typeof StateConfigSchema> } : { patch: parsed.data as z.output<typeof StateChangeSchema> };
  for (const issue of parsed.error.issues) context.addIssue({ ...issue, path: issue.path } as never);
  return z.NEVER;
});

/**
 * The version the change was based on; checked when the request is opened, not
 * stored (the request records every subject's version then, and applying
 * checks those).
 */
const ExpectedVersionSchema = VersionSchema.optional().meta({
  description:
    "The version of the subject this change was based on (a flag state's `version`/ETag in this environment; a segment's: the " +
    "environment version of its last change, GET /v1/change-requests/{id}'s `currentVersion`). Stale when the request is " +
    'opened: 412 naming `changes.<i>.expectedVersion`, nothing stored',
});

export const FlagSetChangeSchema = z.strictObject({
  flag: FlagKeySchema,
  set: FlagSetSchema.meta({
    description: 'A PATCH body ({ enabled?, rollout?, strategyId? }) or a PUT body ({ enabled, strategies, variants?, dependencies? })',
  }),
  expectedVersion: ExpectedVersionSchema,
});
export const SegmentSetChangeSchema = z.strictObject({
  segment: z.number({ error: 'must be a segment id' }).int().positive(),
  set: UpdateSegmentSchema,
  expectedVersion: ExpectedVersionSchema,
});
export const FlagArchiveChangeSchema = z.strictObject({
  flag: FlagKeySchema,
  archive: z.literal(true, { error: 'must be true' }),
  expectedVersion: ExpectedVersionSchema,
});

/** One change of a request, told apart by its fields: `{ flag, set }`, `{ segment, set }` or `{ flag, archive: true }`. */
export const ChangeInputSchema = z.unknown().transform((value, context) => {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const schema = 'segment' in record ? SegmentSetChangeSchema : 'archive' in record ? FlagArchiveChangeSchema : FlagSetChangeSchema;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as ProposedChange;
  for (const issue of parsed.error.issues) context.addIssue({ ...issue, path: issue.path } as never);
  return z.NEVER;
});

/** A change as proposed: with, maybe, the version it was based on (checked at opening, then dropped). */
export type ProposedChange = PlannedChange & { expectedVersion?: number };

/** A change as stored and executed. */
export type PlannedChange =
  | { flag: string; set: { patch: z.output<typeof StateChangeSchema> } | { config: z.output<typeof StateConfigSchema> } }
  | { segment: number; set: z.output<typeof UpdateSegmentSchema> }
  | { flag: string; archive: true };

const ChangesSchema = z
  .array(ChangeInputSchema, { error: 'must be a list of changes' })
  .min(1, { error: 'give at least one change' })
  .max(MAX_CHANGES_PER_REQUEST, { error: `at most ${MAX_CHANGES_PER_REQUEST} changes` })
  .superRefine((changes, context) => {
    const seen = new Set<string>();
    changes.forEach((change, index) => {
      const subject = subjectOf(change);
      if (seen.has(subject)) {
        context.addIssue({ code: 'custom', path: [index], message: `${subject} is changed twice: one change per flag or segment` });
      }
      seen.add(subject);
    });
  })
  .meta({
    description: 'Each `{ flag, set: <PATCH or PUT body> }`, `{ segment, set: <PATCH body> }` or `{ flag, archive: true }`; each flag or segment once',
  });

/** `flag:<key>` or `segment:<id>`: what a change is about (the keys of baseVersions). */
export function subjectOf(change: PlannedChange): string {
  return 'segment' in change ? `segment:${change.segment}` : `flag:${change.flag}`;
}

export const CHANGE_REQUEST_EXAMPLE = {
  environment: 'prod',
  title: 'Launch the new checkout',
  description: 'Both flags at once, so no user sees half of it',
  changes: [
    { flag: 'new_checkout', set: { enabled: true, rollout: 100 } },
    { flag: 'old_checkout_banner', set: { enabled: false } },
  ],
};

export const CreateChangeRequestSchema = z
  .strictObject({
    environment: EnvironmentKeySchema,
    title: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
    description: z.string({ error: 'must be a string' }).max(10000, { error: 'must be at most 10000 characters' }).default(''),
    changes: ChangesSchema,
    scheduledAt: DateTimeSchema.optional().meta({ description: 'Apply at this time once approved (else at approval, or when someone applies it)' }),
  })
  .meta({ id: 'CreateChangeRequest', description: 'A change request: changes to flags and segments of one environment, applied together as one version', example: CHANGE_REQUEST_EXAMPLE });
export type CreateChangeRequest = z.output<typeof CreateChangeRequestSchema>;

export const CreateScheduleSchema = z
  .strictObject({
    environment: EnvironmentKeySchema,
    changes: ChangesSchema,
    at: DateTimeSchema,
    title: z.string().trim().min(1).max(200).optional().meta({ description: 'Default: "Scheduled change"' }),
  })
  .meta({
    id: 'CreateSchedule',
    description: 'Changes applied together, as one version, at `at` (unprotected environments only)',
    example: { environment: 'dev', changes: [{ flag: 'new_checkout', set: { enabled: true } }], at: '2030-01-01T09:00:00Z' },
  });
export type CreateSchedule = z.output<typeof CreateScheduleSchema>;

export const ChangeRequestStateSchema = z.enum(['open', 'approved', 'scheduled', 'applied', 'rejected', 'cancelled', 'conflicted']);
export type ChangeRequestState = z.infer<typeof ChangeRequestStateSchema>;

export type ActorRef = z.infer<typeof ActorSchema>;

/** One change as the diff shows it: the subject as it is now and as the change would leave it. */
export const ChangeDiffSchema = z.object({
  subject: z.string().meta({ description: '`flag:<key>` or `segment:<id>`' }),
  change: z.unknown().meta({ description: 'The change as submitted' }),
  baseVersion: VersionSchema.nullable().meta({ description: 'The version the subject had when the request was opened' }),
  currentVersion: VersionSchema.nullable().meta({ description: 'Its version now; different from baseVersion: the request conflicts' }),
  conflicted: z.boolean(),
  before: z.unknown().meta({ description: 'The subject now (null if it no longer exists)' }),
  after: z.unknown().meta({ description: 'The subject as the change would leave it (for a flag: the fields it sets over the current state)' }),
});

export const ChangeRequestSchema = z
  .object({
    id: UuidSchema,
    kind: z.enum(['change-request', 'schedule']),
    environment: EnvironmentKeySchema,
    title: z.string(),
    description: z.string(),
    changes: z.array(z.unknown()),
    state: ChangeRequestStateSchema,
    requiredApprovals: z.number().int(),
    approvals: z.array(z.object({ approver: ActorSchema, createdAt: TimestampSchema })),
    scheduledAt: TimestampSchema.nullable(),
    author: ActorSchema,
    appliedVersion: VersionSchema.nullable(),
    appliedAt: TimestampSchema.nullable(),
    appliedBy: ActorSchema.nullable(),
    closedBy: ActorSchema.nullable(),
    closedAt: TimestampSchema.nullable(),
    closeReason: z.string().nullable(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'ChangeRequest', description: 'A change request (or a schedule) and where it stands' });
export type ChangeRequest = z.infer<typeof ChangeRequestSchema>;

export const CommentSchema = z
  .object({ id: z.number().int(), author: ActorSchema, body: z.string(), createdAt: TimestampSchema })
  .meta({ id: 'ChangeRequestComment', description: 'A comment on a change request' });
export type Comment = z.infer<typeof CommentSchema>;

export const ChangeRequestDetailSchema = ChangeRequestSchema.extend({
  diff: z.array(ChangeDiffSchema),
  comments: z.array(CommentSchema),
}).meta({ id: 'ChangeRequestDetail', description: 'A change request with its diff against the current state and its comments' });

export const ChangeRequestIdParamsSchema = z.strictObject({ id: UuidSchema });

export const ListChangeRequestsQuerySchema = z.strictObject({
  environment: EnvironmentKeySchema.optional(),
  state: ChangeRequestStateSchema.optional(),
  flag: FlagKeySchema.optional().meta({ description: 'Only requests that change this flag' }),
  limit: z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: 'must be at least 1' }).max(500, { error: 'must be at most 500' }))
    .optional(),
});
export type ListChangeRequestsQuery = z.output<typeof ListChangeRequestsQuerySchema>;

export const CommentInputSchema = z
  .strictObject({ body: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(10000, { error: 'must be at most 10000 characters' }) })
  .meta({ id: 'CommentInput', description: 'A comment on a change request', example: { body: 'Looks right; the banner goes with it.' } });

export const ReasonInputSchema = z
  .strictObject({ reason: z.string({ error: 'must be a string' }).max(1000, { error: 'must be at most 1000 characters' }).optional() })
  .meta({ id: 'ReasonInput', description: 'Why the request is rejected or cancelled (optional)', example: { reason: 'Not before the freeze ends' } });

export const EnvironmentProtectionSchema = z
  .strictObject({
    protected: z.boolean({ error: 'must be true or false' }).optional(),
    requiredApprovals: z
      .number({ error: 'must be a whole number from 1 to 10' })
      .int({ error: 'must be a whole number from 1 to 10' })
      .min(1, { error: 'must be a whole number from 1 to 10' })
      .max(10, { error: 'must be a whole number from 1 to 10' })
      .optional(),
  })
  .refine((value) => value.protected !== undefined || value.requiredApprovals !== undefined, { error: 'give protected and/or requiredApprovals' })
  .meta({ id: 'EnvironmentProtection', description: 'Whether people change the environment only through change requests, and how many approvals those need', example: { protected: true, requiredApprovals: 1 } });

/** The webhook event of a change request's state change (change_request_event). */
export const ChangeRequestEventTypeSchema = z.enum([
  'change-request.opened',
  'change-request.approved',
  'change-request.scheduled',
  'change-request.applied',
  'change-request.rejected',
  'change-request.cancelled',
  'change-request.conflicted',
  'change-request.commented',
]);
export type ChangeRequestEventType = z.infer<typeof ChangeRequestEventTypeSchema>;
