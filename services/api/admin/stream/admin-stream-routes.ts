import { z } from 'zod';
import { ValidationError } from '../../../../shared/errors.js';
import { AdminStreamQuerySchema, StreamCursorSchema, type StreamCursor } from '../../../../shared/schemas/admin-stream.js';
import { AdminChangeHub } from './admin-change-hub.js';
import type { RevocationWatch } from '../../../../shared/domain/tokens/revocation-watch.js';
import type { ApiDeps } from '../../deps.js';
import { addRoute, LISTED_PROJECTS, type RouteTable } from '../../http/route.js';

/** A Last-Event-ID header is the cursor of the last event a reconnecting client received. */
function cursorFromHeader(header: string | undefined): StreamCursor | undefined {
  if (header === undefined) return undefined;
  const parsed = StreamCursorSchema.safeParse(header);
  if (!parsed.success) {
    throw new ValidationError('invalid Last-Event-ID: it must be a cursor like dev:12,prod:40', [
      { in: 'headers', path: ['last-event-id'], message: parsed.error.issues[0]?.message ?? 'not a cursor' },
    ]);
  }
  return parsed.data;
}

/** The admin change stream the console listens on (SSE over fetch, with the admin token in the header). */
export function addAdminStreamRoutes(
  table: RouteTable,
  { pool, snapshots, revocations, logger }: ApiDeps & { revocations: RevocationWatch },
): void {
  const hub = new AdminChangeHub(pool, snapshots, revocations, logger);

  addRoute(table, {
    method: 'get',
    path: '/v1/stream',
    summary: 'Admin change stream (SSE): every change event of every environment, live, in version order per environment',
    description:
      'What the console listens on. Opened with fetch (the admin token in the Authorization header), it sends `ready` ' +
      'with the cursor it starts from (per environment, the version last included), then every change event as it ' +
      'commits: per environment in version order, with no gaps. Each event\'s `id` is the cursor after it; reconnect ' +
      'with `after=<that id>` (or Last-Event-ID) to receive exactly what was missed. Without `after`, it starts at every ' +
      "environment's current version. A change of a flag's description, type, tags or owner (no part of any state: " +
      'no environment version) arrives as `event: flag` (a FlagMetadataChange, without an id) within a second of its ' +
      "commit; a resumed stream does not replay those, so read the flags again after a reconnect. A revoked token's " +
      'stream ends within a second with `event: error`.',
    tags: ['events'],
    auth: 'admin',
    role: 'viewer',
    query: AdminStreamQuerySchema,
    projects: () => LISTED_PROJECTS,
    headers: z.object({
      'last-event-id': z.string().optional().meta({ description: 'The id of the last event received (same as after)' }),
    }),
    responses: {
      200: {
        description:
          'text/event-stream. First `event: ready` with `{ cursor, resumed }`; then one `event: change` per change event ' +
          '(the same objects as GET /v1/events), each with `id:` the cursor to resume after it; `event: flag` per change of ' +
          "a flag's own fields (`{ id, flag, project, actor, before, after, createdAt }`); `event: error` before the " +
          'stream is closed because its token was revoked.',
      },
    },
    handle: async ({ query, credentialId, projects, req, res }) => {
      const after = query.after ?? cursorFromHeader(req.headers['last-event-id'] as string | undefined);
      // The token or session: the stream ends when it is revoked or signed out.
      await hub.open(req, res, credentialId, after, projects);
    },
  });
}
