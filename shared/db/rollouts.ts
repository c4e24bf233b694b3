import { ConflictError, NotFoundError } from '../errors.js';
import { replanRemainingSteps, type PlannedStep } from '../rollouts/plan-steps.js';
import type { Ramp, RampStatus, RampStep } from '../schemas/rollouts.js';
import type { Queryable } from './pool.js';
import { UNIQUE_VIOLATION, hasPostgresCode } from './postgres-errors.js';

const PENDING = `('scheduled', 'running')`;
const ACTIVE = `('scheduled', 'running', 'paused')`;

const RAMP_COLUMNS = `
  p.id, f.key as flag, p.environment_key as environment, p.strategy_id as "strategyId", p.status, p.current_step as "currentStep",
  p.created_by as "createdBy", p.created_at as "createdAt", p.updated_at as "updatedAt",
  p.stop_reason as "stopReason", p.stopped_by as "stoppedBy", p.stopped_at as "stoppedAt"`;

const STEP_COLUMNS = `position, rollout, planned_at as "plannedAt", applied_at as "appliedAt"`;

export async function findRamp(db: Queryable, id: string): Promise<Ramp | undefined> {
  const { rows } = await db.query<Omit<Ramp, 'steps'>>(
    `select ${RAMP_COLUMNS} from rollout_plan p join flag f on f.id = p.flag_id where p.id = $1`,
    [id],
  );
  if (!rows[0]) return undefined;
  const steps = await db.query<RampStep>(
    `select ${STEP_COLUMNS} from rollout_step where plan_id = $1 order by position`,
    [id],
  );
  return { ...rows[0], steps: steps.rows };
}

export async function requireRamp(db: Queryable, id: string): Promise<Ramp> {
  const ramp = await findRamp(db, id);
  if (!ramp) throw new NotFoundError(`rollout '${id}' does not exist`);
  return ramp;
}

export interface NewRamp {
  flagKey: string;
  environment: string;
  /** The strategy to drive; absent: the simple case's. */
  strategyId?: string;
  steps: PlannedStep[];
  createdBy: string;
}

/**
 * Stores a ramp and its steps. Run inside withTransaction: a missing flag or
 * environment (404), an archived flag or another active ramp on the same flag
 * and environment (409) throw before anything is kept.
 */
export async function insertRamp(client: Queryable, ramp: NewRamp): Promise<Ramp> {
  // `for share` waits for a concurrent archive (which locks the flag row) to finish first.
  const { rows: flags } = await client.query<{ id: string; archived: boolean }>(
    `select id, archived_at is not null as archived from flag where key = $1 for share`,
    [ramp.flagKey],
  );
  const flag = flags[0];
  if (!flag) throw new NotFoundError(`flag '${ramp.flagKey}' does not exist`);
  if (flag.archived) throw new ConflictError(`flag '${ramp.flagKey}' is archived`);
  const { rowCount: environments } = await client.query(`select 1 from environment where key = $1`, [ramp.environment]);
  if (!environments) throw new NotFoundError(`environment '${ramp.environment}' does not exist`);
  const { rows: active } = await client.query<{ id: string; status: RampStatus }>(
    `select id, status from rollout_plan where flag_id = $1 and environment_key = $2 and status in ${ACTIVE}`,
    [flag.id, ramp.environment],
  );
  if (active[0]) {
    throw new ConflictError(
      `flag '${ramp.flagKey}' already has a ${active[0].status} ramp in '${ramp.environment}': cancel it first`,
      { activeRampId: active[0].id },
    );
  }
  let id: string;
  try {
    const { rows } = await client.query<{ id: string }>(
      `insert into rollout_plan (flag_id, environment_key, created_by, strategy_id) values ($1, $2, $3, $4) returning id`,
      [flag.id, ramp.environment, ramp.createdBy, ramp.strategyId ?? null],
    );
    id = rows[0]!.id;
  } catch (error) {
    // Two creates racing past the check above: the partial unique index decides.
    if (hasPostgresCode(error, UNIQUE_VIOLATION)) {
      throw new ConflictError(`flag '${ramp.flagKey}' already has an active ramp in '${ramp.environment}'`);
    }
    throw error;
  }
  await client.query(
    `insert into rollout_step (plan_id, position, rollout, planned_at)
     select $1, step.ordinality - 1, step.rollout, step.planned_at
       from unnest($2::int[], $3::timestamptz[]) with ordinality as step (rollout, planned_at, ordinality)`,
    [id, ramp.steps.map((step) => step.rollout), ramp.steps.map((step) => step.plannedAt)],
  );
  return requireRamp(client, id);
}

