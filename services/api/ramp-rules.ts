import { archiveFlag } from '../../shared/db/flags.js';
import type { Queryable } from '../../shared/db/pool.js';
import { cancelActiveRampsOfFlag } from '../../shared/db/rollouts.js';
import { ValidationError } from '../../shared/errors.js';
import type { PlannedStep } from '../../shared/rollouts/plan-steps.js';
import type { Flag } from '../../shared/schemas/flags.js';
import type { CreateRamp } from '../../shared/schemas/rollouts.js';
import { requireRolloutTarget } from '../../shared/domain/flags/flag-state-service.js';

/**
 * A ramp starts where the flag is or above it. One whose first step is below
 * the current rollout would roll the flag back at once (PATCH to 50, then a
 * ramp from 5: 5 at once), so it is a 400 unless the request says it means it
 * (`allowDecrease: true`). Only an enabled flag has exposure to lose. Run inside the transaction that stores the ramp.
 */
export async function refuseSilentRollback(
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

/** Archives a flag and cancels its active ramps at once, in one transaction (they would otherwise run until their next timer). */
export async function archiveFlagAndItsRamps(client: Queryable, flagKey: string): Promise<Flag> {
  await cancelActiveRampsOfFlag(client, flagKey, { reason: `flag '${flagKey}' was archived` });
  return archiveFlag(client, flagKey);
}
