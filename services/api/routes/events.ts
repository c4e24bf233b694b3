import { requireEnvironment } from '../../../shared/db/environments.js';
import { listEvents } from '../../../shared/db/events.js';
import { requireFlag } from '../../../shared/db/flags.js';
import { EventPageSchema, EventsQuerySchema } from '../../../shared/schemas/events.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';

const DEFAULT_PAGE_SIZE = 100;

export function addEventRoutes(table: RouteTable, { pool }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/events',
    summary: 'The audit log, oldest first; pass nextAfter back as after for the next page',
    description:
      "Every change event (who, when, before and after), oldest first, filtered by environment and flag. Pages never skip an event: pass the answer's `nextAfter` back as `after` until it is null.",
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
      const nextAfter = events.length === limit ? events[events.length - 1]!.id : null;
      return { body: { events, nextAfter } };
    },
  });
}
