import { projectFilter } from '../projects/project-scope.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { ACTIVE_RAMP_STATUSES } from './ramp-status.js';
import type { PlannedStep, ScheduledStep } from './plan-steps.js';
import type { GuardInput, Ramp, RampStatus, RampStep } from '../../schemas/ramps.js';
import { insertGuards, listGuards } from './guard-repository.js';
import type { Queryable } from '../../db/pool.js';
import type { Actor } from '../people/principal.js';
import { UNIQUE_VIOLATION, hasPostgresCode } from '../../db/postgres-errors.js';


const RAMP_COLUMNS = `
  p.id, f.key as flag, p.environment_key as environment, p.strategy_id as "strategyId", p.status, p.current_step as "currentStep",
  p.created_by as "createdBy", p.created_at as "createdAt", p.updated_at as "updatedAt",
  p.stop_reason as "stopReason", p.stopped_by as "stoppedBy", p.stopped_at as "stoppedAt", p.start_rollout as "startRollout"`;

const STEP_COLUMNS = `position, rollout, planned_at as "plannedAt", applied_at as "appliedAt"`;

export async function findRamp(db: Queryable, id: string): Promise<Ramp | undefined> {
  const { rows } = await db.query<Omit<Ramp, 'steps' | 'guards'>>(
    `select ${RAMP_COLUMNS} from rollout_plan p join flag f on f.id = p.flag_id where p.id = $1`,
    [id],
  );
  if (!rows[0]) return undefined;
  const steps = await db.query<RampStep>(
    `select ${STEP_COLUMNS} from rollout_step where plan_id = $1 order by position`,
    [id],
  );
  return { ...rows[0], steps: steps.rows, guards: await listGuards(db, id) };
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
  createdBy: Actor;
  /** The rollout now: where a guard's rollback puts it back (default: unknown, a rollback sets 0). */
  startRollout?: number | null;
  guards?: GuardInput[];
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
    `select id, status from rollout_plan where flag_id = $1 and environment_key = $2 and status = any($3::text[])`,
    [flag.id, ramp.environment, ACTIVE_RAMP_STATUSES],
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
      `insert into rollout_plan (flag_id, environment_key, created_by, strategy_id, start_rollout)
       values ($1, $2, flagship_actor_label($3::jsonb), $4, $5) returning id`,
      [flag.id, ramp.environment, JSON.stringify(ramp.createdBy), ramp.strategyId ?? null, ramp.startRollout ?? null],
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
  await insertGuards(client, id, ramp.guards ?? []);
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
  startRollout: number | null;
}

