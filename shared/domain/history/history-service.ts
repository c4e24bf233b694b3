import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.js';
import type { FlagState } from '../../schemas/flags.js';
import type { PlannedChange } from '../../schemas/change-requests.js';
import type { AsOf } from '../../schemas/history.js';
import type { Snapshot } from '../../schemas/snapshots.js';
import { mayWriteProtectedDirectly, type Caller } from '../change-requests/caller.js';
import type { StoredChangeRequest } from '../change-requests/change-request-repository.js';
import { openChangeRequest } from '../change-requests/change-request-service.js';
import { requireEnvironment } from '../environments/environment-repository.js';
import { changeFlagState, requireFlagState } from '../flags/flag-state-service.js';
import { snapshotListsAsOf } from './checkpoints.js';
import { findEnvironmentClock, findFlagStateAtVersion, findVersionAt } from './history-repository.js';

/**
 * The version an `asOf` names in `environment`: the version itself, or the
 * last one committed at or before the time. A version beyond the current one,
 * a time still to come, or one before the environment existed is a 400
 * naming `field`: no SDK ever held such a snapshot.
 */
export async function resolveAsOf(db: Queryable, environment: string, asOf: AsOf, field = 'asOf'): Promise<number> {
  const clock = await findEnvironmentClock(db, environment, 'time' in asOf ? asOf.time : null);
  if (!clock) throw new NotFoundError(`environment '${environment}' does not exist`);
  const refuse = (message: string) => new ValidationError(`invalid ${field}: ${message}`, [{ path: [field], message }]);
  if ('version' in asOf) {
    if (asOf.version > clock.version) throw refuse(`environment '${environment}' is at version ${clock.version}; version ${asOf.version} has not happened yet`);
    return asOf.version;
  }
  if (clock.future) throw refuse(`${asOf.time} is in the future`);
  if (clock.beforeCreation) throw refuse(`environment '${environment}' was added at ${clock.createdAt}, after ${asOf.time}`);
  return findVersionAt(db, environment, asOf.time);
}

/**
 * The snapshot of `environment` (`/v1/client/flags`' shape) as it stood at
 * `asOf`: exactly what an SDK held at that version, from the nearest
 * checkpoint and the events after it (checkpoints.ts).
 */
export async function snapshotAsOf(db: Queryable, environment: string, asOf: AsOf): Promise<Snapshot> {
  return (await snapshotWithJsonAsOf(db, environment, asOf)).snapshot();
}

/**
 * snapshotAsOf, and its JSON (exactly JSON.stringify of it) made from the
 * checkpoint's pieces of JSON (only what changed since is serialised), each
 * made when first asked for.
 */
export async function snapshotWithJsonAsOf(db: Queryable, environment: string, asOf: AsOf): Promise<{ version: number; snapshot(): Snapshot; json(): string }> {
  const version = await resolveAsOf(db, environment, asOf);
  const lists = await snapshotListsAsOf(db, environment, version);
  return { version, snapshot: () => ({ environment, version, ...lists.lists() }), json: () => lists.json(environment, version) };
}

export interface HistoryWriteOptions {
  /** If-Match: the version of the target state the caller last read; another one is a 412. */
  expectedVersion?: number;
  caller: Caller;
}

/** A restore or a promote: written (the new state), or proposed in a change request where the environment is protected. */
export type HistoryWriteOutcome = { state: FlagState; changeRequest?: undefined } | { changeRequest: StoredChangeRequest; state?: undefined };

/**
 * Restores flag `flagKey` in `environment` to its state at environment version
 * `version`: enabled, strategies (ids included), variants and dependencies as
 * they were, written as one new change through the one write path (history is
 * never rewritten). A segment or flag the old state names that is gone is a
 * 400 naming it; the flag archived, a 409. In a protected environment a
 * person's restore opens a change request instead (writeOrPropose).
 */
export async function restoreFlagState(pool: Pool, flagKey: string, environment: string, version: number, options: HistoryWriteOptions): Promise<HistoryWriteOutcome> {
  const past = await pastConfig(pool, flagKey, environment, version);
  return writeOrPropose(pool, flagKey, environment, past, options, { what: `the state of version ${version}`, title: `Restore ${flagKey} in ${environment} to version ${version}` });
}

