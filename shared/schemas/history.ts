import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, VersionSchema, queryInteger } from './common.js';
import { EvaluationContextSchema, FlagEvaluationSchema } from './evaluation.js';
import { EventCursorSchema } from './events.js';
import { MAX_CHANGES_PER_REQUEST } from './change-requests.js';
import { FlagStateSchema } from './flags.js';

/** The largest version a request may name: versions are JavaScript numbers (bigint columns parsed as numbers). */
const MAX_VERSION = Number.MAX_SAFE_INTEGER;

/** RFC 3339: a date, `T` (or a space), a time with seconds, a fraction optionally, and `Z` or an offset. */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Where in the past to look: an environment version, or the last version committed at or before a time. */
export type AsOf = { version: number } | { time: string };

const AS_OF_MESSAGE = 'must be an environment version (a whole number, 0 or more) or an RFC 3339 time like 2026-05-01T14:03:00Z';

/** `asOf`: a version (`"1234"`) or an RFC 3339 time (`"2026-05-01T14:03:00Z"`); anything else is a 400 naming it. */
export const AsOfSchema = z
  .string({ error: AS_OF_MESSAGE })
  .max(64, { error: AS_OF_MESSAGE })
  .refine((value) => (/^\d{1,16}$/.test(value) ? Number(value) <= MAX_VERSION : RFC_3339.test(value) && !Number.isNaN(Date.parse(value))), {
    error: AS_OF_MESSAGE,
  })
  .transform((value): AsOf => (/^\d+$/.test(value) ? { version: Number(value) } : { time: value }))
  .meta({ example: '2026-05-01T14:03:00Z', description: 'An environment version, or an RFC 3339 time: the last version committed at or before it' });

export const SnapshotAsOfQuerySchema = z.strictObject({ asOf: AsOfSchema });
export const SnapshotAsOfParamsSchema = z.object({ env: EnvironmentKeySchema });

