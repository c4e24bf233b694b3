import { readEventPage } from '../../../shared/domain/events/event-service.js';
import { EventPageSchema, EventsQuerySchema } from '../../../shared/schemas/events.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';

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
    handle: async ({ query }) => ({ body: await readEventPage(pool, query) }),
  });
}