/** A plan as the worker sees it while holding its row lock. */
export interface LockedRamp {
  id: string;
  flagKey: string;
  environment: string;
  strategyId: string | null;
  flagArchived: boolean;
  status: RampStatus;
  currentStep: number;
  revision: number;
  stepCount: number;
  stoppedAt: string | null;
}

/** Locks a plan's row until the transaction ends: every change of a plan's progress or status goes through here. */
export async function lockRamp(client: Queryable, id: string): Promise<LockedRamp | undefined> {
  const { rows } = await client.query<LockedRamp>(
    `select p.id, f.key as "flagKey", p.environment_key as environment, p.strategy_id as "strategyId",
            f.archived_at is not null as "flagArchived",
            p.status, p.current_step as "currentStep", p.revision, p.stopped_at as "stoppedAt",
            (select count(*) from rollout_step s where s.plan_id = p.id)::int as "stepCount"
       from rollout_plan p join flag f on f.id = p.flag_id
      where p.id = $1
        for update of p`,
    [id],
  );
  return rows[0];
}

export async function findRampStep(db: Queryable, planId: string, position: number): Promise<RampStep | undefined> {
  const { rows } = await db.query<RampStep>(
    `select ${STEP_COLUMNS} from rollout_step where plan_id = $1 and position = $2`,
    [planId, position],
  );
  return rows[0];
}

/**
 * Records step `position` as applied and moves the plan past it, completing it
 * after the last step. Compare-and-set on current_step: false when the plan had
 * already moved on (nothing is written then).
 */
export async function recordRampStepApplied(
  client: Queryable,
  ramp: Pick<LockedRamp, 'id' | 'stepCount'>,
  position: number,
): Promise<{ appliedAt: string } | undefined> {
  const { rowCount } = await client.query(
    `update rollout_plan
        set current_step = $2 + 1,
            status = case when $2 + 1 >= $3 then 'completed' else 'running' end,
            updated_at = now()
      where id = $1 and current_step = $2 and status in ${PENDING}`,
    [ramp.id, position, ramp.stepCount],
  );
  if (!rowCount) return undefined;
  // clock_timestamp, not now(): the time the step really took effect, for lateness figures.
  const { rows } = await client.query<{ appliedAt: string }>(
    `update rollout_step set applied_at = clock_timestamp()
      where plan_id = $1 and position = $2
      returning applied_at as "appliedAt"`,
    [ramp.id, position],
  );
  return rows[0]!;
}

export interface StopRecord {
  reason: string;
  /** Who stopped it; defaults to the transaction's actor. */
  by?: string;
}

async function stopRamp(client: Queryable, id: string, status: 'paused' | 'cancelled', stop: StopRecord): Promise<void> {
  await client.query(
    `update rollout_plan
        set status = $2, stop_reason = $3, stopped_by = coalesce($4, flagship_current_actor()),
            stopped_at = now(), updated_at = now()
      where id = $1`,
    [id, status, stop.reason, stop.by ?? null],
  );
}

async function requireLockedRamp(client: Queryable, id: string): Promise<LockedRamp> {
  const ramp = await lockRamp(client, id);
  if (!ramp) throw new NotFoundError(`rollout '${id}' does not exist`);
  return ramp;
}

/** Pauses a scheduled or running ramp (409 otherwise). Run inside withTransaction. */
export async function pauseRamp(client: Queryable, id: string, stop: StopRecord): Promise<Ramp> {
  const ramp = await requireLockedRamp(client, id);
  if (ramp.status !== 'scheduled' && ramp.status !== 'running') {
    throw new ConflictError(`rollout '${id}' is ${ramp.status}; only a scheduled or running ramp can be paused`);
  }
  await stopRamp(client, id, 'paused', stop);
  return requireRamp(client, id);
}

/** Cancels a ramp that has not finished (409 once completed or cancelled). Run inside withTransaction. */
export async function cancelRamp(client: Queryable, id: string, stop: StopRecord): Promise<Ramp> {
  const ramp = await requireLockedRamp(client, id);
  if (ramp.status === 'completed' || ramp.status === 'cancelled') {
    throw new ConflictError(`rollout '${id}' is already ${ramp.status}`);
  }
  await stopRamp(client, id, 'cancelled', stop);
  return requireRamp(client, id);
}

