import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { AppError, ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.js';
import {
  subjectOf,
  type ActorRef,
  type ChangeRequestState,
  type Comment,
  type CreateChangeRequest,
  type CreateSchedule,
  type ListChangeRequestsQuery,
  type PlannedChange,
  type ProposedChange,
} from '../../schemas/change-requests.js';
import { requireEnvironment } from '../environments/environment-repository.js';
import { findFlagState } from '../flags/flag-state-reads.js';
import { findSegment } from '../segments/segment-repository.js';
import { applyChanges, ChangeConflictError } from './apply-changes.js';
import { callerKey, ChangeRequestRequiredError, type Caller } from './caller.js';
import { appliedActor, SCHEDULER_ACTOR } from './change-request-actor.js';
import {
  countApprovals,
  currentVersions,
  findChangeRequest,
  insertApproval,
  insertChangeRequest,
  insertChangeRequestEvent,
  insertComment,
  listChangeRequests,
  listComments,
  lockChangeRequest,
  updateChangeRequestState,
  type LockedChangeRequest,
  type StoredChangeRequest,
} from './change-request-repository.js';

export { listChangeRequests };

/** The author approving their own request. */
export class SelfApprovalError extends AppError {
  constructor() {
    super(403, 'self_approval', 'the author of a change request cannot approve it: ask another editor or admin');
  }
}

/** Thrown inside a dry run's transaction so that it rolls back. */
class DryRunRollback extends Error {}

/**
 * Runs the changes in a transaction that is then rolled back: every rule of
 * the real apply (flags and segments exist, rollout targets, references,
 * sizes, archived) answers now, with the field named, and nothing is written
 * (no version, no event, no NOTIFY: they happen at commit only).
 */
async function dryRun(pool: Pool, environment: string, changes: PlannedChange[]): Promise<void> {
  try {
    await withTransaction(pool, async (client) => {
      await applyChanges(client, environment, null, changes);
      throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
}

/** A proposed change as stored: without the version it was based on (baseVersions records the version at opening). */
function plannedOf({ expectedVersion: _expected, ...change }: ProposedChange): PlannedChange {
  return change as PlannedChange;
}

/**
 * Refuses (412, naming `changes.<i>.expectedVersion`) a request whose change
 * was based on a version of its subject that is no longer current: opened, it
 * would record the newer version as its base, and applying would then write
 * over a change its author never saw.
 */
function assertExpectedVersions(changes: ProposedChange[], baseVersions: Record<string, number | null>): void {
  const stale = changes.flatMap((change, index) => {
    if (change.expectedVersion === undefined) return [];
    const currentVersion = baseVersions[subjectOf(change)] ?? null;
    return currentVersion === change.expectedVersion ? [] : [{ index, subject: subjectOf(change), expectedVersion: change.expectedVersion, currentVersion }];
  });
  if (stale.length === 0) return;
  throw new PreconditionFailedError(
    stale.map(({ index, subject, expectedVersion, currentVersion }) => `changes[${index}]: ${subject} is at version ${currentVersion ?? 'none'}, not ${expectedVersion}`).join('; '),
    stale.map(({ index, subject, currentVersion }) => ({
      in: 'body',
      path: ['changes', index, 'expectedVersion'],
      subject,
      currentVersion,
      message: `is no longer current: ${subject} is at version ${currentVersion ?? 'none'}`,
    })),
  );
}

async function open(
  pool: Pool,
  caller: Caller,
  input: { kind: 'change-request' | 'schedule'; environment: string; title: string; description: string; changes: ProposedChange[]; scheduledAt: string | null },
): Promise<StoredChangeRequest> {
  const environment = await requireEnvironment(pool, input.environment);
  if (input.kind === 'schedule' && environment.protected) {
    // Protected: a schedule needs approvals too (a change request with scheduledAt).
    throw new ChangeRequestRequiredError(input.environment);
  }
  const changes = input.changes.map(plannedOf);
  await dryRun(pool, input.environment, changes);
  return withTransaction(pool, async (client) => {
    const baseVersions = await currentVersions(client, input.environment, changes.map(subjectOf));
    assertExpectedVersions(input.changes, baseVersions);
    const id = await insertChangeRequest(client, {
      ...input,
      changes,
      baseVersions,
      state: input.kind === 'schedule' ? 'scheduled' : 'open',
      requiredApprovals: input.kind === 'schedule' ? 0 : environment.requiredApprovals,
      author: caller.actor,
      authorKey: callerKey(caller),
    });
    await insertChangeRequestEvent(
      client,
      { id, environment: input.environment },
      input.kind === 'schedule' ? 'change-request.scheduled' : 'change-request.opened',
      caller.actor,
      { state: input.kind === 'schedule' ? 'scheduled' : 'open', requiredApprovals: input.kind === 'schedule' ? 0 : environment.requiredApprovals },
    );
    return (await findChangeRequest(client, id))!;
  });
}

/** Opens a change request (`open`): nothing changes until it is approved and applied. */
export async function openChangeRequest(pool: Pool, input: CreateChangeRequest, caller: Caller): Promise<StoredChangeRequest> {
  return open(pool, caller, { kind: 'change-request', ...input, scheduledAt: input.scheduledAt ?? null });
}

/** Schedules changes in an unprotected environment: applied by the worker at `at`, as one version. */
export async function scheduleChanges(pool: Pool, input: CreateSchedule, caller: Caller, now: Date): Promise<StoredChangeRequest> {
  if (Date.parse(input.at) <= now.getTime()) {
    throw new ValidationError('at must be in the future', [{ in: 'body', path: ['at'], message: 'must be in the future' }]);
  }
  return open(pool, caller, {
    kind: 'schedule',
    environment: input.environment,
    title: input.title ?? 'Scheduled change',
    description: '',
    changes: input.changes,
    scheduledAt: input.at,
  });
}

export async function requireChangeRequest(db: Queryable, id: string): Promise<StoredChangeRequest> {
  const request = await findChangeRequest(db, id);
  if (!request) throw new NotFoundError(`change request ${id} does not exist`);
  return request;
}

async function requireLocked(client: Queryable, id: string): Promise<LockedChangeRequest> {
  const request = await lockChangeRequest(client, id);
  if (!request) throw new NotFoundError(`change request ${id} does not exist`);
  return request;
}

function refuseState(request: { id: string; state: ChangeRequestState }, action: string): ConflictError {
  return new ConflictError(`change request ${request.id} is ${request.state}: it cannot be ${action}`, { state: request.state });
}

/** What the diff shows of a subject as it stands now (null: it no longer exists). */
async function subjectNow(db: Queryable, environment: string, change: PlannedChange): Promise<unknown> {
  if ('segment' in change) return (await findSegment(db, change.segment)) ?? null;
  return (await findFlagState(db, change.flag, environment)) ?? null;
}

function predicted(before: unknown, change: PlannedChange): unknown {
  if (before === null) return null;
  if ('archive' in change) return { ...(before as object), archived: true };
  if ('segment' in change) return { ...(before as object), ...change.set };
  return 'config' in change.set ? { ...(before as object), ...change.set.config } : { ...(before as object), ...change.set.patch };
}

/** A request with its diff against the current state and its comments. */
export async function readChangeRequest(pool: Pool, id: string) {
  const request = await requireChangeRequest(pool, id);
  const { rows } = await pool.query<{ baseVersions: Record<string, number | null> }>(
    `select base_versions as "baseVersions" from change_request where id = $1`,
    [id],
  );
  const baseVersions = rows[0]!.baseVersions;
  const current = await currentVersions(pool, request.environment, request.changes.map(subjectOf));
  const diff = [];
  for (const change of request.changes) {
    const subject = subjectOf(change);
    const before = await subjectNow(pool, request.environment, change);
    diff.push({
      subject,
      change,
      baseVersion: baseVersions[subject] ?? null,
      currentVersion: current[subject] ?? null,
      conflicted: request.state !== 'applied' && (baseVersions[subject] ?? null) !== (current[subject] ?? null),
      before,
      after: predicted(before, change),
    });
  }
  return { ...request, diff, comments: await listComments(pool, id) };
}

export type ApplyOutcome = { kind: 'applied'; version: number | null } | { kind: 'conflicted'; subjects: string[] } | { kind: 'skipped'; state: ChangeRequestState };

/**
 * Applies a request (locked here) in ONE transaction: every change, as one
 * environment version, then the request's own state. A conflict rolls the
 * changes back and marks the request conflicted in a second transaction.
 * `expect`: the states it may be applied from (the worker: only `scheduled`
 * and due); any other is `skipped`, so a second worker or a retry after a
 * lost connection never applies it twice.
 */
async function applyLocked(
  pool: Pool,
  id: string,
  appliedBy: ActorRef,
  expect: (request: LockedChangeRequest) => boolean,
): Promise<ApplyOutcome> {
  try {
    return await withTransaction(pool, async (client) => {
      const request = await requireLocked(client, id);
      if (!expect(request)) return { kind: 'skipped', state: request.state } as const;
      await client.query(`select set_config('flagship.actor', $1, true)`, [JSON.stringify(appliedActor(request, appliedBy))]);
      const version = await applyChanges(client, request.environment, request.id, request.changes, request.baseVersions);
      await updateChangeRequestState(client, id, { state: 'applied', appliedBy, appliedVersion: version });
      await insertChangeRequestEvent(client, request, 'change-request.applied', appliedBy, { state: 'applied', appliedVersion: version });
      return { kind: 'applied', version } as const;
    });
  } catch (error) {
    if (!(error instanceof ChangeConflictError)) throw error;
    await withTransaction(pool, async (client) => {
      const request = await requireLocked(client, id);
      if (!expect(request)) return;
      await updateChangeRequestState(client, id, { state: 'conflicted', closeReason: error.message });
      await insertChangeRequestEvent(client, request, 'change-request.conflicted', appliedBy, { state: 'conflicted', subjects: error.subjects });
    });
    return { kind: 'conflicted', subjects: error.subjects };
  }
}

/** POST …/apply: an approved (or scheduled) request, now. 409 `conflicted` when a subject moved since it was opened. */
export async function applyChangeRequest(pool: Pool, id: string, caller: Caller): Promise<StoredChangeRequest> {
  const outcome = await applyLocked(pool, id, caller.actor, (request) => request.state === 'approved' || request.state === 'scheduled');
  if (outcome.kind === 'skipped') throw refuseState({ id, state: outcome.state }, 'applied (it needs its approvals first)');
  if (outcome.kind === 'conflicted') throw new ChangeConflictError(outcome.subjects);
  return requireChangeRequest(pool, id);
}

/** The worker: applies a scheduled request whose time has come; exactly once whoever else tries. */
export async function applyDueChangeRequest(pool: Pool, id: string): Promise<ApplyOutcome> {
  return applyLocked(pool, id, SCHEDULER_ACTOR, (request) => request.state === 'scheduled' && request.due);
}

/**
 * Approves: never by the author (403 self_approval), each approver once.
 * With enough approvals the request is `approved`; with a future scheduledAt,
 * `scheduled`; with a past one (or none, in a request that asked to apply on
 * approval), approved and then applied at once.
 */
export async function approveChangeRequest(pool: Pool, id: string, caller: Caller): Promise<StoredChangeRequest> {
  const applyNow = await withTransaction(pool, async (client) => {
    const request = await requireLocked(client, id);
    if (request.state !== 'open') throw refuseState(request, 'approved');
    if (request.authorKey === callerKey(caller)) {
      throw new SelfApprovalError();
    }
    const current = await currentVersions(client, request.environment, Object.keys(request.baseVersions));
    const moved = Object.keys(request.baseVersions).filter((subject) => current[subject] !== request.baseVersions[subject]);
    if (moved.length > 0) {
      await updateChangeRequestState(client, id, { state: 'conflicted', closeReason: new ChangeConflictError(moved).message });
      await insertChangeRequestEvent(client, request, 'change-request.conflicted', caller.actor, { state: 'conflicted', subjects: moved });
      return { conflicted: moved };
    }
    const added = await insertApproval(client, id, callerKey(caller), caller.actor);
    if (!added) throw new ConflictError('you have approved this change request already: each approver counts once');
    const approvals = await countApprovals(client, id);
    if (approvals < request.requiredApprovals) {
      await insertChangeRequestEvent(client, request, 'change-request.approved', caller.actor, { state: 'open', approvals, requiredApprovals: request.requiredApprovals });
      return false;
    }
    const scheduled = request.scheduledAt !== null && !request.due;
    await updateChangeRequestState(client, id, { state: scheduled ? 'scheduled' : 'approved' });
    await insertChangeRequestEvent(client, request, scheduled ? 'change-request.scheduled' : 'change-request.approved', caller.actor, {
      state: scheduled ? 'scheduled' : 'approved',
      approvals,
      requiredApprovals: request.requiredApprovals,
    });
    // Approved after its time: it applies at once.
    return request.scheduledAt !== null && request.due;
  });
  if (typeof applyNow === 'object') throw new ChangeConflictError(applyNow.conflicted);
  if (applyNow) await applyLocked(pool, id, caller.actor, (request) => request.state === 'approved');
  return requireChangeRequest(pool, id);
}

/** Rejects an open request (or an approved or scheduled one not yet applied). */
export async function rejectChangeRequest(pool: Pool, id: string, caller: Caller, reason?: string): Promise<StoredChangeRequest> {
  return close(pool, id, caller, 'rejected', reason);
}

/** Cancels a request before it is applied (its author, or an editor or admin). */
export async function cancelChangeRequest(pool: Pool, id: string, caller: Caller, reason?: string): Promise<StoredChangeRequest> {
  return close(pool, id, caller, 'cancelled', reason);
}

async function close(pool: Pool, id: string, caller: Caller, to: 'rejected' | 'cancelled', reason?: string): Promise<StoredChangeRequest> {
  return withTransaction(pool, async (client) => {
    const request = await requireLocked(client, id);
    const from: ChangeRequestState[] = to === 'rejected' ? ['open', 'approved', 'scheduled'] : ['open', 'approved', 'scheduled', 'conflicted'];
    if (!from.includes(request.state)) throw refuseState(request, to);
    await updateChangeRequestState(client, id, { state: to, closedBy: caller.actor, closeReason: reason });
    await insertChangeRequestEvent(client, request, to === 'rejected' ? 'change-request.rejected' : 'change-request.cancelled', caller.actor, {
      state: to,
      ...(reason ? { reason } : {}),
    });
    return (await findChangeRequest(client, id))!;
  });
}

export async function commentOnChangeRequest(pool: Pool, id: string, caller: Caller, body: string): Promise<Comment> {
  return withTransaction(pool, async (client) => {
    const request = await requireLocked(client, id);
    const comment = await insertComment(client, id, caller.actor, body);
    await insertChangeRequestEvent(client, request, 'change-request.commented', caller.actor, { state: request.state, comment: { id: comment.id, body: comment.body } });
    return comment;
  });
}

/** Requests of `kind`, of `projects` only (those whose every flag and segment is in one; `['*']`: all). */
export async function listChangeRequestPage(pool: Pool, query: ListChangeRequestsQuery, kind: 'change-request' | 'schedule' | undefined, projects: readonly string[]) {
  if (query.environment) await requireEnvironment(pool, query.environment);
  return listChangeRequests(pool, { ...query, kind, projects });
}
