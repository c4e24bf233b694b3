import type { Pool, Queryable } from '../../db/pool.js';
import { withOneStatement, withTransaction } from '../../db/tx.js';
import { requireEnvironment } from '../environments/environment-repository.js';
import { requireFlag } from './flag-repository.js';
import { findFlagState } from './flag-state-reads.js';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.js';
import type { FlagState } from '../../schemas/flags.js';
import { findReferenceIssues, referenceIssuesAmong, throwReferenceIssues, withStrategyIds, type ReferenceIssue } from './references.js';
import { assertStateConfigFits } from './size-limits.js';
import {
  callChangeFlagState,
  callChangeFlagStates,
  findRolloutTarget,
  type FlagStateConfig,
  type RolloutTargetProblem,
  type StateChangeCall,
  type StateChangeOutcome,
} from './flag-state-repository.js';
import type { Actor } from '../people/principal.js';

export type { FlagStateConfig } from './flag-state-repository.js';

/**
 * The desired state: PATCH-style (`enabled`, `rollout` of the simple case or of
 * `strategyId`'s strategy; what is left out stays) or PUT-style (`config`, the
 * whole configuration at once).
 */
export type FlagStateChange =
  | { enabled?: boolean; rollout?: number; strategyId?: string; config?: undefined }
  | { config: FlagStateConfig; enabled?: undefined; rollout?: undefined; strategyId?: undefined };

/** Segments and live flags already looked up (the segments locked) in the caller's transaction, for a batch of changes. */
export interface KnownReferences {
  /** Segment id → its project. */
  segments: ReadonlyMap<number, string>;
  /** Live flag key → its project. */
  liveFlags: ReadonlyMap<string, string>;
  /** The changed flags' projects (key → project). */
  flagProjects: ReadonlyMap<string, string>;
}

export interface StateChangeOptions {
  /** The version the caller last saw (If-Match); a different current version fails with 412. */
  expectedVersion?: number;
  /**
   * Set when a ramp's own step makes the change (the worker holds that plan's
   * lock). Without it, a change that moves the rollout a ramp drives pauses
   * that ramp, saying why.
   */
  rampPlanId?: string;
  /**
   * Who makes the change, when the call is its own transaction
   * (withOneStatement); inside withTransaction, leave it out: the transaction names the actor.
   */
  actor?: Actor;
  /** Where a whole configuration sits in the request, for the paths of a 400 (e.g. `['features', 3]` in an import). */
  pathPrefix?: (string | number)[];
  /** What to call a whole configuration in a 413. */
  what?: string;
  /**
   * An import keeps a reference to a segment or flag that does not exist (it
   * never matches, as in Unleash's SDKs) and reports it; PUT refuses it (400).
   */
  keepDanglingReferences?: boolean;
  /** The references, when the caller looked them up for many changes at once. */
  knownReferences?: KnownReferences;
}

export interface StateChangeResult {
  state: FlagState;
  /** False when the change asked for what was already there, or a ramp's step was refused: nothing was written to the state. */
  changed: boolean;
  /** A ramp's own step found no rollout to drive: the ramp is now paused, saying so. */
  rampPaused: boolean;
  /** The references kept although nothing answers them (with keepDanglingReferences). */
  danglingReferences: ReferenceIssue[];
}

/**
 * The one write path of a flag state: PATCH, PUT, the build guide, the Unleash
 * import and ramp steps all change a state here. The rules of the change (lock
 * order, archived, If-Match, which rollout moves, unchanged, pausing a ramp it
 * overrides) are flagship_change_flag_state's (migration 000012), one call;
 * this checks what only the request can tell (a whole configuration's strategy
 * ids, size and references) and turns the outcome into its answer.
 *
 * A PATCH-style change is one statement: run it on its own with
 * withOneStatement and `options.actor` (the statement is then the whole
 * transaction, one round trip), or inside withTransaction. A whole
 * configuration first looks up (and locks) its references: run it inside withTransaction.
 */
