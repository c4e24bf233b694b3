import { z } from 'zod';
import { ForbiddenError } from '../../../shared/errors.js';
import { EnvironmentKeySchema } from '../../../shared/schemas/common.js';
import { SnapshotSchema } from '../../../shared/schemas/snapshots.js';
import type { ApiDeps } from '../deps.js';
import { etagMatches, versionEtag } from '../http/etag.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { memoPerSnapshot } from '../../../shared/domain/snapshots/snapshot-memo.js';
import { serializeSnapshot } from '../snapshots/serialized-snapshot.js';
import { scopeOfSnapshot } from '../../../shared/domain/projects/project-scope.js';
import { scopeTag, snapshotOfToken } from '../snapshots/token-snapshot.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';

/**
 * The snapshot's ETag: its version, and for a token of some projects a tag of
 * them too (two scopes at one version hold different flags).
 */
function snapshotEtag(snapshot: Snapshot): string {
  const scope = scopeOfSnapshot(snapshot);
  return scope === '*' ? versionEtag(snapshot.version) : `"${snapshot.version}-${scopeTag(scope.split(','))}"`;
}

const ClientFlagsQuerySchema = z.strictObject({
  environment: EnvironmentKeySchema.optional().meta({
    description: 'The environment you expect; a token of another environment gets a 403 instead of the wrong flags',
  }),
});

/** A snapshot's answer: its ETag, the headers of a 200 and of a 304, the body; computed once per snapshot version. */
const answerOf = memoPerSnapshot((snapshot) => {
  const etag = snapshotEtag(snapshot);
  return { etag, headers: ['ETag', etag, 'Cache-Control', 'no-cache'], body: serializeSnapshot(snapshot) };
});

/** What running apps read over HTTP: their environment's snapshot, revalidated by version. */
export function addClientFlagRoutes(table: RouteTable, { snapshots }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/client/flags',
    summary: "Every live flag of the sdk token's environment, with the environment version as ETag",
    description:
      "What running apps poll when they do not hold a socket: the snapshot `{ environment, version, flags, segments }` of the sdk token's environment, holding only the flags and segments of the token's projects. Send the ETag back as `If-None-Match` and you get a 304 while nothing changed. Served from the cache the notifier keeps current, falling back to PostgreSQL.",
    tags: ['client'],
    auth: 'sdk',
    query: ClientFlagsQuerySchema,
    headers: z.object({ 'if-none-match': z.string().optional().meta({ description: 'The ETag you hold, e.g. "12"' }) }),
    responses: {
      200: { description: 'The snapshot', schema: SnapshotSchema, headers: { ETag: 'The environment version, e.g. "12"' } },
      304: { description: 'If-None-Match names the current version: what you hold is current', headers: { ETag: 'The environment version' } },
      503: { description: 'Neither the cache nor PostgreSQL answered' },
    },
    handle: async ({ token, query, req, res }) => {
      // The sdk kind guarantees an environment (a database constraint).
      const environment = token.environment!;
      if (query.environment !== undefined && query.environment !== environment) {
        throw new ForbiddenError(`this token is for environment '${environment}', not '${query.environment}'`);
      }
      const snapshot = await snapshotOfToken(snapshots, token);
      const etag = snapshotEtag(snapshot);
      const headers = { ETag: etag, 'Cache-Control': 'no-cache' };
      if (etagMatches(req.headers['if-none-match'], etag)) return { status: 304, headers };
      const body = serializeSnapshot(snapshot);
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.bytes });
      res.end(body.text);
    },
    lean: async ({ token, query, req }) => {
      const environment = token.environment!;
      // The 403 is handle's to answer.
      if (query.environment !== undefined && query.environment !== environment) return undefined;
      const { etag, headers, body } = answerOf(await snapshotOfToken(snapshots, token));
      if (etagMatches(req.headers['if-none-match'], etag)) return { status: 304, headers };
      return { status: 200, headers, body };
    },
  });
}
