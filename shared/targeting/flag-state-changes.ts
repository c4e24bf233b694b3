import { lockFlagState, updateFlagStateConfig } from '../db/flag-states.js';
import type { Queryable } from '../db/pool.js';
import { lockPendingRampOf, pauseRampForManualChange } from '../db/rollouts.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors.js';
import type { FlagState, StateChange } from '../schemas/flags.js';
import { rolloutOf, rolloutTarget, withRollout } from './rollout-strategy.js';

export interface StateChangeOptions {
  /** The version the caller last saw (If-Match); a different current version fails with 412. */
  expectedVersion?: number;
  /**
   * Set when a ramp's own step makes the change (the worker holds that plan's
   * lock). Without it, a change of the rollout pauses the ramp running on this
   * flag and environment, saying why.
   */
  rampPlanId?: string;
}

export interface StateChangeResult {
  state: FlagState;
  /** False when the change asked for what was already there: nothing was written. */
  changed: boolean;
  before: FlagState;
}

/** Locks the state and checks that it may change: it exists, is live, and is at the expected version. */
export async function lockChangeableState(
  client: Queryable,
  flagKey: string,
  environment: string,
  expectedVersion: number | undefined,
): Promise<FlagState> {
  const before = await lockFlagState(client, flagKey, environment);
  if (!before) throw new NotFoundError(`flag '${flagKey}' has no state in environment '${environment}'`);
  if (before.archived) throw new ConflictError(`flag '${flagKey}' is archived`);
  if (expectedVersion !== undefined && expectedVersion !== before.version) {
    throw new PreconditionFailedError(
      `flag '${flagKey}' in '${environment}' is at version ${before.version}, not ${expectedVersion}`,
      { currentVersion: before.version },
    );
  }
  return before;
}

/**
 * Switches a state on or off and moves a rollout: the simple case's, or the
 * flexibleRollout strategy `change.strategyId` names. The one path for PATCH
 * and ramp steps alike. Run it inside withTransaction (which names the actor).
 * A manual change of the rollout pauses a ramp running on the same flag and
 * environment, in the same transaction.
 */
export async function changeFlagState(
  client: Queryable,
  flagKey: string,
  environment: string,
  change: StateChange,
  options: StateChangeOptions = {},
): Promise<StateChangeResult> {
  // The ramp's lock comes before the state's, in the worker's order, so the two never deadlock.
  const interruptedRampId =
    change.rollout !== undefined && options.rampPlanId === undefined
      ? await lockPendingRampOf(client, flagKey, environment)
      : undefined;
  const before = await lockChangeableState(client, flagKey, environment, options.expectedVersion);
  const enabled = change.enabled ?? before.enabled;
  let strategies = before.strategies;
  let rolloutMove: { from: number | undefined; to: number } | undefined;
  if (change.rollout !== undefined) {
    const target = rolloutTarget(before, change.strategyId);
    const from = rolloutOf(target);
    if (from !== change.rollout) {
      strategies = withRollout(before.strategies, target, change.rollout);
      rolloutMove = { from, to: change.rollout };
    }
  }
  if (enabled === before.enabled && !rolloutMove) return { state: before, changed: false, before };
  const state = await updateFlagStateConfig(client, flagKey, environment, {
    enabled,
    strategies,
    variants: before.variants,
    dependencies: before.dependencies,
  });
  if (interruptedRampId !== undefined && rolloutMove) {
    await pauseRampForManualChange(
      client,
      interruptedRampId,
      `manual change of the rollout from ${rolloutMove.from ?? '?'}% to ${rolloutMove.to}% (version ${state.version})`,
    );
  }
  return { state, changed: true, before };
}
