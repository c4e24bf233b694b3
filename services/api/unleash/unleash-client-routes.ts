import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import type { Token } from '../../../shared/schemas/tokens.js';
import { scopeOfSnapshot, scopeSnapshot, seesProject } from '../../../shared/domain/projects/project-scope.js';
import type { SnapshotReader } from '../snapshots/snapshot-reader.js';
import { snapshotOfToken } from '../snapshots/token-snapshot.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError } from '../../../shared/errors.js';
import {
  UnleashFeatureParamsSchema,
  UnleashFeatureSchema,
  UnleashFeaturesQuerySchema,
  UnleashFeaturesSchema,
} from '../../../shared/schemas/unleash.js';
import { UnleashMetricsSchema, UnleashRegisterSchema } from '../../../shared/schemas/usage.js';
import type { RevocationWatch } from '../../../shared/domain/tokens/revocation-watch.js';
import type { ApiDeps } from '../deps.js';
import { etagMatches } from '../http/etag.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { sdkEnvironment } from '../client/sdk-environment.js';
import { memoPerSnapshot } from '../../../shared/domain/snapshots/snapshot-memo.js';
import { unleashFeatures, unleashStateOf } from './client-features.js';
import { UnleashStreamingHub } from './streaming-hub.js';
import { reportMetrics } from '../usage/report-metrics.js';
import type { ReportLimiter } from '../usage/report-limits.js';
import { preparedJson } from '../http/prepared-json.js';

export const UNLEASH_STREAMING_PATH = '/api/client/streaming';

/**
 * The ETag of a features body: the environment version, and a tag of what
 * narrows it when anything does (the token's projects, the name filter, the
 * project filter): two bodies at one version differ by those.
 */
function featuresEtag(snapshot: Snapshot, namePrefix: string | undefined): string {
  const scope = scopeOfSnapshot(snapshot);
  if (namePrefix === undefined && scope === '*') return `"${snapshot.version}"`;
  return `"${snapshot.version}-${createHash('sha256').update(`${scope}\u0000${namePrefix ?? ''}`).digest('base64url').slice(0, 12)}"`;
}

/** No project key is this (keys start with a letter or digit): the scope of a `project` filter the token does not see. */
const NO_PROJECT = '-';

/** The token's snapshot narrowed to Unleash's `project` filter, and the projects the body says it holds. */
async function featuresSnapshot(snapshots: SnapshotReader, token: Token, project: string | undefined): Promise<{ snapshot: Snapshot; projects: readonly string[] }> {
  const snapshot = await snapshotOfToken(snapshots, token);
  if (project === undefined) return { snapshot, projects: token.projects };
  return { snapshot: scopeSnapshot(snapshot, [seesProject(token.projects, project) ? project : NO_PROJECT]), projects: [project] };
}

/**
 * Unleash's client API, for unmodified Unleash server-side SDKs (sdk tokens,
 * sent as `Authorization: <token>` with or without `Bearer`).
 */
