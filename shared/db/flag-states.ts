import type { FlagState } from '../schemas/flags.js';
import type { Dependency, Strategy, VariantDefinition } from '../evaluation/model.js';
import type { Queryable } from './pool.js';

/**
 * A flag state in its public shape, built by the same SQL function the change
 * trigger uses for events (so REST, events and snapshots never disagree); join
 * `flag_state s` with `flag f`.
 */
const STATE_JSON = `flagship_state_json(s, f, f.archived_at is not null) as state`;

async function selectStates(db: Queryable, where: string, values: unknown[], suffix = ''): Promise<FlagState[]> {
  const { rows } = await db.query<{ state: FlagState }>(
    `select ${STATE_JSON}
       from flag_state s join flag f on f.id = s.flag_id
      where ${where}
      ${suffix}`,
    values,
  );
  return rows.map((row) => row.state);
}

export async function findFlagState(db: Queryable, flagKey: string, environment: string): Promise<FlagState | undefined> {
  const [state] = await selectStates(db, `f.key = $1 and s.environment_key = $2`, [flagKey, environment]);
  return state;
}

/** Every live flag's state in one environment, ordered by key: the environment's snapshot. */
export async function listEnvironmentStates(db: Queryable, environment: string): Promise<FlagState[]> {
  return selectStates(db, `s.environment_key = $1 and f.archived_at is null`, [environment], `order by f.key`);
}

export async function listStatesOfFlags(db: Queryable, flagIds: string[]): Promise<FlagState[]> {
  return selectStates(db, `s.flag_id = any($1::uuid[])`, [flagIds], `order by f.key, s.environment_key`);
}

/** Reads a state and locks its row until the transaction ends: every change of a state starts here. */
export async function lockFlagState(client: Queryable, flagKey: string, environment: string): Promise<FlagState | undefined> {
  const [state] = await selectStates(client, `f.key = $1 and s.environment_key = $2`, [flagKey, environment], `for update of s`);
  return state;
}

/** Everything of a state an admin sets. */
export interface FlagStateConfig {
  enabled: boolean;
  strategies: Strategy[];
  variants: VariantDefinition[];
  dependencies: Dependency[];
}

/**
 * Writes a state's configuration; the triggers take the environment's next
 * version, write the change event and send the NOTIFY. Call it through the
 * targeting service (shared/targeting), which checks the change first.
 */
export async function updateFlagStateConfig(
  client: Queryable,
  flagKey: string,
  environment: string,
  config: FlagStateConfig,
): Promise<FlagState> {
  const { rows } = await client.query<{ state: FlagState }>(
    `update flag_state s
        set enabled = $3, strategies = $4::jsonb, variants = $5::jsonb, dependencies = $6::jsonb
       from flag f
      where f.id = s.flag_id and f.key = $1 and s.environment_key = $2
      returning ${STATE_JSON}`,
    [
      flagKey,
      environment,
      config.enabled,
      JSON.stringify(config.strategies),
      JSON.stringify(config.variants),
      JSON.stringify(config.dependencies),
    ],
  );
  return rows[0]!.state;
}

/** What flagship_change_flag_state answered (the migration 000010 says what each outcome means). */
export type StateChangeOutcome =
  | { outcome: 'no-flag' | 'no-environment' | 'no-state' | 'archived' }
  /** The state as it is, or after the change when `changed`. */
  | { outcome: 'stale' | 'no-rollout-target' | 'unchanged' | 'changed'; state: FlagState };

export interface StateChangeCall {
  flagKey: string;
  environment: string;
  enabled: boolean | undefined;
  rollout: number | undefined;
  /** The flexibleRollout strategy `rollout` moves; absent: the simple case's. */
  strategyId: string | undefined;
  /** If-Match: any other current version is `stale`. */
  expectedVersion: number | undefined;
  /** Who makes the change; absent: the transaction's actor. */
  actor: string | undefined;
  /** The ramp whose own step this is (its caller holds the plan's lock). */
  rampPlanId: string | undefined;
}

/**
 * Changes `enabled` and/or a rollout in one statement: locks, checks, writes,
 * and pauses a ramp the change overrides (flagship_change_flag_state). Call it
 * through the targeting service, which turns each outcome into its answer.
 */
export async function callChangeFlagState(db: Queryable, call: StateChangeCall): Promise<StateChangeOutcome> {
  const { rows } = await db.query<{ outcome: StateChangeOutcome['outcome']; state: FlagState | null }>(
    `select outcome, state from flagship_change_flag_state($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      call.flagKey,
      call.environment,
      call.enabled ?? null,
      call.rollout ?? null,
      call.strategyId ?? null,
      call.expectedVersion ?? null,
      call.actor ?? null,
      call.rampPlanId ?? null,
    ],
  );
  return rows[0] as StateChangeOutcome;
}

/** Every live flag's state in one environment with the flag's own description and type, by key (for exports). */
export async function listEnvironmentStatesWithFlags(
  db: Queryable,
  environment: string,
): Promise<Array<{ description: string; type: string; state: FlagState }>> {
  const { rows } = await db.query<{ description: string; type: string; state: FlagState }>(
    `select f.description, f.type, ${STATE_JSON}
       from flag_state s join flag f on f.id = s.flag_id
      where s.environment_key = $1 and f.archived_at is null
      order by f.key collate "C"`,
    [environment],
  );
  return rows;
}