/**
 * Resumes a paused ramp: its remaining steps are re-planned from `now`
 * (replanRemainingSteps) under a new revision, so timers queued for the old
 * times do nothing. Returns the ramp and its new revision, for queueing the next
 * step. Run inside withTransaction.
 */
export async function resumeRamp(client: Queryable, id: string, now: Date): Promise<{ ramp: Ramp; revision: number }> {
  const locked = await requireLockedRamp(client, id);
  if (locked.status !== 'paused') {
    throw new ConflictError(`rollout '${id}' is ${locked.status}; only a paused ramp can be resumed`);
  }
  if (locked.flagArchived) throw new ConflictError(`flag '${locked.flagKey}' is archived; cancel this ramp`);
  const { rows: remaining } = await client.query<{ position: number; plannedAt: string }>(
    `select position, planned_at as "plannedAt" from rollout_step
      where plan_id = $1 and position >= $2 order by position`,
    [id, locked.currentStep],
  );
  const replanned = replanRemainingSteps(remaining, new Date(locked.stoppedAt ?? now), now);
  await client.query(
    `update rollout_step s set planned_at = replanned.planned_at
       from unnest($2::int[], $3::timestamptz[]) as replanned (position, planned_at)
      where s.plan_id = $1 and s.position = replanned.position`,
    [id, replanned.map((step) => step.position), replanned.map((step) => step.plannedAt)],
  );
  const { rows } = await client.query<{ revision: number }>(
    `update rollout_plan
        set status = case when current_step = 0 then 'scheduled' else 'running' end,
            revision = revision + 1, stop_reason = null, stopped_by = null, stopped_at = null, updated_at = now()
      where id = $1
      returning revision`,
    [id],
  );
  return { ramp: await requireRamp(client, id), revision: rows[0]!.revision };
}

/** Cancels a ramp whose flag was archived under it. Run while holding its lock. */
/**
 * Cancels every active ramp of a flag at once (it is being archived), saying
 * why. Run inside withTransaction, before archiving: plans are locked before
 * states, the order the worker takes them in. Returns the cancelled ids.
 */
export async function cancelActiveRampsOfFlag(client: Queryable, flagKey: string, stop: StopRecord): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `update rollout_plan p
        set status = 'cancelled', stop_reason = $2, stopped_by = coalesce($3, flagship_current_actor()),
            stopped_at = now(), updated_at = now()
       from flag f
      where f.id = p.flag_id and f.key = $1 and p.status in ${ACTIVE}
      returning p.id`,
    [flagKey, stop.reason, stop.by ?? null],
  );
  return rows.map((row) => row.id);
}

export interface RampListFilter {
  flag?: string;
  environment?: string;
  status?: RampStatus;
  /** The id of the last ramp of the previous page (newest first, then by id). */
  after?: string;
  limit: number;
}

/** Ramps, newest first, filtered by flag, environment and status, a page at a time (keyset on created_at, id). */
export async function listRamps(db: Queryable, filter: RampListFilter): Promise<Ramp[]> {
  const { rows } = await db.query<{ id: string }>(
    `select p.id from rollout_plan p join flag f on f.id = p.flag_id
      where ($1::text is null or f.key = $1)
        and ($2::text is null or p.environment_key = $2)
        and ($3::text is null or p.status = $3)
        and ($4::uuid is null or (p.created_at, p.id) < (select created_at, id from rollout_plan where id = $4))
      order by p.created_at desc, p.id desc
      limit $5`,
    [filter.flag ?? null, filter.environment ?? null, filter.status ?? null, filter.after ?? null, filter.limit],
  );
  const ramps: Ramp[] = [];
  for (const { id } of rows) ramps.push(await requireRamp(db, id));
  return ramps;
}

export async function cancelRampOfArchivedFlag(client: Queryable, ramp: LockedRamp): Promise<void> {
  await stopRamp(client, ramp.id, 'cancelled', { reason: `flag '${ramp.flagKey}' was archived` });
}

export interface PendingRamp {
  id: string;
  revision: number;
  currentStep: number;
  nextPlannedAt: string;
}

/** Every scheduled or running ramp with the planned time of its next step, soonest first: the reconciler's worklist. */
export async function listPendingRamps(db: Queryable): Promise<PendingRamp[]> {
  const { rows } = await db.query<PendingRamp>(
    `select p.id, p.revision, p.current_step as "currentStep", s.planned_at as "nextPlannedAt"
       from rollout_plan p
       join rollout_step s on s.plan_id = p.id and s.position = p.current_step
      where p.status in ${PENDING}
      order by s.planned_at, p.id`,
  );
  return rows;
}
