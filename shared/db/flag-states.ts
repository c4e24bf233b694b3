import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors.js';
import type { FlagState, StateChange } from '../schemas/flags.js';
import type { Queryable } from './pool.js';
import { lockPendingRampOf, pauseRampForManualChange } from './rollouts.js';

/** Selects a flag state in its public shape; join `flag_state s` with `flag f`. */
export const STATE_COLUMNS = `
  f.id, f.key, s.environment_key as environment, s.enabled, s.rollout, s.version,
  s.updated_at as "updatedAt", s.updated_by as "updatedBy", f.archived_at is not null as archived`;

export async function findFlagState(db: Queryable, flagKey: string, environment: string): Promise<FlagState | undefined> {
  const { rows } = await db.query<FlagState>(
    `select ${STATE_COLUMNS}
       from flag_state s join flag f on f.id = s.flag_id
      where f.key = $1 and s.environment_key = $2`,
    [flagKey, environment],
  );
  return rows[0];
}

/** Every live flag's state in one environment, ordered by key: the environment's snapshot. */
export async function listEnvironmentStates(db: Queryable, environment: string): Promise<FlagState[]> {
  const { rows } = await db.query<FlagState>(
    `select ${STATE_COLUMNS}
       from flag_state s join flag f on f.id = s.flag_id
      where s.environment_key = $1 and f.archived_at is null
      order by f.key`,
    [environment],
  );
  return rows;
}

export async function listStatesOfFlags(db: Queryable, flagIds: string[]): Promise<FlagState[]> {
  const { rows } = await db.query<FlagState>(
    `select ${STATE_COLUMNS}
       from flag_state s join flag f on f.id = s.flag_id
      where s.flag_id = any($1::uuid[])
      order by f.key, s.environment_key`,
    [flagIds],
  );
  return rows;
}

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

/**
 * The one path by which a flag state changes, for REST writes and ramp steps
 * alike. Run it inside withTransaction (which names the actor): it locks the
 * state row, checks preconditions, and updates it; the triggers take the
 * environment's next version, write the change event and send the NOTIFY.
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
  const { rows } = await client.query<FlagState>(
    `select ${STATE_COLUMNS}
       from flag_state s join flag f on f.id = s.flag_id
      where f.key = $1 and s.environment_key = $2
        for update of s`,
    [flagKey, environment],
  );
  const before = rows[0];
  if (!before) throw new NotFoundError(`flag '${flagKey}' has no state in environment '${environment}'`);
  if (before.archived) throw new ConflictError(`flag '${flagKey}' is archived`);
  if (options.expectedVersion !== undefined && options.expectedVersion !== before.version) {
    throw new PreconditionFailedError(
      `flag '${flagKey}' in '${environment}' is at version ${before.version}, not ${options.expectedVersion}`,
      { currentVersion: before.version },
    );
  }
  const enabled = change.enabled ?? before.enabled;
  const rollout = change.rollout ?? before.rollout;
  if (enabled === before.enabled && rollout === before.rollout) {
    return { state: before, changed: false, before };
  }
  const updated = await client.query<FlagState>(
    `update flag_state s set enabled = $3, rollout = $4
       from flag f
      where f.id = s.flag_id and f.key = $1 and s.environment_key = $2
      returning ${STATE_COLUMNS}`,
    [flagKey, environment, enabled, rollout],
  );
  if (interruptedRampId !== undefined && rollout !== before.rollout) {
    await pauseRampForManualChange(
      client,
      interruptedRampId,
      `manual change of the rollout from ${before.rollout}% to ${rollout}% (version ${updated.rows[0]!.version})`,
    );
  }
  return { state: updated.rows[0]!, changed: true, before };
}