/** Locks a plan's row until the transaction ends: every change of a plan's progress or status starts here (the ramp service). */
export async function lockRamp(client: Queryable, id: string): Promise<LockedRamp | undefined> {
  const { rows } = await client.query<LockedRamp>(
    `select p.id, f.key as "flagKey", p.environment_key as environment, p.strategy_id as "strategyId",
            f.archived_at is not null as "flagArchived",
            p.status, p.current_step as "currentStep", p.revision, p.stopped_at as "stoppedAt", p.start_rollout as "startRollout",
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
 * Records step `position` as applied and moves the plan past it, to status
 * `to`. Compare-and-set on current_step and status: undefined when the plan
 * had already moved on or left the `from` statuses (nothing is written then).
 */
export async function recordRampStepApplied(
  client: Queryable,
  id: string,
  position: number,
  change: { to: RampStatus; from: readonly RampStatus[] },
): Promise<{ appliedAt: string } | undefined> {
  const { rowCount } = await client.query(
    `update rollout_plan set current_step = $2 + 1, status = $3, updated_at = now()
      where id = $1 and current_step = $2 and status = any($4::text[])`,
    [id, position, change.to, change.from],
  );
  if (!rowCount) return undefined;
  // clock_timestamp, not now(): the time the step really took effect, for lateness figures.
  const { rows } = await client.query<{ appliedAt: string }>(
    `update rollout_step set applied_at = clock_timestamp()
      where plan_id = $1 and position = $2
      returning applied_at as "appliedAt"`,
    [id, position],
  );
  return rows[0]!;
}

export interface StopRecord {
  reason: string;
  /** Who stopped it; defaults to the transaction's actor. */
  by?: string;
}

/**
 * Stops a plan (status `to`, with who and why). Compare-and-set on status:
 * false when the plan was not in one of the `from` statuses (nothing written).
 */
export async function stopRamp(
  client: Queryable,
  id: string,
  change: { to: RampStatus; from: readonly RampStatus[] },
  stop: StopRecord,
): Promise<boolean> {
  const { rowCount } = await client.query(
    `update rollout_plan
        set status = $2, stop_reason = $3, stopped_by = coalesce($4, flagship_current_actor()),
            stopped_at = now(), updated_at = now()
      where id = $1 and status = any($5::text[])`,
    [id, change.to, stop.reason, stop.by ?? null, change.from],
  );
  return rowCount === 1;
}

/**
 * Stops every plan of a flag in one of the `from` statuses at once (status
 * `to`, with who and why). Plans are locked here, before any state: the order
 * the worker takes them in. Returns the stopped ids.
 */
export async function stopRampsOfFlag(
  client: Queryable,
  flagKey: string,
  change: { to: RampStatus; from: readonly RampStatus[] },
  stop: StopRecord,
): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `update rollout_plan p
        set status = $2, stop_reason = $3, stopped_by = coalesce($4, flagship_current_actor()),
            stopped_at = now(), updated_at = now()
       from flag f
      where f.id = p.flag_id and f.key = $1 and p.status = any($5::text[])
      returning p.id`,
    [flagKey, change.to, stop.reason, stop.by ?? null, change.from],
  );
  return rows.map((row) => row.id);
}

/** The steps of a plan from `position` on, in order, with their planned times. */
export async function listRampStepsFrom(
  client: Queryable,
  id: string,
  position: number,
): Promise<ScheduledStep[]> {
  const { rows } = await client.query<ScheduledStep>(
    `select position, planned_at as "plannedAt" from rollout_step
      where plan_id = $1 and position >= $2 order by position`,
    [id, position],
  );
  return rows;
}

/** Sets the planned times of the given steps of a plan. */
export async function replanRampSteps(client: Queryable, id: string, steps: ScheduledStep[]): Promise<void> {
  await client.query(
    `update rollout_step s set planned_at = replanned.planned_at
       from unnest($2::int[], $3::timestamptz[]) as replanned (position, planned_at)
      where s.plan_id = $1 and s.position = replanned.position`,
    [id, steps.map((step) => step.position), steps.map((step) => step.plannedAt)],
  );
}

/** Restarts a stopped plan: status `to` under `revision`, its stop record cleared. Compare-and-set on status. */
export async function restartRamp(
  client: Queryable,
  id: string,
  change: { to: RampStatus; from: readonly RampStatus[]; revision: number },
): Promise<boolean> {
  const { rowCount } = await client.query(
    `update rollout_plan
        set status = $2, revision = $3, stop_reason = null, stopped_by = null, stopped_at = null, updated_at = now()
      where id = $1 and status = any($4::text[])`,
    [id, change.to, change.revision, change.from],
  );
  return rowCount === 1;
}

export interface RampListFilter {
  flag?: string;
  environment?: string;
  status?: RampStatus;
  /** The id of the last ramp of the previous page (newest first, then by id). */
  after?: string;
  limit: number;
  /** Only ramps of these projects' flags (absent or `['*']`: every project's). */
  projects?: readonly string[];
}

/** Ramps, newest first, filtered by flag, environment and status, a page at a time (keyset on created_at, id). */
export async function listRamps(db: Queryable, filter: RampListFilter): Promise<Ramp[]> {
  const { rows } = await db.query<{ id: string }>(
    `select p.id from rollout_plan p join flag f on f.id = p.flag_id
      where ($1::text is null or f.key = $1)
        and ($2::text is null or p.environment_key = $2)
        and ($3::text is null or p.status = $3)
        and ($4::uuid is null or (p.created_at, p.id) < (select created_at, id from rollout_plan where id = $4))
        and ($6::text[] is null or f.project_key = any($6))
      order by p.created_at desc, p.id desc
      limit $5`,
    [filter.flag ?? null, filter.environment ?? null, filter.status ?? null, filter.after ?? null, filter.limit, projectFilter(filter.projects)],
  );
  const ramps: Ramp[] = [];
  for (const { id } of rows) ramps.push(await requireRamp(db, id));
  return ramps;
}

export interface PendingRamp {
  id: string;
  revision: number;
  currentStep: number;
  nextPlannedAt: string;
}

/** Every ramp in one of `statuses` with the planned time of its next step, soonest first: the reconciler's worklist. */
export async function listRampsWithNextStep(db: Queryable, statuses: readonly RampStatus[]): Promise<PendingRamp[]> {
  const { rows } = await db.query<PendingRamp>(
    `select p.id, p.revision, p.current_step as "currentStep", s.planned_at as "nextPlannedAt"
       from rollout_plan p
       join rollout_step s on s.plan_id = p.id and s.position = p.current_step
      where p.status = any($1::text[])
      order by s.planned_at, p.id`,
    [statuses],
  );
  return rows;
}
