import type { RampStatus } from '../../schemas/ramps.js';

/**
 * The ramp state machine, in one place: which action a ramp in which status
 * allows, the status it leads to and the words of a refusal. The service
 * checks here and the repository writes what it is told (its compare-and-set
 * updates take their allowed statuses from here too).
 *
 *   scheduled ──step──▶ running ──last step──▶ completed
 *   scheduled/running ──pause──▶ paused ──resume──▶ scheduled (no step applied) / running
 *   scheduled/running/paused ──cancel──▶ cancelled
 *   scheduled/running ──rollback (a guard's breach)──▶ rolled_back
 */
export type RampAction = 'pause' | 'resume' | 'cancel' | 'step' | 'rollback';

/** The statuses in which a plan still has steps to apply on its own: the worker applies them, the reconciler lists them. */
export const PENDING_RAMP_STATUSES: readonly RampStatus[] = ['scheduled', 'running'];

/** The statuses of a ramp that has not finished: one per flag and environment, cancelled when its flag is archived. */
export const ACTIVE_RAMP_STATUSES: readonly RampStatus[] = ['scheduled', 'running', 'paused'];

const ALLOWED_FROM: Record<RampAction, readonly RampStatus[]> = {
  pause: PENDING_RAMP_STATUSES,
  resume: ['paused'],
  cancel: ACTIVE_RAMP_STATUSES,
  step: PENDING_RAMP_STATUSES,
  rollback: PENDING_RAMP_STATUSES,
};

/** The statuses a ramp may be in for `action`. */
export function statusesAllowing(action: RampAction): readonly RampStatus[] {
  return ALLOWED_FROM[action];
}

/** What a ramp looks like to the state machine. */
export interface RampFacts {
  id: string;
  status: RampStatus;
  flagKey: string;
  flagArchived: boolean;
  /** Steps applied so far (the position of the next one). */
  currentStep: number;
  stepCount: number;
}

export type RampTransition = { allowed: true; to: RampStatus } | { allowed: false; reason: string };

/**
 * Whether `action` may happen to `ramp` now, and the status it leads to. A
 * refusal's reason is the 409's message (the worker only logs it for `step`).
 */
export function rampTransition(ramp: RampFacts, action: RampAction): RampTransition {
  const { id, status } = ramp;
  if (!ALLOWED_FROM[action].includes(status)) return { allowed: false, reason: refusalOf(action, id, status) };
  switch (action) {
    case 'pause':
      return { allowed: true, to: 'paused' };
    case 'cancel':
      return { allowed: true, to: 'cancelled' };
    case 'resume':
      // A ramp of an archived flag must not drive it again: only cancelling ends it.
      if (ramp.flagArchived) return { allowed: false, reason: `flag '${ramp.flagKey}' is archived; cancel this ramp` };
      return { allowed: true, to: ramp.currentStep === 0 ? 'scheduled' : 'running' };
    case 'step':
      return { allowed: true, to: ramp.currentStep + 1 >= ramp.stepCount ? 'completed' : 'running' };
    case 'rollback':
      return { allowed: true, to: 'rolled_back' };
  }
}

function refusalOf(action: RampAction, id: string, status: RampStatus): string {
  switch (action) {
    case 'pause':
      return `rollout '${id}' is ${status}; only a scheduled or running ramp can be paused`;
    case 'resume':
      return `rollout '${id}' is ${status}; only a paused ramp can be resumed`;
    case 'cancel':
      return `rollout '${id}' is already ${status}`;
    case 'step':
      return `the plan is ${status}`;
    case 'rollback':
      return `rollout '${id}' is ${status}; only a scheduled or running ramp can be rolled back`;
  }
}

/**
 * A resumed ramp's steps are re-planned under a new revision, so the timers
 * queued for the old times find a stale revision and do nothing.
 */
export function revisionAfterResume(revision: number): number {
  return revision + 1;
}