export function addUnleashClientRoutes(
  table: RouteTable,
  { usage, snapshots, pool, logger, unleashFetchMode, revocations, reportLimiter }: ApiDeps & { revocations: RevocationWatch; reportLimiter: ReportLimiter },
): void {
  const hub = new UnleashStreamingHub(snapshots, pool, revocations, logger);
  const fetchMode = unleashFetchMode ?? 'streaming';
  const headersFor = (etag: string) => ['ETag', etag, 'Cache-Control', 'no-cache', ...(fetchMode === 'streaming' ? ['fetch-mode', 'streaming'] : [])];
  // The unfiltered body (what SDKs poll) is serialised once per snapshot version.
  const everyFeatureOf = memoPerSnapshot((snapshot) => {
    const etag = featuresEtag(snapshot, undefined);
    const projects = scopeOfSnapshot(snapshot).split(',');
    return { etag, headers: headersFor(etag), body: preparedJson(JSON.stringify(unleashFeatures(snapshot, etag, undefined, projects))) };
  });

  addRoute(table, {
    method: 'get',
    path: '/api/client/features',
    summary: "Unleash client API: every flag of the sdk token's environment, in Unleash's v2 format",
    description:
      "What unleash-client and every other Unleash server-side SDK polls: `features` (strategies with their constraints, the ids of the segments they need, strategy variants; the flag's variants; dependencies) and the top-level `segments`. The ETag is the environment version (304 with If-None-Match). Unless FLAGSHIP_UNLEASH_FETCH_MODE=polling, the response carries `fetch-mode: streaming`, which moves unleash-client 6 to GET /api/client/streaming.",
    tags: ['unleash'],
    auth: 'sdk',
    query: UnleashFeaturesQuerySchema,
    headers: z.object({ 'if-none-match': z.string().optional().meta({ description: 'The ETag you hold' }) }),
    responses: {
      200: {
        description: "Unleash's client features body",
        schema: UnleashFeaturesSchema,
        headers: { ETag: 'The environment version', 'fetch-mode': '`streaming` unless FLAGSHIP_UNLEASH_FETCH_MODE=polling' },
      },
      304: { description: 'If-None-Match names the current ETag', headers: { ETag: 'The environment version' } },
      503: { description: 'Neither the cache nor PostgreSQL answered' },
    },
    handle: async ({ token, query, req }) => {
      const { snapshot, projects } = await featuresSnapshot(snapshots, token, query.project);
      const etag = featuresEtag(snapshot, query.namePrefix);
      const headers: Record<string, string> = { ETag: etag, 'Cache-Control': 'no-cache' };
      if (fetchMode === 'streaming') headers['fetch-mode'] = 'streaming';
      if (etagMatches(req.headers['if-none-match'], etag)) return { status: 304, headers };
      return { body: unleashFeatures(snapshot, etag, query.namePrefix, projects), headers };
    },
    lean: async ({ token, query, req }) => {
      const { snapshot, projects } = await featuresSnapshot(snapshots, token, query.project);
      const answer = query.namePrefix === undefined && query.project === undefined ? everyFeatureOf(snapshot) : undefined;
      const etag = answer?.etag ?? featuresEtag(snapshot, query.namePrefix);
      const headers = answer?.headers ?? headersFor(etag);
      if (etagMatches(req.headers['if-none-match'], etag)) return { status: 304, headers };
      return { status: 200, headers, body: answer?.body ?? JSON.stringify(unleashFeatures(snapshot, etag, query.namePrefix, projects)) };
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/api/client/features/{name}',
    summary: "Unleash client API: one flag of the sdk token's environment",
    description: "The flag in Unleash's client API format (as one element of GET /api/client/features); 404 when it is not a live flag of the environment.",
    tags: ['unleash'],
    auth: 'sdk',
    params: UnleashFeatureParamsSchema,
    responses: {
      200: { description: 'The flag', schema: UnleashFeatureSchema },
      404: { description: 'No such live flag' },
    },
    handle: async ({ token, params }) => {
      const snapshot = await snapshotOfToken(snapshots, token);
      const feature = unleashStateOf(snapshot).byName.get(params.name);
      if (!feature) throw new NotFoundError(`flag '${params.name}' does not exist in environment '${snapshot.environment}'`);
      return { body: feature };
    },
  });

  addRoute(table, {
    method: 'get',
    path: UNLEASH_STREAMING_PATH,
    summary: "Unleash client API, streaming: every change of the sdk token's environment, pushed (SSE)",
    description:
      "The server-sent-event stream unleash-client 6 reads in streaming mode (`experimentalMode: { type: 'streaming' }`, or after `fetch-mode: streaming`). First `unleash-connected` with `{ events: [{ type: 'hydration', features, segments }] }`, then one `unleash-updated` per new environment version with `feature-updated`, `feature-removed`, `segment-updated` and `segment-removed` events, in version order. The SSE id is the version: a client reconnecting with Last-Event-ID gets only what changed since (or a hydration when that is too far back). Comments keep an idle stream open.",
    tags: ['unleash'],
    auth: 'sdk',
    headers: z.object({ 'last-event-id': z.string().optional().meta({ description: 'The last version seen; sent by the SDK on reconnect' }) }),
    responses: {
      200: { description: 'text/event-stream: `event: unleash-updated`, `id: 12`, `data: {"events":[...]}`' },
      503: { description: 'Neither the cache nor PostgreSQL answered' },
    },
    handle: async ({ token, req, res }) => {
      await hub.open(req, res, { tokenId: token.id, environment: sdkEnvironment(token), projects: token.projects });
    },
  });
  addRoute(table, {
    method: 'post',
    path: '/api/client/register',
    summary: 'Unleash client API: an SDK instance announces itself when it starts',
    description:
      'Unleash SDKs call this once at start. FlagShip checks the body and answers 202 as Unleash does; it keeps no instance registry.',
    tags: ['unleash'],
    auth: 'sdk',
    body: UnleashRegisterSchema,
    example: UnleashRegisterSchema.meta()?.example,
    responses: { 202: { description: 'Accepted (FlagShip keeps no instance registry; the body is checked and dropped)' } },
    handle: async () => ({ status: 202 }),
  });

  addRoute(table, {
    method: 'post',
    path: '/api/client/metrics',
    summary: "Unleash client API: an SDK's evaluation counts for one interval, kept as the flags' usage",
    description:
      "The body Unleash SDKs send every metricsInterval: `bucket.toggles` maps flag names to yes/no counts and variant counts. Counted in the token's environment and the hour of `bucket.start` (never later than now); names that are no flag are skipped. Each count is at most 1,000,000,000 per report (400 naming it); stored counts saturate. A token may send 6,000 reports a minute to one API process (429 with Retry-After beyond).",
    tags: ['unleash'],
    auth: 'sdk',
    body: UnleashMetricsSchema,
    example: UnleashMetricsSchema.meta()?.example,
    responses: {
      202: { description: "Accepted: counted per flag and hour in the token's environment (names that are not flags are skipped)" },
      429: { description: "The token sent its reports of this minute; Retry-After says when to send again" },
      503: { description: 'Usage could not be stored just now' },
    },
    handle: async ({ body, token }) => reportMetrics(usage, reportLimiter, token, body, snapshots),
  });
}
