import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, PreconditionFailedError } from '../../errors.js';
import type { FlagState } from '../../schemas/flags.js';
import type { StateConfig } from '../../schemas/targeting-input.js';
import { requireEnvironment } from '../environments/environment-repository.js';
import { findFlagState } from '../flags/flag-state-reads.js';
import { applyChanges, ChangeConflictError, type CopiedStates } from './apply-changes.js';
import { assertDirectWriteAllowed, type Caller } from './caller.js';
import { currentVersions } from './change-request-repository.js';

/** One flag's whole configuration, and the version of its state the caller read (If-Match). */
export interface DirectStateChange {
  flag: string;
  set: StateConfig;
  expectedVersion?: number;
}

export interface DirectWriteResult {
  /** The one environment version every changed state took; null when nothing changed. */
  version: number | null;
  /** Each state after the write, in the order given; `changed` false where it already was as asked. */
  states: Array<FlagState & { changed: boolean }>;
}

/**
 * Several flag states of one environment written at once without a review
 * (`POST /v1/environments/{env}/flag-states`, `flagship apply`): the same run
 * as an applied change request (applyChanges: one change group, so every
 * changed state shares ONE environment version and clients receive them as
 * one change, each state through the one write path with all its rules).
 * Where the environment is protected a person is refused (409
 * change_request_required: propose it as a change request). A state no longer
 * at the version the caller read fails the whole set with 412, an archived
 * flag with 409: nothing is written. With `copiedFrom` (a promote), the
 * states of another environment the changes were made from are locked in the
 * same transaction and one that moved fails it with CopiedStateMovedError
 * (applyChanges), nothing written.
 */
export async function writeFlagStatesDirectly(
  pool: Pool,
  environment: string,
  changes: DirectStateChange[],
  caller: Caller,
  copiedFrom?: CopiedStates,
): Promise<DirectWriteResult> {
  await requireEnvironment(pool, environment);
  await assertDirectWriteAllowed(pool, environment, caller);
  const baseVersions = Object.fromEntries(
    changes.filter((change) => change.expectedVersion !== undefined).map((change) => [`flag:${change.flag}`, change.expectedVersion!]),
  );
  try {
    return await withTransaction(
      pool,
      async (client) => {
        const version = await applyChanges(
          client,
          environment,
          null,
          changes.map((change) => ({ flag: change.flag, set: { config: change.set } })),
          baseVersions,
          copiedFrom,
        );
        const states = [];
        for (const change of changes) {
          const state = (await findFlagState(client, change.flag, environment))!;
          states.push({ ...state, changed: version !== null && state.version === version });
        }
        return { version, states };
      },
      { actor: caller.actor },
    );
  } catch (error) {
    if (error instanceof ChangeConflictError) throw await explainConflict(pool, environment, error.subjects, baseVersions);
    throw error;
  }
}

/** A moved state as the 412 of a direct write says it (applyChanges says it as a change request's conflict). */
async function explainConflict(pool: Pool, environment: string, subjects: string[], expected: Record<string, number>): Promise<Error> {
  const current = await currentVersions(pool, environment, subjects);
  const moved = subjects.map((subject) => ({ flag: subject.slice('flag:'.length), expected: expected[subject], current: current[subject] ?? null }));
  const archived = moved.filter((entry) => entry.current === null);
  if (archived.length > 0) return new ConflictError(`flag '${archived[0]!.flag}' is archived; nothing was written`);
  return new PreconditionFailedError(
    `${moved.map((entry) => `flag '${entry.flag}' in '${environment}' is at version ${entry.current}, not ${entry.expected}`).join('; ')}; nothing was written`,
    { currentVersions: Object.fromEntries(moved.map((entry) => [entry.flag, entry.current])) },
  );
}
