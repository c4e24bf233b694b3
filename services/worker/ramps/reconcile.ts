import { ensureJobQueued } from '../../../shared/redis/bull-queue.js';
import type { Pool } from '../../../shared/db/pool.js';
import { listPendingRamps } from '../../../shared/domain/ramps/ramp-service.js';
import type { Logger } from '../../../shared/logger.js';
import { queueRampStep, rampStepJobId, type RampQueue, type StepTimer } from '../../../shared/domain/ramps/ramp-queue.js';
import { advanceRampStep, type AppliedStep } from './advance-ramp.js';

export interface ReconcileDeps {
  pool: Pool;
  queue: RampQueue;
  logger: Logger;
  onStepApplied: (step: AppliedStep) => void;
}

export interface ReconcileReport {
  pendingRamps: number;
  appliedSteps: number;
  requeuedTimers: number;
}

/** Makes sure the timer of a step is in Redis (see ensureJobQueued). Returns whether it queued one. */
export function ensureStepQueued(queue: RampQueue, timer: StepTimer): Promise<boolean> {
  return ensureJobQueued(queue, rampStepJobId(timer), () => queueRampStep(queue, timer));
}

/**
 * PostgreSQL holds the plans; Redis may have lost their timers. For every
 * pending ramp: apply its overdue steps at once, in order, then make sure the
 * timer of its next step exists. One ramp's failure does not stop the others.
 */
export async function reconcileRamps(deps: ReconcileDeps, now: () => Date = () => new Date()): Promise<ReconcileReport> {
  const ramps = await listPendingRamps(deps.pool);
  const report: ReconcileReport = { pendingRamps: ramps.length, appliedSteps: 0, requeuedTimers: 0 };
  for (const ramp of ramps) {
    try {
      let timer: StepTimer | undefined = {
        planId: ramp.id,
        revision: ramp.revision,
        position: ramp.currentStep,
        plannedAt: ramp.nextPlannedAt,
      };
      while (timer && Date.parse(timer.plannedAt) <= now().getTime()) {
        const outcome = await advanceRampStep(deps.pool, timer, now());
        if (outcome.kind === 'not-due') break;
        if (outcome.kind === 'applied') {
          report.appliedSteps += 1;
          deps.onStepApplied(outcome);
        } else if (outcome.next && rampStepJobId(outcome.next) === rampStepJobId(timer)) {
          break;
        }
        timer = outcome.next;
      }
      if (timer && (await ensureStepQueued(deps.queue, timer))) report.requeuedTimers += 1;
    } catch (error) {
      deps.logger.error({ err: error, planId: ramp.id }, 'could not reconcile a rollout ramp; retrying on the next round');
    }
  }
  return report;
}
