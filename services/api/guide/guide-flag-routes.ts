import { ForbiddenError, ValidationError } from '../../../shared/errors.js';
import {
  GuideFlagBodySchema,
  GuideFlagInputSchema,
  GuideFlagParamsSchema,
  GuideFlagQuerySchema,
  GuideFlagReadQuerySchema,
  GuideFlagSchema,
  GuideNotFoundSchema,
} from '../../../shared/schemas/guide-flags.js';
import type { ApiDeps } from '../deps.js';
import { putGuideFlag, readGuideFlag, type GuideInputForm } from './guide-flags.js';
import { projectsOf, projectToCreateIn } from '../http/project-access.js';
import { addRoute, parseInput, ProjectLookup, type RouteTable } from '../http/route.js';

const hasFields = (value: object | undefined) => value !== undefined && Object.keys(value).length > 0;

/**
 * The build guide's whole API (`POST /flags`, `GET /flags/{name}?env=`), in
 * its own shape, on top of FlagShip's flags: what people who read the guide
 * try first. Unlike the guide, both take tokens.
 */
export function addGuideFlagRoutes(table: RouteTable, { pool }: ApiDeps): void {
  addRoute(table, {
    method: 'post',
    path: '/flags',
    summary: "The build guide's create: a flag in one environment",
    description:
      'Creates the flag `name` with this state in `env` (its other environments get FlagShip\'s default, disabled at 100%) and answers 201; ' +
      'when the flag exists, sets its state in `env` instead and answers 200 (the guide has a flag per environment, FlagShip one flag with a state in each), ' +
      'so repeating the same call changes nothing. Fields not given keep their value. Give the fields as query parameters, as the guide does, ' +
      'or as a JSON body, not both. It is an ordinary FlagShip write: audited, versioned, pushed to SDKs, visible under /v1. ' +
      'An archived name is a 409 (archived keys stay taken).',
    tags: ['build guide'],
    auth: 'admin',
    role: 'editor',
    query: GuideFlagQuerySchema,
    body: GuideFlagBodySchema,
    bodyRequired: false,
    example: { name: 'new_ui', env: 'prod', enabled: true, rollout: 30 },
    // The flag's project; a new flag goes in `default`.
    projects: ({ query, body }) => {
      const name = body?.name ?? query.name;
      if (name === undefined) return projectToCreateIn(undefined);
      const existing = projectsOf(pool, { flags: [name] });
      return new ProjectLookup(async () => {
        const found = await existing.lookUp();
        return found.length > 0 ? found : [projectToCreateIn(undefined)];
      });
    },
    responses: {
      201: { description: 'Created: the flag in `env`', schema: GuideFlagSchema },
      200: { description: "The flag existed: its state in `env` is now as asked", schema: GuideFlagSchema },
      409: { description: 'The name belongs to an archived flag' },
    },
    handle: async ({ query, body, principal }) => {
      if (hasFields(query) && hasFields(body)) {
        throw new ValidationError('give the fields either as query parameters or as a JSON body, not both', [
          { in: 'body', path: [], message: 'not allowed together with query parameters' },
        ]);
      }
      const form: GuideInputForm = hasFields(body) ? 'body' : 'query';
      const input = parseInput(GuideFlagInputSchema, form === 'body' ? body : query, form);
      const { flag, created } = await putGuideFlag(pool, input, form, principal.actor);
      return { status: created ? 201 : 200, body: flag, headers: { Location: `/v1/flags/${encodeURIComponent(flag.name)}/environments/${flag.environment}` } };
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/flags/{name}',
    summary: "The build guide's read: a flag in one environment",
    description:
      "Answers the flag `name` in the environment `env`, in the guide's shape, or a 404 with the guide's body `{ \"detail\": \"Flag not found\" }` " +
      'when there is no live flag of that name. An admin token reads any environment; an sdk token only its own (403 otherwise).',
    tags: ['build guide'],
    auth: ['admin', 'sdk'],
    role: 'viewer',
    params: GuideFlagParamsSchema,
    query: GuideFlagReadQuerySchema,
    projects: ({ params }) => projectsOf(pool, { flags: [params.name] }),
    responses: {
      200: { description: 'The flag in `env`', schema: GuideFlagSchema },
      404: { description: 'No live flag of that name', schema: GuideNotFoundSchema },
    },
    handle: async ({ params, query, token, principal }) => {
      // People and admin tokens read any environment (their role was checked); an sdk token only its own.
      if (!principal && token?.environment !== query.env) {
        throw new ForbiddenError(`this token is for environment '${token?.environment}', not '${query.env}'`);
      }
      const flag = await readGuideFlag(pool, params.name, query.env, token?.projects);
      return flag ? { body: flag } : { status: 404, body: { detail: 'Flag not found' } };
    },
  });
}
