import {
  UNLEASH_IMPORT_EXAMPLE,
  UnleashExportSchema,
  UnleashImportQuerySchema,
  UnleashImportResultSchema,
  UnleashImportSchema,
} from '../../../shared/schemas/unleash-state.js';
import { exportUnleashState } from '../../../shared/domain/unleash/unleash-export.js';
import { importUnleashState } from '../../../shared/domain/unleash/unleash-import.js';
import type { ApiDeps } from '../deps.js';
import { projectsOf, projectToCreateIn } from '../http/project-access.js';
import { addRoute, LISTED_PROJECTS, type RouteTable } from '../http/route.js';

/** An Unleash state is larger than any one request FlagShip otherwise takes. */
const UNLEASH_IMPORT_BODY_LIMIT = '10mb';

export function addUnleashStateRoutes(table: RouteTable, { pool }: ApiDeps): void {
  addRoute(table, {
    method: 'post',
    path: '/v1/import/unleash',
    summary: "Import an Unleash client-API state into one environment: its features' states and the segments",
    description:
      'Takes what Unleash\'s `GET /api/client/features` returns (`{ version, features, segments? }`, up to 10 MB and 5,000 features) and ' +
      'creates or replaces the segments (keeping their ids), creates the flags that do not exist, and replaces each feature\'s state in `environment` ' +
      '(enabled, strategies, variants, dependencies). Each change is a normal change event, pushed to SDKs. Users keep their buckets (same hashing). ' +
      'Lossless: an unknown strategy or operator, or a value that does not parse, is kept as it is and never matches (as in Unleash\'s SDKs); ' +
      'the answer lists each as a warning. A segment or dependency that exists neither in FlagShip nor in the import is kept and listed as a warning; ' +
      'an archived flag is a 409, a feature\'s targeting over 64 KB a 413: these are checked first, and then nothing is stored. ' +
      'It writes in transactions of a few hundred flags, so other writers wait a moment at most, never the whole import; ' +
      'should it fail midway, importing the same state again completes it. Importing the same state again changes nothing.',
    tags: ['unleash'],
    auth: 'admin',
    role: 'editor',
    query: UnleashImportQuerySchema,
    body: UnleashImportSchema,
    bodyLimit: UNLEASH_IMPORT_BODY_LIMIT,
    // The projects of the flags and segments it names that exist, and those its new ones would go in (each feature's and segment's `project`).
    projects: ({ body }) =>
      projectsOf(pool, { flags: body.features.map((feature) => feature.name), segments: (body.segments ?? []).map((segment) => segment.id) }, [
        ...body.features.map((feature) => projectToCreateIn(feature.project)),
        ...(body.segments ?? []).map((segment) => projectToCreateIn(segment.project)),
      ]),
    example: UNLEASH_IMPORT_EXAMPLE,
    responses: {
      200: { description: 'What the import did, with warnings', schema: UnleashImportResultSchema },
      404: { description: 'No such environment' },
      409: { description: 'A feature names an archived flag, or a segment name is taken by another id; nothing was stored' },
      413: { description: 'The body is over 10 MB, or one feature\'s targeting over 64 KB; nothing was stored' },
    },
    handle: async ({ query, body, principal }) => ({
      body: await importUnleashState(pool, query.environment, body, principal.actor),
    }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/export/unleash',
    summary: "Export one environment's flags and every segment as an Unleash client-API state",
    description:
      'The live flags of `environment` with their strategies, variants and dependencies, and every segment, in the format of Unleash\'s `GET /api/client/features` (version 2). ' +
      'POST /v1/import/unleash takes it back unchanged; an Unleash SDK evaluates it as FlagShip does.',
    tags: ['unleash'],
    auth: 'admin',
    role: 'viewer',
    query: UnleashImportQuerySchema,
    projects: () => LISTED_PROJECTS,
    responses: { 200: { description: 'The state', schema: UnleashExportSchema }, 404: { description: 'No such environment' } },
    handle: async ({ query, projects }) => ({ body: await exportUnleashState(pool, query.environment, projects) }),
  });
}