/** `POST /v1/playground`. */
export const PlaygroundRequestSchema = z
  .strictObject({
    environment: EnvironmentKeySchema,
    context: EvaluationContextSchema,
    flags: z.array(FlagKeySchema).min(1, { error: 'must name at least one flag, or be left out for every flag' }).max(1000).optional(),
    asOf: z
      .union([VersionSchema.max(MAX_VERSION), z.string()], { error: 'must be a version or an RFC 3339 time' })
      .transform((value, refinement) => {
        const parsed = AsOfSchema.safeParse(typeof value === 'number' ? String(value) : value);
        if (parsed.success) return parsed.data;
        refinement.addIssue({ code: 'custom', message: AS_OF_MESSAGE });
        return z.NEVER;
      })
      .optional(),
    explain: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .meta({
    id: 'PlaygroundRequest',
    description: 'A context to evaluate in one environment, now or as of a version or time; `explain` adds each answer\'s trace',
    example: { environment: 'prod', context: { targetingKey: 'user-42', email: 'ada@acme.com' }, explain: true },
  });
export type PlaygroundRequest = z.infer<typeof PlaygroundRequestSchema>;

/** One step of an explained evaluation (packages/evaluation/explain.ts). */
export const TraceStepSchema = z
  .object({
    kind: z.enum(['flag', 'dependency', 'strategy', 'constraint', 'segment', 'rollout', 'variant']),
    held: z.boolean(),
  })
  .loose()
  .meta({ id: 'TraceStep', description: 'One check of an evaluation, in the order it ran: what it looked at, the context value it saw, and whether it held' });

export const PlaygroundAnswerSchema = FlagEvaluationSchema.extend({ trace: z.array(TraceStepSchema).optional() }).meta({
  id: 'PlaygroundAnswer',
  description: "One flag's answer as /v1/client/evaluate gives it, and with `explain` its trace",
});

export const PlaygroundResponseSchema = z
  .object({ environment: EnvironmentKeySchema, version: VersionSchema, flags: z.array(PlaygroundAnswerSchema) })
  .meta({ id: 'PlaygroundResponse', description: 'Each flag evaluated for the context at one environment version' });

export const RestoreRequestSchema = z
  .strictObject({ version: VersionSchema.max(MAX_VERSION, { error: 'is beyond any version' }) })
  .meta({ id: 'RestoreRequest', description: 'The environment version whose state of this flag to bring back', example: { version: 12 } });

export const CopyRequestSchema = z
  .strictObject({ from: EnvironmentKeySchema })
  .meta({ id: 'CopyRequest', description: 'The environment whose current state of this flag to copy here', example: { from: 'staging' } });

/** The most flags one promote takes: as many as one change request holds (a protected target gets one). */
export const MAX_PROMOTED_FLAGS = MAX_CHANGES_PER_REQUEST;

const SOURCE_VERSION_MESSAGE = 'must be a version of the flag\'s state (a whole number, 1 or more)';

/** `POST /v1/environments/{env}/promote`: several flags' current states in `from`, copied to `{env}` as one change. */
export const PromoteRequestSchema = z
  .strictObject({
    from: EnvironmentKeySchema.meta({ description: 'The environment whose current states to copy' }),
    flags: z
      .array(FlagKeySchema, { error: 'must be a list of flag keys' })
      .min(1, { error: 'name at least one flag' })
      .max(MAX_PROMOTED_FLAGS, { error: `at most ${MAX_PROMOTED_FLAGS} flags` }),
    expectedVersions: z
      .record(FlagKeySchema, VersionSchema.max(MAX_VERSION), { error: 'must map flag keys to versions' })
      .optional()
      .meta({ description: "For each flag you name here, the version of its state in `{env}` you last read (as If-Match): another one refuses the whole promote with 412" }),
    sourceVersions: z
      .record(FlagKeySchema, z.number({ error: SOURCE_VERSION_MESSAGE }).int({ error: SOURCE_VERSION_MESSAGE }).min(1, { error: SOURCE_VERSION_MESSAGE }).max(MAX_VERSION, { error: SOURCE_VERSION_MESSAGE }), {
        error: 'must map flag keys to versions',
      })
      .optional()
      .meta({
        description:
          'For each flag you name here, the version of its state in `from` you looked at (on a compare page, say): another one refuses the whole promote with 412, so what is promoted is what you saw',
      }),
    title: z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'at most 200 characters' }).optional()
      .meta({ description: 'The title of the change request opened in a protected environment (a title naming the flags otherwise)' }),
  })
  .superRefine((request, context) => {
    const named = new Set<string>();
    request.flags.forEach((flag, index) => {
      if (named.has(flag)) context.addIssue({ code: 'custom', path: ['flags', index], message: 'this flag is named twice' });
      named.add(flag);
    });
    for (const flag of Object.keys(request.expectedVersions ?? {})) {
      if (!named.has(flag)) context.addIssue({ code: 'custom', path: ['expectedVersions', flag], message: 'not one of the flags promoted' });
    }
    for (const flag of Object.keys(request.sourceVersions ?? {})) {
      if (!named.has(flag)) context.addIssue({ code: 'custom', path: ['sourceVersions', flag], message: 'not one of the flags promoted' });
    }
  })
  .meta({
    id: 'PromoteRequest',
    description: 'The environment to copy from and the flags whose states to copy, with the versions of their states there and here you read',
    example: { from: 'staging', flags: ['new_ui', 'checkout'], expectedVersions: { new_ui: 12 }, sourceVersions: { new_ui: 40, checkout: 38 } },
  });
export type PromoteRequest = z.output<typeof PromoteRequestSchema>;

export const PromoteResultSchema = z
  .object({
    version: VersionSchema.nullable().meta({ description: 'The one environment version every promoted state took; null: every state already was as in `from`' }),
    states: z.array(FlagStateSchema.extend({ changed: z.boolean() })).meta({ description: 'Each state in the target after the promote, in the order named; `changed` false where it already was so' }),
  })
  .meta({ id: 'PromoteResult', description: 'What a promote wrote, as one environment version' });

const RFC_3339_TIME = z
  .string()
  .refine((value) => RFC_3339.test(value) && !Number.isNaN(Date.parse(value)), { error: 'must be an RFC 3339 time like 2026-05-01T14:03:00Z' })
  .meta({ example: '2026-05-01T00:00:00Z' });

export const EventExportQuerySchema = z
  .strictObject({
    environment: EnvironmentKeySchema.optional(),
    flag: FlagKeySchema.optional(),
    actor: z.string().min(1).max(200).optional().meta({ description: 'Only changes by this actor (as the event names it, or its id or email)' }),
    from: queryInteger(0, MAX_VERSION).optional().meta({ description: 'The first version to export (inclusive), in each environment' }),
    to: queryInteger(0, MAX_VERSION).optional().meta({ description: 'The last version to export (inclusive), in each environment' }),
    since: RFC_3339_TIME.optional().meta({ description: 'Only events committed at or after this time' }),
    until: RFC_3339_TIME.optional().meta({ description: 'Only events committed before this time' }),
    after: EventCursorSchema.optional().meta({ description: 'Resume an export of several environments: the last version received of each (`dev:12,prod:7`)' }),
    format: z.enum(['ndjson', 'csv']).optional(),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    path: ['to'],
    error: 'must not be below from',
  });
export type EventExportQuery = z.infer<typeof EventExportQuerySchema>;
