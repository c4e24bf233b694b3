import type { Pool } from '../../db/pool.js';
import { AppError, ConflictError, PreconditionFailedError, ValidationError } from '../../errors.js';
import type { PlannedChange } from '../../schemas/change-requests.js';
import type { PromoteRequest } from '../../schemas/history.js';
import type { StateConfig } from '../../schemas/targeting-input.js';
import { mayWriteProtectedDirectly, type Caller } from '../change-requests/caller.js';
import { currentVersions, type StoredChangeRequest } from '../change-requests/change-request-repository.js';
import { openChangeRequest } from '../change-requests/change-request-service.js';
import { CopiedStateMovedError } from '../change-requests/apply-changes.js';
import { writeFlagStatesDirectly, type DirectWriteResult } from '../change-requests/write-directly.js';
import { findEnvironment, requireEnvironment } from '../environments/environment-repository.js';
import { findFlagStates } from '../flags/flag-state-reads.js';
import { configOf, refuseSameEnvironment } from './history-service.js';

/** Promoted: written as one version (the direct write's answer), or proposed as one change request where the target is protected. */
export type PromoteOutcome = { written: DirectWriteResult; changeRequest?: undefined } | { changeRequest: StoredChangeRequest; written?: undefined };

/**
 * Promotes the current states of `request.flags` in `request.from` to
 * environment `to`, all together: each flag's configuration is copied as a
 * single flag's copy copies it (configOf: enabled, strategies with their ids,
 * variants, dependencies), and the whole set is ONE change. Where `to` takes
 * the caller's write, it is written as a direct batch is (writeFlagStatesDirectly:
 * one transaction, one environment version, all or nothing); where `to` is
 * protected and the caller is a person, ONE change request holding every flag
 * is opened instead (its checks run now), so reviewers see one request and it
 * applies as one version.
 *
 * Refused, with nothing written: `from` equal to `to`, or unknown (400 naming
 * `from`); a flag that does not exist or has no state in `from` (400 naming
 * `flags.<i>`); a configuration the target refuses (400 naming
 * `flags.<i>.<field>`); an archived flag (409); a state in `to` no longer at
 * its `expectedVersions` entry, or in `from` at its `sourceVersions` entry
 * (412, `currentVersions` / `currentSourceVersions`).
 *
 * A direct write copies exactly the source versions read: the write's
 * transaction locks them FOR SHARE (in the lock order) and checks they have
 * not moved before writing, so what it writes is what `from` holds when it
 * commits. A source moved between the read and that lock is read again (up to
 * PROMOTE_ATTEMPTS reads) unless the caller pinned it with `sourceVersions`:
 * then it is the 412 the caller asked for.
 */
export async function promoteFlagStates(pool: Pool, to: string, request: PromoteRequest, caller: Caller): Promise<PromoteOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await promoteOnce(pool, to, request, caller);
    } catch (error) {
      if (!(error instanceof CopiedStateMovedError)) throw error;
      const pinned = Object.keys(error.current).some((flag) => request.sourceVersions?.[flag] !== undefined);
      if (pinned || attempt >= PROMOTE_ATTEMPTS) throw sourceMovedError(request, error.current, error.read);
    }
  }
}

/** How many times a promote reads its sources at most when they move under it (without `sourceVersions`). */
const PROMOTE_ATTEMPTS = 3;

