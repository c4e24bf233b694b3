import { callChangeFlagState, findFlagState, lockFlagState, updateFlagStateConfig, type FlagStateConfig } from '../db/flag-states.js';
import type { Strategy } from '../evaluation/model.js';
import type { Queryable } from '../db/pool.js';
import { lockPendingRampOf, pauseRampForManualChange } from '../db/rollouts.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors.js';
import type { FlagState, StateChange } from '../schemas/flags.js';
import { findReferenceIssues, throwReferenceIssues, withStrategyIds, type ReferenceIssue } from './references.js';
import { rolloutOf, rolloutTarget } from './rollout-strategy.js';
import { assertStateConfigFits } from './size-limits.js';

export interface StateChangeOptions {
  /** The version the caller last saw (If-Match); a different current version fails with 412. */
  expectedVersion?: number;
  /**
   * Set when a ramp's own step makes the change (the worker holds that plan's
   * lock). Without it, a change of the rollout pauses the ramp running on this
   * flag and environment, saying why.
   */
  rampPlanId?: string;
  /**
   * Who makes the change, when the call is its own transaction
   * (withOneStatement); inside withTransaction, leave it out: the transaction names the actor.
   */
  actor?: string;
}

export interface StateChangeResult {
  state: FlagState;
  /** False when the change asked for what was already there: nothing was written. */
  changed: boolean;
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
  if (before.archived) throw archivedError(flagKey);
  if (expectedVersion !== undefined && expectedVersion !== before.version) throw staleError(before, expectedVersion);
  return before;
}

function archivedError(flagKey: string): ConflictError {
  return new ConflictError(`flag '${flagKey}' is archived`);
}

function staleError(current: FlagState, expectedVersion: number): PreconditionFailedError {
  return new PreconditionFailedError(
    `flag '${current.key}' in '${current.environment}' is at version ${current.version}, not ${expectedVersion}`,
    { currentVersion: current.version },
  );
}

/**
 * Switches a state on or off and moves a rollout: the simple case's, or the
 * flexibleRollout strategy `change.strategyId` names. The one path for PATCH
 * and ramp steps alike. A manual change of the rollout pauses a ramp running
 * on the same flag and environment, in the same transaction.
 *
 * It is one statement (flagship_change_flag_state, migration 000010, does the
 * locking, checks and writing): run it on its own with withOneStatement and
 * `options.actor` (then the statement is the whole transaction and the
 * environment's lock is never held across a round trip), or inside
 * withTransaction, which names the actor.
 */
export async function changeFlagState(
  db: Queryable,
  flagKey: string,
  environment: string,
  change: StateChange,
  options: StateChangeOptions = {},
): Promise<StateChangeResult> {
  const result = await callChangeFlagState(db, {
    flagKey,
    environment,
    enabled: change.enabled,
    rollout: change.rollout,
    strategyId: change.strategyId,
    expectedVersion: options.expectedVersion,
    actor: options.actor,
    rampPlanId: options.rampPlanId,
  });
  switch (result.outcome) {
    case 'no-flag':
      throw new NotFoundError(`flag '${flagKey}' does not exist`);
    case 'no-environment':
      throw new NotFoundError(`environment '${environment}' does not exist`);
    case 'no-state':
      throw new NotFoundError(`flag '${flagKey}' has no state in '${environment}'`);
    case 'archived':
      throw archivedError(flagKey);
    case 'stale':
      throw staleError(result.state, options.expectedVersion!);
    case 'no-rollout-target':
      // rolloutTarget explains why (400 naming strategyId); the SQL only found that it would.
      rolloutTarget(result.state, change.strategyId);
      throw new Error(`flagship_change_flag_state found no rollout to move in '${flagKey}' (${environment}), but rolloutTarget did`);
    case 'unchanged':
      return { state: result.state, changed: false };
    case 'changed':
      return { state: result.state, changed: true };
  }
}

/** The strategy a ramp drives in a state: the one it names, else the simple case's; undefined when gone. */
function rampDrivenStrategy(state: FlagState, strategyId: string | null): Strategy | undefined {
  if (strategyId !== null) return state.strategies.find((strategy) => strategy.id === strategyId);
  return state.rollout === null ? undefined : state.strategies[0];
}

