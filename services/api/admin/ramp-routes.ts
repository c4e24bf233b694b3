import { FlagStateParamsSchema } from '../../../shared/schemas/flags.js';
import {
  CreateRampSchema,
  ListRampsQuerySchema,
  RampIdParamsSchema,
  RampPageSchema,
  RampSchema,
  ResumeRampSchema,
  StopRampSchema,
} from '../../../shared/schemas/ramps.js';
import {
  cancelRampBy,
  pauseRampBy,
  readRampPage,
  requireRamp,
  resumeRampNow,
  scheduleRamp,
} from '../../../shared/domain/ramps/ramp-service.js';
import type { ApiDeps } from '../deps.js';
import { projectsOf } from '../http/project-access.js';
import { addRoute, LISTED_PROJECTS, type RouteTable } from '../http/route.js';

const rampResponses = {
  200: { description: 'The ramp, each step with its planned and applied time', schema: RampSchema },
  404: { description: 'No such ramp' },
};

export function addRampRoutes(table: RouteTable, { pool, logger, rampQueue }: ApiDeps): void {
  const ramps = { pool, logger, rampQueue };
  addRoute(table, {
    method: 'post',
    path: '/v1/flags/{key}/environments/{env}/rollouts',
    summary: "Schedule a ramp of a flag's rollout: explicit steps, or from/to/step/every",
    description:
      "Schedules a ramp: the worker sets the rollout to each step's value at its time, through the same write path as PATCH (audited with the ramp as actor, pushed). Give `from`, `to`, `step` and an ISO 8601 duration `every` (optionally `startAt`), or explicit `steps` dated in the future. A ramp never switches a disabled flag on; a manual change of the rollout pauses it. On a state that is not the simple case (one flexibleRollout strategy), name the flexibleRollout strategy to drive with `strategyId` (a 400 otherwise).",
    tags: ['rollouts'],
    auth: 'admin',
    role: 'editor',
    params: FlagStateParamsSchema,
    body: CreateRampSchema,
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    example: { from: 5, to: 100, step: 5, every: 'PT1H' },
    responses: {
      201: { description: 'Scheduled', schema: RampSchema, headers: { Location: 'The ramp, /v1/rollouts/{id}' } },
      404: { description: 'No such flag or environment' },
      409: { description: 'The flag is archived, or already has an active ramp in this environment' },
    },
    handle: async ({ params, body, principal }) => {
      const ramp = await scheduleRamp(ramps, { flagKey: params.key, environment: params.env }, body, principal.actor);
      return { status: 201, body: ramp, headers: { Location: `/v1/rollouts/${ramp.id}` } };
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/rollouts',
    summary: 'List ramps, newest first, by flag, environment and status',
    description:
      'Every ramp (scheduled, running, paused, completed, cancelled), newest first, a page at a time: filter with `flag`, `environment` and `status`, and pass `nextAfter` back as `after` until it is null.',
    tags: ['rollouts'],
    auth: 'admin',
    role: 'viewer',
    query: ListRampsQuerySchema,
    projects: () => LISTED_PROJECTS,
    responses: {
      200: { description: 'A page of ramps', schema: RampPageSchema },
      404: { description: 'The flag or environment filtered on does not exist' },
    },
    handle: async ({ query, projects }) => ({ body: await readRampPage(pool, { ...query, projects }) }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/rollouts/{id}',
    summary: 'A ramp: its status, progress and steps',
    description:
      "The ramp with its status (`scheduled`, `running`, `paused`, `completed`, `cancelled`), current step, why it stopped if it did, and each step's planned and applied time.",
    tags: ['rollouts'],
    auth: 'admin',
    role: 'viewer',
    params: RampIdParamsSchema,
    projects: ({ params }) => projectsOf(pool, { ramps: [params.id] }),
    responses: rampResponses,
    handle: async ({ params }) => ({ body: await requireRamp(pool, params.id) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/rollouts/{id}/pause',
    summary: 'Pause a scheduled or running ramp (optionally saying why)',
    description:
      "Stops the ramp where it is; the rollout stays at the last applied step. `reason` is recorded (default: who paused it).",
    tags: ['rollouts'],
    auth: 'admin',
    role: 'editor',
    params: RampIdParamsSchema,
    projects: ({ params }) => projectsOf(pool, { ramps: [params.id] }),
    body: StopRampSchema,
    example: { reason: 'error rate went up' },
    responses: { ...rampResponses, 409: { description: 'The ramp is not scheduled or running' } },
    handle: async ({ params, body, principal }) => ({ body: await pauseRampBy(pool, params.id, principal.actor, body.reason) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/rollouts/{id}/resume',
    summary: 'Resume a paused ramp: the remaining steps move by the time it was paused, keeping their spacing',
    description:
      "Re-plans the remaining steps from now, keeping their spacing, and queues the next one. The body is an empty object.",
    tags: ['rollouts'],
    auth: 'admin',
    role: 'editor',
    params: RampIdParamsSchema,
    projects: ({ params }) => projectsOf(pool, { ramps: [params.id] }),
    body: ResumeRampSchema,
    example: {},
    responses: { ...rampResponses, 409: { description: 'The ramp is not paused, or its flag is archived' } },
    handle: async ({ params }) => ({ body: await resumeRampNow(ramps, params.id) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/rollouts/{id}/cancel',
    summary: 'Cancel a ramp that has not finished; steps already applied stay',
    description:
      "Ends the ramp for good; the rollout stays where the last applied step put it. `reason` is recorded.",
    tags: ['rollouts'],
    auth: 'admin',
    role: 'editor',
    params: RampIdParamsSchema,
    projects: ({ params }) => projectsOf(pool, { ramps: [params.id] }),
    body: StopRampSchema,
    example: { reason: 'rolled out by hand instead' },
    responses: { ...rampResponses, 409: { description: 'The ramp is already completed or cancelled' } },
    handle: async ({ params, body, principal }) => ({ body: await cancelRampBy(pool, params.id, principal.actor, body.reason) }),
  });
}
