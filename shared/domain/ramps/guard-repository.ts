import type { Queryable } from '../../db/pool.js';
import type { GuardAction, GuardInput, RampGuard, RampStatus } from '../../schemas/ramps.js';
import type { GuardFigures } from './guard-statistics.js';
import { GUARD_ALPHA } from './guard-statistics.js';

/** Stores a new ramp's guards, in the order given. */
export async function insertGuards(client: Queryable, planId: string, guards: GuardInput[]): Promise<void> {
  if (guards.length === 0) return;
  await client.query(
    `insert into rollout_guard (plan_id, position, event, max_ratio, min_exposures, action)
     select $1, g.ordinality - 1, g.event, g.max_ratio, g.min_exposures, g.action
       from unnest($2::text[], $3::float8[], $4::int[], $5::text[]) with ordinality as g (event, max_ratio, min_exposures, action, ordinality)`,
    [planId, guards.map((g) => g.event), guards.map((g) => g.maxRatio), guards.map((g) => g.minExposures), guards.map((g) => g.action)],
  );
}

interface GuardRow {
  event: string;
  maxRatio: number;
  minExposures: number;
  action: GuardAction;
  figures: GuardFigures | null;
  evaluatedAt: string | null;
  breachedAt: string | null;
}

const NO_FIGURES = { exposures: 0, events: 0, rate: null };

/** A ramp's guards with their last figures, in order. */
export async function listGuards(db: Queryable, planId: string): Promise<RampGuard[]> {
  const { rows } = await db.query<GuardRow>(
    `select event, max_ratio as "maxRatio", min_exposures as "minExposures", action, figures,
            evaluated_at as "evaluatedAt", breached_at as "breachedAt"
       from rollout_guard where plan_id = $1 order by position`,
    [planId],
  );
  return rows.map(({ figures, ...guard }) => ({
    ...guard,
    treatment: figures?.treatment ?? NO_FIGURES,
    control: figures?.control ?? NO_FIGURES,
    ratio: figures?.ratio ?? null,
    evidence: figures?.evidence ?? 1,
    threshold: figures?.threshold ?? 1 / GUARD_ALPHA,
    decision: figures?.decision ?? 'pending',
  }));
}

/** A guard as the worker watches it. */
export interface WatchedGuard {
  position: number;
  event: string;
  maxRatio: number;
  minExposures: number;
  action: GuardAction;
}

/** A ramp with guards the worker watches. */
export interface WatchedRamp {
  id: string;
  flagKey: string;
  environment: string;
  /** Counts from this minute on are the ramp's. */
  createdAt: Date;
  guards: WatchedGuard[];
}

/** Every ramp in one of `statuses` that has guards, with them: the guard watcher's worklist. */
export async function listWatchedRamps(db: Queryable, statuses: readonly RampStatus[]): Promise<WatchedRamp[]> {
  const { rows } = await db.query<WatchedRamp>(
    `select p.id, f.key as "flagKey", p.environment_key as environment, p.created_at as "createdAt",
            jsonb_agg(jsonb_build_object('position', g.position, 'event', g.event, 'maxRatio', g.max_ratio,
                                         'minExposures', g.min_exposures, 'action', g.action) order by g.position) as guards
       from rollout_plan p
       join flag f on f.id = p.flag_id
       join rollout_guard g on g.plan_id = p.id
      where p.status = any($1::text[])
      group by p.id, f.key
      order by p.created_at, p.id`,
    [statuses],
  );
  return rows;
}

/** Keeps a guard's last figures (and, on a breach, when it breached). */
export async function recordGuardFigures(db: Queryable, planId: string, position: number, figures: GuardFigures, at: Date): Promise<void> {
  await db.query(
    `update rollout_guard
        set figures = $3::jsonb, evaluated_at = $4,
            breached_at = case when $5 then coalesce(breached_at, $4) else breached_at end
      where plan_id = $1 and position = $2`,
    [planId, position, JSON.stringify(figures), at, figures.decision === 'breach'],
  );
}
