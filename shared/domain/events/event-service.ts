import { requireEnvironment } from '../environments/environment-repository.js';
import { listEvents } from './event-repository.js';
import { requireFlag } from '../flags/flag-repository.js';
import type { Queryable } from '../../db/pool.js';
import type { z } from 'zod';
import { type EventPageSchema, formatEventCursor } from '../../schemas/events.js';

type EventPage = z.infer<typeof EventPageSchema>;

const DEFAULT_PAGE_SIZE = 100;

export interface EventPageQuery {
  environment?: string;
  flag?: string;
  after?: Record<string, number>;
  limit?: number;
  /** Only events of these projects' flags and segments (absent or `['*']`: every project's). */
  projects?: readonly string[];
}

/**
 * A page of the audit log. The cursor is the last version read of each
 * environment, so pages never skip an event while several environments are
 * written at once.
 */
export async function readEventPage(db: Queryable, query: EventPageQuery): Promise<EventPage> {
  // A typo in a filter is a 404 naming it, not an empty (and misleading) audit log.
  if (query.environment !== undefined) await requireEnvironment(db, query.environment);
  if (query.flag !== undefined) await requireFlag(db, query.flag);
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const events = await listEvents(db, { ...query, limit });
  const position = new Map(Object.entries(query.after ?? {}));
  for (const event of events) position.set(event.environment, Math.max(position.get(event.environment) ?? 0, event.version));
  const cursor = formatEventCursor(Object.fromEntries(position));
  return { events, nextAfter: events.length === limit ? cursor : null, cursor };
}
