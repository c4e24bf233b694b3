import type { Queryable } from '../../db/pool.js';
import { AppError, ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.js';
import { subjectOf, type PlannedChange } from '../../schemas/change-requests.js';
import { archiveFlag } from '../flags/flag-repository.js';
import { changeFlagState } from '../flags/flag-state-service.js';
import { assertConstraintsFit } from '../flags/size-limits.js';
import { cancelRampsOfArchivedFlag } from '../ramps/ramp-service.js';
import { lockSegment, updateSegment } from '../segments/segment-repository.js';
import { currentVersions, lockChangeSubjects, type ChangeSubjects } from './change-request-repository.js';
import { referencedSegmentIds } from '../flags/references.js';

/** A subject the request changes moved since the request was opened. */
export class ChangeConflictError extends AppError {
  constructor(readonly subjects: string[]) {
    super(
      409,
      'conflicted',
      `${subjects.join(', ')} changed since this request was opened: it is now conflicted; open a new request from the current state`,
      { subjects },
    );
  }
}

/** States of another environment the changes copy (a promote's `from`), each at the version of it they were made from. */
export interface CopiedStates {
  environment: string;
  versions: Record<string, number>;
}

/** A copied state is no longer at the version the changes were made from: each moved flag with its version now (null: archived or gone). */
export class CopiedStateMovedError extends Error {
  constructor(
    readonly environment: string,
    readonly current: Record<string, number | null>,
    /** Every copied state's version the changes were made from. */
    readonly read: Record<string, number>,
  ) {
    super(`${Object.keys(current).join(', ')} in '${environment}' moved since the changes were made from them`);
  }
}

/** An error of change `index`, its fields named from the request body (`changes.<index>…`). */
function inChange(index: number, error: unknown): unknown {
  if (!(error instanceof AppError) || error instanceof ChangeConflictError) return error;
  const message = `changes[${index}]: ${error.message}`;
  if (error instanceof ValidationError) {
    const details = Array.isArray(error.details)
      ? error.details.map((detail: { path?: (string | number)[] }) => ({ ...detail, in: 'body', path: ['changes', index, 'set', ...(detail.path ?? [])] }))
      : [{ in: 'body', path: ['changes', index], message: error.message }];
    return new ValidationError(message, details);
  }
  if (error instanceof NotFoundError) return new ValidationError(message, [{ in: 'body', path: ['changes', index], message: error.message }]);
  if (error instanceof ConflictError) return new ConflictError(message, error.details);
  return error;
}

/** What `changes` lock (lockChangeSubjects); an archive takes its own locks (archiveFlag), in the same order. */
function subjectsOf(environment: string, changes: PlannedChange[], copiedFrom?: CopiedStates): ChangeSubjects {
  const changed = changes.flatMap((change) => ('segment' in change ? [change.segment] : []));
  const configs = changes.flatMap((change) => ('set' in change && 'config' in change.set ? [change.set.config] : []));
  return {
    environment,
    segments: [...new Set([...changed, ...referencedSegmentIds(configs)])],
    flags: [...new Set(changes.flatMap((change) => ('flag' in change && 'set' in change ? [change.flag] : [])))],
    everyEnvironment: changed.length > 0,
    ...(copiedFrom && { copiedFrom: { environment: copiedFrom.environment, flags: Object.keys(copiedFrom.versions) } }),
  };
}

/**
 * Runs every change of a request in the caller's transaction, in order, as ONE
 * environment version: it opens the transaction's change group first
 * (flagship_open_change_group, migration 000017) and takes the locks of what
 * it changes in the one lock order (lockChangeSubjects), so each flag state and
 * segment change of `environment` shares the version the first one takes,
 * each with its own change event naming the request. Each change goes through
 * its own one write path (changeFlagState, the segment and archive
 * repositories), with every rule of a direct change.
 *
 * With `baseVersions`, a subject whose version is not the one recorded when
 * the request was opened fails the whole run with ChangeConflictError (checked
 * under the subject's lock: a flag's through If-Match, a segment's after
 * locking it). With `copiedFrom`, the states the changes were made from are
 * locked FOR SHARE with the others (lockChangeSubjects) and one no longer at
 * its version fails the run with CopiedStateMovedError before any write: what
 * is written was current when it commits. Returns the version the group took
 * (null: nothing changed).
 */
export async function applyChanges(
  client: Queryable,
  environment: string,
  requestId: string | null,
  changes: PlannedChange[],
  baseVersions?: Record<string, number | null>,
  copiedFrom?: CopiedStates,
): Promise<number | null> {
  await client.query(`select flagship_open_change_group($1, $2::uuid)`, [environment, requestId]);
  await lockChangeSubjects(client, subjectsOf(environment, changes, copiedFrom));
  if (copiedFrom) await refuseMovedCopies(client, copiedFrom);
  for (const [index, change] of changes.entries()) {
    const subject = subjectOf(change);
    const base = baseVersions?.[subject];
    try {
      if ('segment' in change) {
        const before = await lockSegment(client, change.segment);
        if (!before) throw new NotFoundError(`segment ${change.segment} does not exist`);
        if (baseVersions && (await currentVersions(client, environment, [subject]))[subject] !== base) throw new ChangeConflictError([subject]);
        if (change.set.constraints) assertConstraintsFit(change.set.constraints);
        await updateSegment(client, change.segment, {
          name: change.set.name ?? before.name,
          description: change.set.description ?? before.description,
          constraints: change.set.constraints ?? before.constraints,
        });
      } else if ('archive' in change) {
        if (baseVersions) {
          const { rows } = await client.query<{ version: number }>(
            `select s.version::int as version from flag_state s join flag f on f.id = s.flag_id
              where f.key = $1 and s.environment_key = $2 and f.archived_at is null for update of s`,
            [change.flag, environment],
          );
          if (rows[0]?.version !== base) throw new ChangeConflictError([subject]);
        }
        await cancelRampsOfArchivedFlag(client, change.flag);
        await archiveFlag(client, change.flag);
      } else {
        const expectedVersion = base ?? undefined;
        const set = 'config' in change.set ? { config: change.set.config } : change.set.patch;
        await changeFlagState(client, change.flag, environment, set, { expectedVersion, pathPrefix: [] });
      }
    } catch (error) {
      if (error instanceof PreconditionFailedError) throw new ChangeConflictError([subject]);
      if (baseVersions && error instanceof ConflictError && /archived/.test(error.message)) throw new ChangeConflictError([subject]);
      throw inChange(index, error);
    }
  }
  const { rows } = await client.query<{ taken: string | null }>(`select nullif(current_setting('flagship.change_group_taken', true), '') as taken`);
  const taken = rows[0]?.taken;
  return taken ? Number(taken.split('|')[0]) : null;
}

/** Under the locks of lockChangeSubjects: each copied state still at the version the changes were made from, or CopiedStateMovedError. */
async function refuseMovedCopies(client: Queryable, copiedFrom: CopiedStates): Promise<void> {
  const flags = Object.keys(copiedFrom.versions);
  const current = await currentVersions(client, copiedFrom.environment, flags.map((flag) => `flag:${flag}`));
  const moved = flags.filter((flag) => current[`flag:${flag}`] !== copiedFrom.versions[flag]);
  if (moved.length > 0) throw new CopiedStateMovedError(copiedFrom.environment, Object.fromEntries(moved.map((flag) => [flag, current[`flag:${flag}`] ?? null])), copiedFrom.versions);
}
