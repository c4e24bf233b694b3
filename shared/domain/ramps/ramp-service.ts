import { requireEnvironment } from '../environments/environment-repository.js';
import { requireFlag } from '../flags/flag-repository.js';
import type { Pool, Queryable } from '../../db/pool.js';
import {
  insertRamp,
  listRampStepsFrom,
  listRamps,
  listRampsWithNextStep,
  lockRamp,
  recordRampStepApplied,
  replanRampSteps,
  requireRamp,
  restartRamp,
  stopRamp,
  stopRampsOfFlag,
  type LockedRamp,
  type PendingRamp,
  type StopRecord,
} from './ramp-repository.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { planRampSteps, replanRemainingSteps, type PlannedStep } from './plan-steps.js';
import { queueRampStep, type RampQueue } from './ramp-queue.js';
import type { CreateRamp, Ramp, RampStatus } from '../../schemas/ramps.js';
import { requireRolloutTarget } from '../flags/flag-state-service.js';
import { ACTIVE_RAMP_STATUSES, PENDING_RAMP_STATUSES, rampTransition, revisionAfterResume, statusesAllowing, type RampAction } from './ramp-status.js';
import type { Actor } from '../people/principal.js';
import { actorLabel } from '../people/actors.js';

/** How long a request waits for Redis to take the timer; past that, the worker's reconciler queues it. */
const QUEUE_TIME_LIMIT_MS = 2000;
const DEFAULT_RAMP_PAGE = 50;

export interface RampServiceDeps {
  pool: Pool;
  rampQueue: RampQueue;
  logger: Logger;
}

export { requireRamp };

/**
 * A ramp starts where the flag is or above it. One whose first step is below
 * the current rollout would roll the flag back at once (PATCH to 50, then a
 * ramp from 5: 5 at once), so it is a 400 unless the request says it means it
 * (`allowDecrease: true`). Only an enabled flag has exposure to lose.
 */
async function refuseSilentRollback(
  client: Queryable,
  flagKey: string,
  environment: string,
  body: CreateRamp,
  steps: PlannedStep[],
): Promise<void> {
  if (body.allowDecrease === true || steps.length === 0) return;
  const target = await requireRolloutTarget(client, flagKey, environment, body.strategyId);
  // A disabled flag exposes nobody whatever its rollout: nothing to roll back.
  if (!target || !target.state.enabled) return; // (a missing one: insertRamp answers the 404)
  const current = target.rollout;
  const first = steps[0]!.rollout;
  if (current === null || first >= current) return;
  const field = body.steps !== undefined ? ['steps', '0', 'rollout'] : ['from'];
  throw new ValidationError(
    `the ramp's first step (${first}%) is below the current rollout (${current}%): it would roll '${flagKey}' back in ` +
      `'${environment}' at once; start at ${current}% or above, or send allowDecrease: true if that is what you mean`,
    [{ in: 'body', path: field, message: `below the current rollout of ${current}%` }],
  );
}

/**
 * Queues the timer of the ramp's next step so it applies on time. The plan is
 * already committed in PostgreSQL, so a Redis failure here loses nothing: the
 * reconciler re-creates missing timers within a minute. It is logged, not failed.
 */
