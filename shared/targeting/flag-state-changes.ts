import { findFlagState, lockFlagState, updateFlagStateConfig, type FlagStateConfig } from '../db/flag-states.js';
import type { Strategy } from '../evaluation/model.js';
import type { Queryable } from '../db/pool.js';
import { lockPendingRampOf, pauseRampForManualChange } from '../db/rollouts.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors.js';
import type { FlagState, StateChange } from '../schemas/flags.js';
import { findReferenceIssues, throwReferenceIssues, withStrategyIds, type ReferenceIssue } from './references.js';
import { rolloutOf, rolloutTarget, withRollout } from './rollout-strategy.js';
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
  const ramp =
    change.rollout !== undefined && options.rampPlanId === undefined
      ? await lockPendingRampOf(client, flagKey, environment)
      : undefined;
  const before = await lockChangeableState(client, flagKey, environment, options.expectedVersion);
  const enabled = change.enabled ?? before.enabled;
  let strategies = before.strategies;
  let rolloutMove: { target: Strategy; from: number | undefined; to: number } | undefined;
  if (change.rollout !== undefined) {
    const target = rolloutTarget(before, change.strategyId);
    const from = rolloutOf(target);
    if (from !== change.rollout) {
      strategies = withRollout(before.strategies, target, change.rollout);
      rolloutMove = { target, from, to: change.rollout };
    }
  }
  if (enabled === before.enabled && !rolloutMove) return { state: before, changed: false, before };
  const state = await updateFlagStateConfig(client, flagKey, environment, {
    enabled,
    strategies,
    variants: before.variants,
    dependencies: before.dependencies,
  });
  if (ramp && rolloutMove && rampDrivenStrategy(before, ramp.strategyId) === rolloutMove.target) {
    await pauseRampForManualChange(
      client,
      ramp.id,
      `manual change of the rollout from ${rolloutMove.from ?? '?'}% to ${rolloutMove.to}% (version ${state.version})`,
    );
  }
  return { state, changed: true, before };
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
  if (sameConfig(before, next)) return { state: before, changed: false, before, danglingReferences };
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
  return { state, changed: true, before, danglingReferences };
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