/** The rollout a ramp drives in a state, undefined when its strategy is gone (or no longer the simple case). */
function rampDrivenRollout(state: FlagState, strategyId: string | null): number | undefined {
  const strategy = rampDrivenStrategy(state, strategyId);
  return strategy && rolloutOf(strategy);
}

/**
 * Checks that a ramp about to be scheduled has a rollout to drive: the
 * simple case's, or the flexibleRollout strategy `strategyId` names (400
 * naming strategyId otherwise). Run inside the transaction that stores it.
 */
export async function requireRampTarget(client: Queryable, flagKey: string, environment: string, strategyId: string | undefined): Promise<void> {
  const state = await findFlagState(client, flagKey, environment);
  if (!state) return; // insertRamp answers the 404, naming the flag or the environment.
  rolloutTarget(state, strategyId);
}

/** The whole configuration PUT sets (validated by StateConfigSchema). */
export type StateConfigChange = FlagStateConfig;

export interface ReplaceOptions extends Pick<StateChangeOptions, 'expectedVersion'> {
  /** Where the configuration sits in the request, for the paths of a 400 (e.g. `['features', 3]` in an import). */
  pathPrefix?: (string | number)[];
  /** What to call the configuration in a 413. */
  what?: string;
  /**
   * An import keeps a reference to a segment or flag that does not exist (it
   * never matches, as in Unleash's SDKs) and reports it; PUT refuses it (400).
   */
  keepDanglingReferences?: boolean;
}

export interface ReplaceResult extends StateChangeResult {
  /** The references kept although nothing answers them (with keepDanglingReferences). */
  danglingReferences: ReferenceIssue[];
}

/**
 * Replaces a state's whole configuration at once (PUT): the same checks as
 * any change (live, If-Match), then what the schema cannot see: the segments
 * it names exist (and stay until commit), the flags it depends on exist, the
 * size bound. Strategies without an id get one. When a ramp drives the
 * state's rollout and the new configuration moves or removes it, the ramp is
 * paused with the reason, as a PATCH would. Run inside withTransaction.
 */
export async function replaceFlagState(
  client: Queryable,
  flagKey: string,
  environment: string,
  config: StateConfigChange,
  options: ReplaceOptions = {},
): Promise<ReplaceResult> {
  const ramp = await lockPendingRampOf(client, flagKey, environment);
  const before = await lockChangeableState(client, flagKey, environment, options.expectedVersion);
  const prefix = options.pathPrefix ?? [];
  const next: FlagStateConfig = { ...config, strategies: withStrategyIds(config.strategies, prefix) };
  assertStateConfigFits(next, options.what);
  const references = await findReferenceIssues(client, flagKey, next, prefix);
  const danglingReferences = options.keepDanglingReferences ? references : [];
  if (!options.keepDanglingReferences) throwReferenceIssues(references);
  if (sameConfig(before, next)) return { state: before, changed: false, danglingReferences };
  const state = await updateFlagStateConfig(client, flagKey, environment, next);
  const driven = ramp && { from: rampDrivenRollout(before, ramp.strategyId), to: rampDrivenRollout(state, ramp.strategyId) };
  if (ramp && driven && driven.from !== driven.to) {
    const now = driven.to === undefined ? 'a rollout the ramp can no longer drive' : `${driven.to}%`;
    await pauseRampForManualChange(
      client,
      ramp.id,
      `manual change of the configuration: the rollout went from ${driven.from ?? '?'}% to ${now} (version ${state.version})`,
    );
  }
  return { state, changed: true, danglingReferences };
}

/** JSON with object keys sorted (undefined ones left out): jsonb gives keys back in its own order, so plain JSON.stringify would differ. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, child]) => child !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sameConfig(state: FlagState, config: FlagStateConfig): boolean {
  return (
    state.enabled === config.enabled &&
    canonicalJson([state.strategies, state.variants, state.dependencies]) ===
      canonicalJson([config.strategies, config.variants, config.dependencies])
  );
}
