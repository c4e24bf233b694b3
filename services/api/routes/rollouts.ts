import { cancelRamp, insertRamp, listRamps, pauseRamp, requireRamp, resumeRamp } from '../../../shared/db/rollouts.js';
import { requireEnvironment } from '../../../shared/db/environments.js';
import { requireFlag } from '../../../shared/db/flags.js';
import { withTransaction } from '../../../shared/db/tx.js';
import type { Logger } from '../../../shared/logger.js';
import { planRampSteps } from '../../../shared/rollouts/plan-steps.js';
import { queueRampStep, type RampQueue } from '../../../shared/rollouts/queue.js';
import { FlagStateParamsSchema } from '../../../shared/schemas/flags.js';
import {
  CreateRampSchema,
  ListRampsQuerySchema,
  RampIdParamsSchema,
  RampPageSchema,
  RampSchema,
  ResumeRampSchema,
  StopRampSchema,
  type Ramp,
} from '../../../shared/schemas/rollouts.js';
import { requireRolloutTarget } from '../../../shared/domain/flags/flag-state-service.js';
import { actorOf } from '../actor.js';
import type { ApiDeps } from '../deps.js';
import { refuseSilentRollback } from '../ramp-rules.js';
import { addRoute, type RouteTable } from '../http/route.js';

/** How long a request waits for Redis to take the timer; past that, the worker's reconciler queues it. */
const QUEUE_TIME_LIMIT_MS = 2000;

/**
 * Queues the timer of the ramp's next step so it applies on time. The plan is
 * already committed in PostgreSQL, so a Redis failure here loses nothing: the
 * reconciler re-creates missing timers within a minute. It is logged, not failed.
 */
async function queueNextStep(queue: RampQueue, logger: Logger, ramp: Ramp, revision: number): Promise<void> {
  const next = ramp.steps[ramp.currentStep];
  if (!next) return;
  let timeLimit: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queueRampStep(queue, { planId: ramp.id, revision, position: next.position, plannedAt: next.plannedAt }),
      new Promise((_, reject) => {
        timeLimit = setTimeout(() => reject(new Error(`Redis did not answer within ${QUEUE_TIME_LIMIT_MS} ms`)), QUEUE_TIME_LIMIT_MS);
      }),
    ]);
  } catch (error) {
    logger.warn({ err: error, rampId: ramp.id }, 'could not queue the next ramp step; the worker reconciler will');
  } finally {
    clearTimeout(timeLimit);
  }
}

const DEFAULT_RAMP_PAGE = 50;

const rampResponses = {
  200: { description: 'The ramp, each step with its planned and applied time', schema: RampSchema },
  404: { description: 'No such ramp' },
};

export function addRolloutRoutes(table: RouteTable, { pool, logger, rampQueue }: ApiDeps): void {
  addRoute(table, {
    method: 'post',
    path: '/v1/flags/{key}/environments/{env}/rollouts',
    summary: "Schedule a ramp of a flag's rollout: explicit steps, or from/to/step/every",
    description:
      "Schedules a ramp: the worker sets the rollout to each step's value at its time, through the same write path as PATCH (audited with the ramp as actor, pushed). Give `from`, `to`, `step` and an ISO 8601 duration `every` (optionally `startAt`), or explicit `steps` dated in the future. A ramp never switches a disabled flag on; a manual change of the rollout pauses it. On a state that is not the simple case (one flexibleRollout strategy), name the flexibleRollout strategy to drive with `strategyId` (a 400 otherwise).",
    tags: ['rollouts'],
    auth: 'admin',
    params: FlagStateParamsSchema,
    body: CreateRampSchema,
    example: { from: 5, to: 100, step: 5, every: 'PT1H' },
    responses: {
      201: { description: 'Scheduled', schema: RampSchema, headers: { Location: 'The ramp, /v1/rollouts/{id}' } },
      404: { description: 'No such flag or environment' },
      409: { description: 'The flag is archived, or already has an active ramp in this environment' },
    },
    handle: async ({ params, body, token }) => {
      const steps = planRampSteps(body, new Date());
      const ramp = await withTransaction(pool, async (client) => {
        await requireRolloutTarget(client, params.key, params.env, body.strategyId);
        await refuseSilentRollback(client, params.key, params.env, body, steps);
        return insertRamp(client, { flagKey: params.key, environment: params.env, strategyId: body.strategyId, steps, createdBy: actorOf(token) });
      });
      logger.info({ rampId: ramp.id, flag: ramp.flag, environment: ramp.environment, steps: steps.length }, 'ramp scheduled');
      await queueNextStep(rampQueue, logger, ramp, 0);
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
    query: ListRampsQuerySchema,
    responses: {
      200: { description: 'A page of ramps', schema: RampPageSchema },
      404: { description: 'The flag or environment filtered on does not exist' },
    },
    handle: async ({ query }) => {
      // A typo in a filter is a 404 naming it, not an empty list.
      if (query.flag !== undefined) await requireFlag(pool, query.flag);
      if (query.environment !== undefined) await requireEnvironment(pool, query.environment);
      const limit = query.limit ?? DEFAULT_RAMP_PAGE;
      const ramps = await listRamps(pool, { ...query, limit });
      return { body: { ramps, nextAfter: ramps.length === limit ? ramps[ramps.length - 1]!.id : null } };
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/rollouts/{id}',
    summary: 'A ramp: its status, progress and steps',
    description:
      "The ramp with its status (`scheduled`, `running`, `paused`, `completed`, `cancelled`), current step, why it stopped if it did, and each step's planned and applied time.",
    tags: ['rollouts'],
    auth: 'admin',
    params: RampIdParamsSchema,
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
    params: RampIdParamsSchema,
    body: StopRampSchema,
    example: { reason: 'error rate went up' },
    responses: { ...rampResponses, 409: { description: 'The ramp is not scheduled or running' } },
    handle: async ({ params, body, token }) => {
      const by = actorOf(token);
      const ramp = await withTransaction(pool, (client) =>
        pauseRamp(client, params.id, { by, reason: body.reason ?? `paused by ${by}` }),
      );
      return { body: ramp };
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/rollouts/{id}/resume',
    summary: 'Resume a paused ramp: the remaining steps move by the time it was paused, keeping their spacing',
    description:
      "Re-plans the remaining steps from now, keeping their spacing, and queues the next one. The body is an empty object.",
    tags: ['rollouts'],
    auth: 'admin',
    params: RampIdParamsSchema,
    body: ResumeRampSchema,
    example: {},
    responses: { ...rampResponses, 409: { description: 'The ramp is not paused, or its flag is archived' } },
    handle: async ({ params }) => {
      const { ramp, revision } = await withTransaction(pool, (client) => resumeRamp(client, params.id, new Date()));
      await queueNextStep(rampQueue, logger, ramp, revision);
      return { body: ramp };
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/rollouts/{id}/cancel',
    summary: 'Cancel a ramp that has not finished; steps already applied stay',
    description:
      "Ends the ramp for good; the rollout stays where the last applied step put it. `reason` is recorded.",
    tags: ['rollouts'],
    auth: 'admin',
    params: RampIdParamsSchema,
    body: StopRampSchema,
    example: { reason: 'rolled out by hand instead' },
    responses: { ...rampResponses, 409: { description: 'The ramp is already completed or cancelled' } },
    handle: async ({ params, body, token }) => {
      const by = actorOf(token);
      const ramp = await withTransaction(pool, (client) =>
        cancelRamp(client, params.id, { by, reason: body.reason ?? `cancelled by ${by}` }),
      );
      return { body: ramp };
    },
  });
}