export async function changeFlagState(
  db: Queryable,
  flagKey: string,
  environment: string,
  change: FlagStateChange,
  options: StateChangeOptions = {},
): Promise<StateChangeResult> {
  const prepared = await prepareChange(db, { flagKey, environment, change, options });
  return answerOf(prepared, await callChangeFlagState(db, prepared.call));
}

export interface ManyChange {
  flagKey: string;
  environment: string;
  change: FlagStateChange;
  options?: StateChangeOptions;
}

/**
 * changeFlagState for many states at once, in the order given, in one
 * statement (one round trip): the same checks and the same SQL function for
 * each. The first refused change throws, and the caller's transaction rolls
 * all of them back. Run inside withTransaction.
 */
export async function changeFlagStates(db: Queryable, changes: ManyChange[]): Promise<StateChangeResult[]> {
  const prepared: PreparedChange[] = [];
  for (const change of changes) prepared.push(await prepareChange(db, change));
  const outcomes = await callChangeFlagStates(db, prepared.map((entry) => entry.call));
  return outcomes.map((outcome, index) => answerOf(prepared[index]!, outcome));
}

interface PreparedChange {
  call: StateChangeCall;
  change: ManyChange;
  danglingReferences: ReferenceIssue[];
}

/** Checks what only the request can tell (a whole configuration's strategy ids, size and references) and builds the call. */
async function prepareChange(db: Queryable, entry: ManyChange): Promise<PreparedChange> {
  const { flagKey, environment, change, options = {} } = entry;
  let danglingReferences: ReferenceIssue[] = [];
  let config: FlagStateConfig | undefined;
  if (change.config) {
    const prefix = options.pathPrefix ?? [];
    config = { ...change.config, strategies: withStrategyIds(change.config.strategies, prefix) };
    assertStateConfigFits(config, options.what);
    const references = options.knownReferences
      ? referenceIssuesAmong(
          flagKey,
          options.knownReferences.flagProjects.get(flagKey),
          config,
          prefix,
          options.knownReferences.segments,
          options.knownReferences.liveFlags,
        )
      : await findReferenceIssues(db, flagKey, config, prefix);
    throwReferenceIssues(references.filter((issue) => issue.crossProject));
    if (options.keepDanglingReferences) danglingReferences = references;
    else throwReferenceIssues(references);
  }
  const call: StateChangeCall = {
    flagKey,
    environment,
    enabled: config?.enabled ?? change.enabled,
    rollout: change.rollout,
    strategyId: change.strategyId,
    targeting: config && { strategies: config.strategies, variants: config.variants, dependencies: config.dependencies },
    expectedVersion: options.expectedVersion,
    actor: options.actor,
    rampPlanId: options.rampPlanId,
  };
  return { call, change: entry, danglingReferences };
}

/** The answer to one outcome of flagship_change_flag_state: a result, or the error the REST mapping turns into its status. */
function answerOf({ change: { flagKey, environment, change, options = {} }, danglingReferences }: PreparedChange, result: StateChangeOutcome): StateChangeResult {
  switch (result.outcome) {
    case 'no-flag':
      throw new NotFoundError(`flag '${flagKey}' does not exist`);
    case 'no-environment':
      throw new NotFoundError(`environment '${environment}' does not exist`);
    case 'no-state':
      throw new NotFoundError(`flag '${flagKey}' has no state in '${environment}'`);
    case 'archived':
      throw new ConflictError(`flag '${flagKey}' is archived`);
    case 'stale':
      throw new PreconditionFailedError(
        `flag '${flagKey}' in '${environment}' is at version ${result.state.version}, not ${options.expectedVersion}`,
        { currentVersion: result.state.version },
      );
    case 'no-rollout-target':
      throw noRolloutTargetError(result.state, change.strategyId, result.problem);
    case 'ramp-paused':
      return { state: result.state, changed: false, rampPaused: true, danglingReferences };
    case 'unchanged':
      return { state: result.state, changed: false, rampPaused: false, danglingReferences };
    case 'changed':
      return { state: result.state, changed: true, rampPaused: false, danglingReferences };
  }
}

