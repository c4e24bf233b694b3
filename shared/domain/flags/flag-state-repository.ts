import type { Dependency, Strategy, VariantDefinition } from '../../../packages/evaluation/model.js';
import type { Queryable } from '../../db/pool.js';
import type { FlagState } from '../../schemas/flags.js';
import type { Actor } from '../people/principal.js';

/** Everything of a state an admin sets. */
export interface FlagStateConfig {
  enabled: boolean;
  strategies: Strategy[];
  variants: VariantDefinition[];
  dependencies: Dependency[];
}

/** Why no rollout can be moved (flagship_rollout_target, migration 000012). */
export type RolloutTargetProblem = 'no-such-strategy' | 'not-flexible-rollout' | 'not-simple';

/** What flagship_change_flag_state answered (migration 000012 says what each outcome means). */
export type StateChangeOutcome =
  | { outcome: 'no-flag' | 'no-environment' | 'no-state' | 'archived'; state: null; problem: null }
  | { outcome: 'stale' | 'unchanged' | 'changed'; state: FlagState; problem: null }
  /** The state as it is; `problem` says why nothing could be moved (ramp-paused: the stepping ramp was paused for it). */
  | { outcome: 'no-rollout-target' | 'ramp-paused'; state: FlagState; problem: RolloutTargetProblem };

export interface StateChangeCall {
  flagKey: string;
  environment: string;
  enabled: boolean | undefined;
  rollout: number | undefined;
  /** The flexibleRollout strategy `rollout` moves; absent: the simple case's. */
  strategyId: string | undefined;
  /** The whole targeting to set (PUT, import); absent: as it is. */
  targeting: Pick<FlagStateConfig, 'strategies' | 'variants' | 'dependencies'> | undefined;
  /** If-Match: any other current version is `stale`. */
  expectedVersion: number | undefined;
  /** Who makes the change; absent: the transaction's actor. */
  actor: Actor | undefined;
  /** The ramp whose own step this is (its caller holds the plan's lock). */
  rampPlanId: string | undefined;
}

/**
 * One call of flagship_change_flag_state: it locks, checks, writes and pauses
 * a ramp the change overrides, in one statement. Only the flag-state service
 * calls it; it turns each outcome into its answer.
 */
export async function callChangeFlagState(db: Queryable, call: StateChangeCall): Promise<StateChangeOutcome> {
  const { rows } = await db.query<StateChangeOutcome>(
    `select outcome, state, problem from flagship_change_flag_state($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
    [
      call.flagKey,
      call.environment,
      call.enabled ?? null,
      call.rollout ?? null,
      call.strategyId ?? null,
      call.expectedVersion ?? null,
      call.actor === undefined ? null : JSON.stringify(call.actor),
      call.rampPlanId ?? null,
      call.targeting === undefined ? null : JSON.stringify(call.targeting),
    ],
  );
  return rows[0]!;
}

/**
 * Many calls of flagship_change_flag_state in one statement (one round trip),
 * in the order given: each is the same call as callChangeFlagState's. For the
 * import's batches; run it inside withTransaction.
 */
export async function callChangeFlagStates(db: Queryable, calls: StateChangeCall[]): Promise<StateChangeOutcome[]> {
  if (calls.length === 0) return [];
  const { rows } = await db.query<StateChangeOutcome>(
    `select r.outcome, r.state, r.problem
       from jsonb_array_elements($1::jsonb) with ordinality as c (call, position)
       cross join lateral flagship_change_flag_state(
         c.call->>'flagKey', c.call->>'environment', (c.call->>'enabled')::boolean, (c.call->>'rollout')::integer,
         c.call->>'strategyId', (c.call->>'expectedVersion')::bigint, c.call->>'actor', (c.call->>'rampPlanId')::uuid,
         c.call->'targeting') as r
      order by c.position`,
    [JSON.stringify(calls)],
  );
  return rows;
}

/** The rollout a change of this state would move (or a ramp drive), as flagship_rollout_target finds it; undefined: no such state. */
export async function findRolloutTarget(
  db: Queryable,
  flagKey: string,
  environment: string,
  strategyId: string | undefined,
): Promise<{ state: FlagState; rollout: number | null; problem: RolloutTargetProblem | null } | undefined> {
  const { rows } = await db.query<{ state: FlagState; rollout: number | null; problem: RolloutTargetProblem | null }>(
    `select flagship_state_json(s, f, f.archived_at is not null) as state,
            flagship_rollout_of(s.strategies -> t.target_index) as rollout, t.problem
       from flag_state s join flag f on f.id = s.flag_id,
            flagship_rollout_target(s.strategies, f.key, $3) t
      where f.key = $1 and s.environment_key = $2`,
    [flagKey, environment, strategyId ?? null],
  );
  return rows[0];
}
