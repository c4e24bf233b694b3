import type { Pool, Queryable } from '../../../shared/db/pool.js';
import { findRampStep, lockRamp, type LockedRamp } from '../../../shared/domain/ramps/ramp-repository.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { changeFlagState } from '../../../shared/domain/flags/flag-state-service.js';
import { rampActor } from '../../../shared/domain/ramps/ramp-actor.js';
import { cancelLockedRampOfArchivedFlag, recordStepApplied } from '../../../shared/domain/ramps/ramp-service.js';
import { rampTransition } from '../../../shared/domain/ramps/ramp-status.js';
import type { StepTimer } from '../../../shared/domain/ramps/ramp-queue.js';
import type { RampStepJob } from '../../../shared/schemas/ramps.js';

export interface AppliedStep {
  kind: 'applied';
  planId: string;
  flag: string;
  environment: string;
  position: number;
  rollout: number;
  plannedAt: string;
  appliedAt: string;
  /** The environment version of the change (unchanged when the rollout already had that value). */
  version: number;
  changed: boolean;
  completed: boolean;
  next?: StepTimer;
}

/** The step is planned later than `now` (a timer fired early): nothing was written. */
export interface StepNotDue {
  kind: 'not-due';
  plannedAt: string;
}

/** Nothing to do for this job (duplicate, retried, stale revision, plan stopped); `next` is the plan's real next step. */
export interface StepSkipped {
  kind: 'skipped';
  reason: string;
  next?: StepTimer;
}

export type StepOutcome = AppliedStep | StepNotDue | StepSkipped;

async function timerOf(client: Queryable, ramp: LockedRamp, position: number): Promise<StepTimer | undefined> {
  const step = await findRampStep(client, ramp.id, position);
  return step && { planId: ramp.id, revision: ramp.revision, position, plannedAt: step.plannedAt };
}

/**
 * Applies one step of a ramp, idempotently, in one transaction: locks the plan,
 * checks it is still pending, planned in this revision, and that this step is
 * the next one; sets the rollout through changeFlagState (so the triggers write
 * the event and NOTIFY, with the ramp as actor); records the step and moves the
 * plan on (compare-and-set). A duplicate or retried job finds the plan moved on
 * and does nothing. `now` decides whether the step is due.
 */
export async function advanceRampStep(pool: Pool, job: RampStepJob, now: Date): Promise<StepOutcome> {
  return withTransaction(
    pool,
    async (client): Promise<StepOutcome> => {
      const ramp = await lockRamp(client, job.planId);
      if (!ramp) return { kind: 'skipped', reason: 'the plan does not exist' };
      const step = rampTransition(ramp, 'step');
      if (!step.allowed) return { kind: 'skipped', reason: step.reason };
      const current = await findRampStep(client, ramp.id, ramp.currentStep);
      if (!current) throw new Error(`rollout ${ramp.id} is ${ramp.status} but has no step ${ramp.currentStep}`);
      const next: StepTimer = { planId: ramp.id, revision: ramp.revision, position: ramp.currentStep, plannedAt: current.plannedAt };
      if (ramp.revision !== job.revision) {
        return { kind: 'skipped', reason: `queued for revision ${job.revision}, the plan is at ${ramp.revision}`, next };
      }
      if (ramp.currentStep !== job.position) {
        return { kind: 'skipped', reason: `step ${job.position} is not next (${ramp.currentStep} is)`, next };
      }
      if (ramp.flagArchived) {
        await cancelLockedRampOfArchivedFlag(client, ramp);
        return { kind: 'skipped', reason: 'the flag was archived: the ramp is cancelled' };
      }
      if (Date.parse(current.plannedAt) > now.getTime()) return { kind: 'not-due', plannedAt: current.plannedAt };
      const { rollout } = current;
      const strategyId = ramp.strategyId ?? undefined;
      const change = await changeFlagState(client, ramp.flagKey, ramp.environment, { rollout, strategyId }, { rampPlanId: ramp.id });
      // Its strategy was removed, or the state left the simple case (before the ramp existed, or by SQL): the write path paused it.
      if (change.rampPaused) return { kind: 'skipped', reason: 'paused: the ramp has no rollout to drive any more' };
      const recorded = await recordStepApplied(client, ramp);
      if (!recorded) throw new Error(`rollout ${ramp.id} moved past step ${job.position} while locked`);
      return {
        kind: 'applied',
        planId: ramp.id,
        flag: ramp.flagKey,
        environment: ramp.environment,
        position: job.position,
        rollout,
        plannedAt: current.plannedAt,
        appliedAt: recorded.appliedAt,
        version: change.state.version,
        changed: change.changed,
        completed: step.to === 'completed',
        next: await timerOf(client, ramp, job.position + 1),
      };
    },
    { actor: rampActor(job.planId) },
  );
}