async function queueNextStep({ rampQueue, logger }: RampServiceDeps, ramp: Ramp, revision: number): Promise<void> {
  const next = ramp.steps[ramp.currentStep];
  if (!next) return;
  let timeLimit: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queueRampStep(rampQueue, { planId: ramp.id, revision, position: next.position, plannedAt: next.plannedAt }),
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

/** Stores a ramp's plan (PostgreSQL holds it) and queues its first step's timer. */
export async function scheduleRamp(
  deps: RampServiceDeps,
  target: { flagKey: string; environment: string },
  body: CreateRamp,
  actor: Actor,
): Promise<Ramp> {
  const { flagKey, environment } = target;
  const steps = planRampSteps(body, new Date());
  const ramp = await withTransaction(deps.pool, async (client) => {
    const target = await requireRolloutTarget(client, flagKey, environment, body.strategyId);
    await refuseSilentRollback(client, flagKey, environment, body, steps);
    return insertRamp(client, {
      flagKey,
      environment,
      strategyId: body.strategyId,
      steps,
      createdBy: actor,
      startRollout: target?.rollout ?? null,
      guards: body.guards ?? [],
    });
  });
  deps.logger.info({ rampId: ramp.id, flag: ramp.flag, environment: ramp.environment, steps: steps.length }, 'ramp scheduled');
  await queueNextStep(deps, ramp, 0);
  return ramp;
}

/** A page of ramps, newest first; a filter naming a missing flag or environment is a 404, not an empty list. */
export async function readRampPage(
  pool: Pool,
  query: Omit<Parameters<typeof listRamps>[1], 'limit'> & { limit?: number },
): Promise<{ ramps: Ramp[]; nextAfter: string | null }> {
  if (query.flag !== undefined) await requireFlag(pool, query.flag);
  if (query.environment !== undefined) await requireEnvironment(pool, query.environment);
  const limit = query.limit ?? DEFAULT_RAMP_PAGE;
  const ramps = await listRamps(pool, { ...query, limit });
  return { ramps, nextAfter: ramps.length === limit ? ramps[ramps.length - 1]!.id : null };
}

/**
 * Locks a ramp and checks `action` is allowed now (ramp-status.ts): a missing
 * ramp is a 404, a refused action a 409. Returns the locked ramp and the status
 * the action leads to, with the statuses the compare-and-set write accepts.
 */
async function lockForAction(
  client: Queryable,
  id: string,
  action: RampAction,
): Promise<{ locked: LockedRamp; change: { to: RampStatus; from: readonly RampStatus[] } }> {
  const locked = await lockRamp(client, id);
  if (!locked) throw new NotFoundError(`rollout '${id}' does not exist`);
  const transition = rampTransition(locked, action);
  if (!transition.allowed) throw new ConflictError(transition.reason);
  return { locked, change: { to: transition.to, from: statusesAllowing(action) } };
}

/** Stops a ramp by `action` (pause or cancel) inside the caller's transaction. */
async function stopRampBy(client: Queryable, id: string, action: 'pause' | 'cancel', stop: StopRecord): Promise<Ramp> {
  const { change } = await lockForAction(client, id, action);
  if (!(await stopRamp(client, id, change, stop))) throw new Error(`rollout ${id} changed status while locked`);
  return requireRamp(client, id);
}

/** Pauses a scheduled or running ramp (409 otherwise). */
export async function pauseRampBy(pool: Pool, id: string, by: Actor, reason: string | undefined): Promise<Ramp> {
  const label = actorLabel(by);
  return withTransaction(pool, (client) => stopRampBy(client, id, 'pause', { by: label, reason: reason ?? `paused by ${label}` }), { actor: by });
}

/** Cancels a ramp that has not finished (409 once completed or cancelled). */
export async function cancelRampBy(pool: Pool, id: string, by: Actor, reason: string | undefined): Promise<Ramp> {
  const label = actorLabel(by);
  return withTransaction(pool, (client) => stopRampBy(client, id, 'cancel', { by: label, reason: reason ?? `cancelled by ${label}` }), { actor: by });
}

/**
 * Resumes a paused ramp: its remaining steps are re-planned from `now`
 * (replanRemainingSteps) under a new revision, so timers queued for the old
 * times do nothing. Returns the ramp and its new revision.
 */
async function resumeRamp(client: Queryable, id: string, now: Date): Promise<{ ramp: Ramp; revision: number }> {
  const { locked, change } = await lockForAction(client, id, 'resume');
  const remaining = await listRampStepsFrom(client, id, locked.currentStep);
  await replanRampSteps(client, id, replanRemainingSteps(remaining, new Date(locked.stoppedAt ?? now), now));
  const revision = revisionAfterResume(locked.revision);
  if (!(await restartRamp(client, id, { ...change, revision }))) throw new Error(`rollout ${id} changed status while locked`);
  return { ramp: await requireRamp(client, id), revision };
}

/** Resumes a paused ramp from now and queues its next step's timer. */
export async function resumeRampNow(deps: RampServiceDeps, id: string): Promise<Ramp> {
  const { ramp, revision } = await withTransaction(deps.pool, (client) => resumeRamp(client, id, new Date()));
  await queueNextStep(deps, ramp, revision);
  return ramp;
}

/**
 * Cancels every active ramp of a flag that is being archived, saying why. Run
 * inside the archiving transaction, before archiving: plans are locked before
 * states, the order the worker takes them in. Returns the cancelled ids.
 */
export async function cancelRampsOfArchivedFlag(client: Queryable, flagKey: string): Promise<string[]> {
  return stopRampsOfFlag(
    client,
    flagKey,
    { to: 'cancelled', from: ACTIVE_RAMP_STATUSES },
    { reason: `flag '${flagKey}' was archived` },
  );
}

/** Cancels one ramp, locked by the caller, whose flag was archived under it (the worker finds it so). */
export async function cancelLockedRampOfArchivedFlag(client: Queryable, ramp: LockedRamp): Promise<void> {
  await stopRamp(client, ramp.id, { to: 'cancelled', from: statusesAllowing('cancel') }, { reason: `flag '${ramp.flagKey}' was archived` });
}

/**
 * Records the ramp's next step (locked by the caller) as applied and moves the
 * plan on: running, or completed after its last step. Undefined when the plan
 * had already moved on (nothing is written then).
 */
export async function recordStepApplied(client: Queryable, ramp: LockedRamp): Promise<{ appliedAt: string } | undefined> {
  const transition = rampTransition(ramp, 'step');
  if (!transition.allowed) return undefined;
  return recordRampStepApplied(client, ramp.id, ramp.currentStep, { to: transition.to, from: statusesAllowing('step') });
}

/** Every ramp with steps still to apply on its own, with its next step's planned time: the reconciler's worklist. */
export function listPendingRamps(pool: Pool): Promise<PendingRamp[]> {
  return listRampsWithNextStep(pool, PENDING_RAMP_STATUSES);
}
