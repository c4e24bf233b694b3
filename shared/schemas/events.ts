import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, TimestampSchema, VersionSchema, queryInteger } from './common.js';
import { FlagStateSchema } from './flags.js';
import { SegmentSchema } from './targeting.js';

export const ChangeActionSchema = z.enum(['created', 'updated', 'archived']);

/** A change of one flag's state in one environment. */
export const FlagChangeEventSchema = z
  .object({
    id: z.number().int(),
    environment: EnvironmentKeySchema,
    version: VersionSchema,
    flag: FlagKeySchema,
    action: ChangeActionSchema,
    actor: z.string(),
    before: FlagStateSchema.nullable(),
    after: FlagStateSchema,
    createdAt: TimestampSchema,
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
    actor: z.string(),
    before: SegmentSchema.nullable(),
    after: SegmentSchema,
    createdAt: TimestampSchema,
  })
  .meta({ id: 'SegmentChangeEvent', description: 'One change of a segment, recorded in every environment with that environment\'s version: who made it, the segment before and after (deleted: true once deleted)' });
export type SegmentChangeEvent = z.infer<typeof SegmentChangeEventSchema>;

/** One row of the change log: about a flag (`flag`: its key) or a segment (`segment`: its id). */
export const ChangeEventSchema = z.union([FlagChangeEventSchema, SegmentChangeEventSchema]).meta({ id: 'ChangeEvent', description: 'One entry of the change log: a flag change (with `flag`) or a segment change (with `segment`)' });
export type ChangeEvent = z.infer<typeof ChangeEventSchema>;

export function isSegmentEvent(event: ChangeEvent): event is SegmentChangeEvent {
  return 'segment' in event;
}

export const EventsQuerySchema = z.strictObject({
  environment: EnvironmentKeySchema.optional(),
  flag: FlagKeySchema.optional(),
  /** Only events with an id greater than this (the last id of the previous page). */
  after: queryInteger(0, Number.MAX_SAFE_INTEGER).optional(),
  limit: queryInteger(1, 1000).optional(),
});

export const EventPageSchema = z
  .object({ events: z.array(ChangeEventSchema), nextAfter: z.number().int().nullable() })
  .meta({ id: 'EventPage', description: 'A page of change events, oldest first; `nextAfter` is the cursor for the next page (null on the last)' });

/** The NOTIFY payload on channel `flagship_changes`: a hint that the event table grew. */
export const ChangeNotificationSchema = z.object({
  environment: EnvironmentKeySchema,
  version: VersionSchema,
});
export type ChangeNotification = z.infer<typeof ChangeNotificationSchema>;
export const CHANGE_CHANNEL = 'flagship_changes';