/** The configuration of flag `flagKey` in `environment` at `version`; a 400 naming `version` when it had none there or was archived. */
async function pastConfig(db: Queryable, flagKey: string, environment: string, version: number) {
  await requireFlagState(db, flagKey, environment);
  await resolveAsOf(db, environment, { version }, 'version');
  const past = await findFlagStateAtVersion(db, flagKey, environment, version);
  if (!past) {
    throw new ValidationError(`invalid version: flag '${flagKey}' had no state in '${environment}' at version ${version}`, [
      { path: ['version'], message: `flag '${flagKey}' had no state in '${environment}' at this version` },
    ]);
  }
  if (past.archived) {
    throw new ValidationError(`invalid version: flag '${flagKey}' was archived at version ${version}`, [
      { path: ['version'], message: 'the flag was archived at this version' },
    ]);
  }
  return configOf(past);
}

/**
 * Promotes flag `flagKey`'s current state in environment `from` to environment
 * `to`: the same configuration (strategy ids included), one new change in
 * `to` through the one write path. Segments and flags it names must exist
 * there (a 400 naming each one that does not). In a protected `to`, a
 * person's promote opens a change request instead (writeOrPropose).
 */
export async function copyFlagState(pool: Pool, flagKey: string, from: string, to: string, options: HistoryWriteOptions): Promise<HistoryWriteOutcome> {
  refuseSameEnvironment(from, to);
  const source = await requireFlagState(pool, flagKey, from);
  return writeOrPropose(pool, flagKey, to, configOf(source), options, { what: `the state in '${from}'`, title: `Promote ${flagKey} from ${from} to ${to}` });
}

/**
 * Sets `config` as flag `flagKey`'s state in `environment`, as one new change
 * through the one write path; or, where the environment is protected and the
 * caller may not write there directly (change-requests/caller.ts: people go
 * through change requests), opens a change request holding that same change
 * (its checks run now, its base version is the state's current one), and
 * nothing changes until it is approved and applied. With `expectedVersion`,
 * a target state that moved is a 412 either way.
 */
async function writeOrPropose(
  pool: Pool,
  flagKey: string,
  environment: string,
  config: ReturnType<typeof configOf>,
  options: HistoryWriteOptions,
  describe: { what: string; title: string },
): Promise<HistoryWriteOutcome> {
  const target = await requireEnvironment(pool, environment);
  if (target.protected && !mayWriteProtectedDirectly(options.caller)) {
    const current = await requireFlagState(pool, flagKey, environment);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new PreconditionFailedError(`flag '${flagKey}' in '${environment}' is at version ${current.version}, not ${options.expectedVersion}`);
    }
    const changeRequest = await openChangeRequest(
      pool,
      // The configuration as the log holds it: what the write path stored, so what it takes (as the direct write below does).
      { environment, title: describe.title, description: `Sets the configuration to ${describe.what}.`, changes: [{ flag: current.key, set: { config } } as PlannedChange] },
      options.caller,
    );
    return { changeRequest };
  }
  return withTransaction(
    pool,
    async (client) => {
      const current = await requireFlagState(client, flagKey, environment);
      const { state } = await changeFlagState(client, current.key, environment, { config }, { expectedVersion: options.expectedVersion, what: describe.what });
      return { state };
    },
    { actor: options.caller.actor },
  );
}

/** A promote from an environment to itself: a 400 naming `from`. */
export function refuseSameEnvironment(from: string, to: string): void {
  if (from !== to) return;
  throw new ValidationError('invalid body: from: must be another environment than the one copied to', [
    { path: ['from'], message: 'must be another environment than the one copied to' },
  ]);
}

/** What of a state a restore or promote copies: the write path's whole configuration (strategy ids included). */
export function configOf(state: FlagState) {
  return { enabled: state.enabled, strategies: state.strategies, variants: state.variants, dependencies: state.dependencies };
}