/**
 * The rollout a ramp about to be scheduled would drive: the simple case's, or
 * the flexibleRollout strategy `strategyId` names (400 naming strategyId
 * otherwise); null when it holds no whole percentage. Undefined when the flag
 * has no state there (the ramp's insert answers that 404).
 */
export async function requireRolloutTarget(
  db: Queryable,
  flagKey: string,
  environment: string,
  strategyId: string | undefined,
): Promise<{ state: FlagState; rollout: number | null } | undefined> {
  const found = await findRolloutTarget(db, flagKey, environment, strategyId);
  if (!found) return undefined;
  if (found.problem !== null) throw noRolloutTargetError(found.state, strategyId, found.problem);
  return { state: found.state, rollout: found.rollout };
}

/** Says, naming `strategyId`, why the state has no rollout to move (the rule is flagship_rollout_target's). */
function noRolloutTargetError(state: FlagState, strategyId: string | undefined, problem: RolloutTargetProblem, field = 'strategyId'): ValidationError {
  switch (problem) {
    case 'no-such-strategy':
      return new ValidationError(`flag '${state.key}' in '${state.environment}' has no strategy with id '${strategyId}'`, [
        { path: [field], message: 'no strategy of this state has this id' },
      ]);
    case 'not-flexible-rollout': {
      const name = state.strategies.find((strategy) => strategy.id === strategyId)?.name;
      return new ValidationError(`strategy '${strategyId}' is a ${name} strategy; only a flexibleRollout has a rollout`, [
        { path: [field], message: 'must name a flexibleRollout strategy' },
      ]);
    }
    case 'not-simple':
      return new ValidationError(
        `flag '${state.key}' in '${state.environment}' is not a simple rollout (it has ${state.strategies.length} strategies, ` +
          'or constraints, segments or strategy variants): name the flexibleRollout strategy to change with strategyId, ' +
          'or replace the whole configuration with PUT',
        [{ path: [field], message: 'required: the state is not the simple case' }],
      );
  }
}

/** A flag's state in one environment; a 404 says whether the flag or the environment is missing. */
export async function requireFlagState(db: Queryable, flagKey: string, environment: string): Promise<FlagState> {
  const state = await findFlagState(db, flagKey, environment);
  if (state) return state;
  await requireFlag(db, flagKey);
  await requireEnvironment(db, environment);
  throw new NotFoundError(`flag '${flagKey}' has no state in '${environment}'`);
}

/**
 * PATCH: one statement, its own transaction (one round trip; it names the
 * actor, and its 404 already says what is missing).
 */
export async function patchFlagState(
  pool: Pool,
  flagKey: string,
  environment: string,
  change: { enabled?: boolean; rollout?: number; strategyId?: string },
  options: { expectedVersion?: number; actor: Actor },
): Promise<FlagState> {
  const { state } = await withOneStatement(pool, (db) => changeFlagState(db, flagKey, environment, change, options));
  return state;
}

/** PUT: the whole configuration, in one transaction recorded as made by `actor`. */
export async function replaceFlagState(
  pool: Pool,
  flagKey: string,
  environment: string,
  config: FlagStateConfig,
  options: { expectedVersion?: number; actor: Actor },
): Promise<FlagState> {
  const { expectedVersion, actor } = options;
  try {
    const { state } = await withTransaction(pool, (client) => changeFlagState(client, flagKey, environment, { config }, { expectedVersion }), { actor });
    return state;
  } catch (error) {
    // Only on failure: find out whether the flag or the environment is missing.
    if (error instanceof NotFoundError) await requireFlagState(pool, flagKey, environment);
    throw error;
  }
}
