import { requireEnvironment } from '../../../shared/db/environments.js';
import { listEvents } from '../../../shared/db/events.js';
import { requireFlag } from '../../../shared/db/flags.js';
import { EventPageSchema, EventsQuerySchema, formatEventCursor } from '../../../shared/schemas/events.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';

const DEFAULT_PAGE_SIZE = 100;

export function addEventRoutes(table: RouteTable, { pool }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/events',
    summary: 'The audit log, oldest first; pass nextAfter back as after for the next page',
    description:
      "Every change event (who, when, before and after), oldest first, filtered by environment and flag. Pages never skip an event, even while several environments are written at once: the cursor is the last version read of each environment (`dev:12,prod:7`), not an event id. Pass `nextAfter` back as `after` until it is null; `cursor` is where the page ends, to read what was written since.",
    tags: ['events'],
    auth: 'admin',
    query: EventsQuerySchema,
    responses: {
      200: { description: 'A page of change events', schema: EventPageSchema },
      404: { description: 'The environment or flag filtered on does not exist' },
    },
    handle: async ({ query }) => {
      // A typo in a filter is a 404 naming it, not an empty (and misleading) audit log.
      if (query.environment !== undefined) await requireEnvironment(pool, query.environment);
      if (query.flag !== undefined) await requireFlag(pool, query.flag);
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const events = await listEvents(pool, { ...query, limit });
      // Keyed by environment names, which are the user's (`constructor` read Object's otherwise): no prototype.
      const position: Record<string, number> = Object.assign(Object.create(null), query.after);
      for (const event of events) position[event.environment] = Math.max(position[event.environment] ?? 0, event.version);
      const cursor = formatEventCursor(position);
      return { body: { events, nextAfter: events.length === limit ? cursor : null, cursor } };
    },
  });
}
