import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, TimestampSchema, VersionSchema, queryInteger } from './common.js';
import { FlagStateSchema } from './flags.js';
import { SegmentSchema } from './targeting.js';
import { ActorSchema } from './people.js';

export const ChangeActionSchema = z.enum(['created', 'updated', 'archived']);

/** A change of one flag's state in one environment. */
export const FlagChangeEventSchema = z
  .object({
    id: z.number().int(),
    environment: EnvironmentKeySchema,
    version: VersionSchema,
    flag: FlagKeySchema,
    action: ChangeActionSchema,
    actor: ActorSchema,
    before: FlagStateSchema.nullable(),
    after: FlagStateSchema,
    createdAt: TimestampSchema,
    changeRequestId: z.string().optional().meta({ description: 'The change request or schedule this change was part of (its other changes share the version)' }),
  })
  .meta({ id: 'FlagChangeEvent', description: 'One change of a flag in one environment: who made it, the environment version it produced, the state before and after' });
export type FlagChangeEvent = z.infer<typeof FlagChangeEventSchema>;

/**
 * A change of a segment. Segments are global, so each one is an event in every
 * environment (each with that environment's version); `after` of a deletion is
 * the last segment with `deleted: true`.
 */
export const SegmentChangeEventSchema = z
  .object({
    id: z.number().int(),
    environment: EnvironmentKeySchema,
    version: VersionSchema,
    segment: z.number().int(),
    action: z.enum(['created', 'updated', 'deleted']),
    actor: ActorSchema,
    before: SegmentSchema.nullable(),
    after: SegmentSchema,
    createdAt: TimestampSchema,
    changeRequestId: z.string().optional().meta({ description: 'The change request or schedule this change was part of' }),
  })
  .meta({ id: 'SegmentChangeEvent', description: 'One change of a segment, recorded in every environment with that environment\'s version: who made it, the segment before and after (deleted: true once deleted)' });
export type SegmentChangeEvent = z.infer<typeof SegmentChangeEventSchema>;

/** One row of the change log: about a flag (`flag`: its key) or a segment (`segment`: its id). */
export const ChangeEventSchema = z.union([FlagChangeEventSchema, SegmentChangeEventSchema]).meta({ id: 'ChangeEvent', description: 'One entry of the change log: a flag change (with `flag`) or a segment change (with `segment`)' });
export type ChangeEvent = z.infer<typeof ChangeEventSchema>;

export function isSegmentEvent(event: ChangeEvent): event is SegmentChangeEvent {
  return 'segment' in event;
}

const CURSOR_ENTRY = /^([a-z0-9][a-z0-9_-]{0,49}):(\d{1,15})$/;
/** More environments than any installation has: a longer cursor is not one of ours. */
const MAX_CURSOR_ENVIRONMENTS = 1000;

/**
 * The audit log's cursor: the last version read of each environment,
 * `dev:12,prod:7` (empty: nothing read yet). Versions are gap-free and in commit
 * order per environment, so "after version N of each" can never skip an event,
 * which an event id could: ids follow commit order only within one environment.
 */
export const EventCursorSchema = z
  .string()
  .refine(
    (value) => {
      const entries = value === '' ? [] : value.split(',');
      return entries.length <= MAX_CURSOR_ENVIRONMENTS && entries.every((entry) => CURSOR_ENTRY.test(entry));
    },
    { error: 'must be the cursor of a previous page (nextAfter or cursor), like dev:12,prod:7' },
  )
  .transform((value) =>
    Object.fromEntries(
      (value === '' ? [] : value.split(',')).map((entry) => {
        const [, environment, version] = CURSOR_ENTRY.exec(entry)!;
        return [environment!, Number(version)];
      }),
    ) as Record<string, number>,
  )
  .meta({ example: 'dev:12,prod:7' });

/** Writes a cursor for EventCursorSchema, environments in key order (one position, one string). */
export function formatEventCursor(cursor: Record<string, number>): string {
  return Object.keys(cursor)
    .sort()
    .map((environment) => `${environment}:${cursor[environment]}`)
    .join(',');
}

export const EventsQuerySchema = z.strictObject({
  environment: EnvironmentKeySchema.optional(),
  flag: FlagKeySchema.optional(),
  /** The cursor of the previous page (its `nextAfter` or `cursor`): only events after it. */
  after: EventCursorSchema.optional(),
  limit: queryInteger(1, 1000).optional(),
});

export const EventPageSchema = z
  .object({
    events: z.array(ChangeEventSchema),
    nextAfter: z.string().nullable().meta({ description: 'The cursor of the next page; null when this page reached the end of the log' }),
    cursor: z.string().meta({ description: 'Where this page ends, always: pass it as `after` later to read what was written since' }),
  })
  .meta({ id: 'EventPage', description: 'A page of change events, oldest first; `nextAfter` is the cursor for the next page (null on the last)' });

/** The NOTIFY payload on channel `flagship_changes`: a hint that the event table grew. */
export const ChangeNotificationSchema = z.object({
  environment: EnvironmentKeySchema,
  version: VersionSchema,
});
export type ChangeNotification = z.infer<typeof ChangeNotificationSchema>;
export const CHANGE_CHANNEL = 'flagship_changes';
