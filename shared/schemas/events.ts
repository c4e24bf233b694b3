import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, TimestampSchema, VersionSchema, queryInteger } from './common.js';
import { FlagStateSchema } from './flags.js';

export const ChangeActionSchema = z.enum(['created', 'updated', 'archived']);

export const ChangeEventSchema = z
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
  .meta({ id: 'ChangeEvent', description: 'One change of a flag in one environment: who made it, the environment version it produced, the state before and after' });
export type ChangeEvent = z.infer<typeof ChangeEventSchema>;

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