async function promoteOnce(pool: Pool, to: string, request: PromoteRequest, caller: Caller): Promise<PromoteOutcome> {
  const { from, flags } = request;
  refuseSameEnvironment(from, to);
  const target = await requireEnvironment(pool, to);
  if (!(await findEnvironment(pool, from))) {
    throw new ValidationError(`invalid body: from: environment '${from}' does not exist`, [{ in: 'body', path: ['from'], message: `environment '${from}' does not exist` }]);
  }
  const sources = new Map((await findFlagStates(pool, flags, from)).map((state) => [state.key, state]));
  const missing = flags.flatMap((flag, index) => (sources.has(flag) ? [] : [{ in: 'body', path: ['flags', index], message: `no flag '${flag}' in '${from}'` }]));
  if (missing.length > 0) throw new ValidationError(`invalid body: ${missing.map((issue) => `flags.${issue.path[1]}: ${issue.message}`).join('; ')}`, missing);
  const archived = flags.findIndex((flag) => sources.get(flag)!.archived);
  if (archived >= 0) throw new ConflictError(`flags[${archived}]: flag '${flags[archived]}' is archived; nothing was written`, { path: ['flags', archived] });
  const read = Object.fromEntries(flags.map((flag) => [flag, sources.get(flag)!.version]));
  const seen = request.sourceVersions ?? {};
  const movedSinceSeen = Object.keys(seen).filter((flag) => read[flag] !== seen[flag]);
  if (movedSinceSeen.length > 0) throw sourceMovedError(request, Object.fromEntries(movedSinceSeen.map((flag) => [flag, read[flag]!])), read);

  // The configurations as the log holds them: what the write path stored, so what it takes (as a single copy writes them).
  const configs = flags.map((flag) => configOf(sources.get(flag)!) as StateConfig);
  try {
    if (target.protected && !mayWriteProtectedDirectly(caller)) {
      await refuseMoved(pool, to, request.expectedVersions ?? {});
      const changes = flags.map((flag, index) => ({ flag, set: { config: configs[index]! } }) as PlannedChange);
      const changeRequest = await openChangeRequest(
        pool,
        {
          environment: to,
          title: request.title ?? titleOf(flags, from, to),
          description: `Sets the configuration of each flag to its current state in '${from}': ${flags.join(', ')}.`,
          changes,
        },
        caller,
      );
      return { changeRequest };
    }
    const written = await writeFlagStatesDirectly(
      pool,
      to,
      flags.map((flag, index) => ({ flag, set: configs[index]!, expectedVersion: request.expectedVersions?.[flag] })),
      caller,
      { environment: from, versions: read },
    );
    return { written };
  } catch (error) {
    throw asPromoteError(error, flags, from);
  }
}

/**
 * The 412 of a promote whose sources moved: each with its version now and the
 * one the caller saw (`sourceVersions`), else the one read; a source archived
 * meanwhile is the 409 of an archived flag.
 */
function sourceMovedError(request: PromoteRequest, current: Record<string, number | null>, read: Record<string, number>): AppError {
  const { from, flags } = request;
  const moved = Object.keys(current);
  const archived = moved.find((flag) => current[flag] === null);
  if (archived !== undefined) {
    const index = flags.indexOf(archived);
    return new ConflictError(`flags[${index}]: flag '${archived}' is archived; nothing was written`, { path: ['flags', index] });
  }
  const expected = (flag: string) => request.sourceVersions?.[flag] ?? read[flag];
  return new PreconditionFailedError(
    `${moved.map((flag) => `flag '${flag}' in '${from}' (the source) is at version ${current[flag]}, not ${expected(flag)}`).join('; ')}; nothing was written`,
    { currentSourceVersions: current },
  );
}

/** What a change request opened for a promote is called, when the caller gives no title. */
function titleOf(flags: string[], from: string, to: string): string {
  const subject = flags.length === 1 ? flags[0]! : `${flags.length} flags`;
  const title = `Promote ${subject} from ${from} to ${to}`;
  return title.length <= 200 ? title : `Promote ${flags.length} flags from ${from} to ${to}`;
}

/** The 412 of a proposal whose caller read states of `to` that have moved since (a change request records the versions of now). */
async function refuseMoved(pool: Pool, to: string, expected: Record<string, number>): Promise<void> {
  const flags = Object.keys(expected);
  if (flags.length === 0) return;
  const current = await currentVersions(pool, to, flags.map((flag) => `flag:${flag}`));
  const moved = flags.filter((flag) => current[`flag:${flag}`] !== expected[flag]);
  if (moved.length === 0) return;
  throw new PreconditionFailedError(
    `${moved.map((flag) => `flag '${flag}' in '${to}' is at version ${current[`flag:${flag}`]}, not ${expected[flag]}`).join('; ')}; nothing was written`,
    { currentVersions: Object.fromEntries(moved.map((flag) => [flag, current[`flag:${flag}`]])) },
  );
}

/**
 * The batch write and the change request name a refused change
 * `changes[<i>]` / `changes.<i>.set.<field>` (their own bodies); a promote's
 * body names flags: the same error, said as `flags[<i>]` / `flags.<i>.<field>`.
 */
function asPromoteError(error: unknown, flags: string[], from: string): unknown {
  if (!(error instanceof AppError)) return error;
  const message = error.message.replace(/^changes\[(\d+)\]: /, (_, index: string) => `flags[${index}] ('${flags[Number(index)]}' as it is in '${from}'): `);
  if (message === error.message) return error;
  if (error instanceof ValidationError) {
    const details = Array.isArray(error.details)
      ? error.details.map((detail: { path?: (string | number)[] }) =>
          detail.path?.[0] === 'changes' ? { ...detail, path: ['flags', detail.path[1]!, ...detail.path.slice(detail.path[2] === 'set' ? 3 : 2)] } : detail,
        )
      : error.details;
    return new ValidationError(message, details);
  }
  if (error instanceof ConflictError) return new ConflictError(message, error.details);
  return error;
}
