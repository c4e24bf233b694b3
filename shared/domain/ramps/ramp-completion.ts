import { findRampRunOfEvent, type RampRunOfEvent } from '../events/event-repository.js';
import type { Queryable } from '../../db/pool.js';
import type { ChangeEvent } from '../../schemas/events.js';
import { rampIdOfActor } from './ramp-actor.js';

/**
 * A ramp's change completed it when the ramp is completed now and made no
 * later change in that environment (its last step; a step that changed
 * nothing still writes an event, so the last event is the last step).
 */
export function completesRamp(run: RampRunOfEvent | undefined): boolean {
  return run !== undefined && run.status === 'completed' && !run.laterChangeByRamp;
}

/**
 * Whether `event` is the last change of a ramp that completed: a ramp made it
 * (its actor) and completesRamp. Webhooks announce it as `rollout.completed`.
 */
export async function isLastChangeOfCompletedRamp(db: Queryable, event: ChangeEvent): Promise<boolean> {
  const planId = rampIdOfActor(event.actor);
  if (planId === undefined) return false;
  return completesRamp(await findRampRunOfEvent(db, planId, event));
}

/** A ramp's change rolled it back when a guard rolled the ramp back and it made no later change there (that rollback). */
export function rollsBackRamp(run: RampRunOfEvent | undefined): boolean {
  return run !== undefined && run.status === 'rolled_back' && !run.laterChangeByRamp;
}

/**
 * How `event` ended a ramp, if it did: the last step of a completed ramp, or
 * a guard's rollback. Webhooks announce them as `rollout.completed` and
 * `rollout.rolled_back`.
 */
export async function rampEndingOfEvent(db: Queryable, event: ChangeEvent): Promise<{ completed: boolean; rolledBack: boolean }> {
  const planId = rampIdOfActor(event.actor);
  if (planId === undefined) return { completed: false, rolledBack: false };
  const run = await findRampRunOfEvent(db, planId, event);
  return { completed: completesRamp(run), rolledBack: rollsBackRamp(run) };
}
