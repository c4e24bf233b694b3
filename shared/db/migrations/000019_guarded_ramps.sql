-- Up Migration
-- Guarded ramps: what apps report (exposures and named events per flag,
-- variant, app and minute), the guards a ramp carries, and a ramp status for a
-- guard that rolled the flag back.

-- A ramp a guard rolled back is finished, like a cancelled one (not active: the
-- flag may get a new ramp).
alter table rollout_plan drop constraint rollout_plan_status;
alter table rollout_plan add constraint rollout_plan_status
  check (status in ('scheduled', 'running', 'paused', 'completed', 'cancelled', 'rolled_back'));
-- Where the ramp started: the rollout a guard's rollback puts back (null: the
-- state held no whole percentage then; a rollback then sets 0).
alter table rollout_plan add column start_rollout integer
  constraint rollout_plan_start_rollout_range check (start_rollout between 0 and 100);

-- One row per guard of a ramp. The last figures the worker computed are kept
-- here (GET /v1/rollouts/{id} shows them; the worker recomputes them from the
-- event counts at each look, so nothing here is the only copy of a count).
create table rollout_guard (
  plan_id uuid not null references rollout_plan (id) on delete cascade,
  position integer not null constraint rollout_guard_position check (position >= 0),
  event text not null constraint rollout_guard_event_length check (char_length(event) between 1 and 100),
  max_ratio double precision not null constraint rollout_guard_max_ratio check (max_ratio >= 1 and max_ratio <= 1000),
  min_exposures integer not null constraint rollout_guard_min_exposures check (min_exposures >= 1),
  action text not null constraint rollout_guard_action check (action in ('pause', 'rollback')),
  -- { treatment: { exposures, events, rate }, control: {...}, ratio, evidence, decision }: the last look.
  figures jsonb,
  evaluated_at timestamptz,
  breached_at timestamptz,
  primary key (plan_id, position)
);

-- Exposures (event 'exposure') and named events, aggregated per minute, flag,
-- variant ('on'/'off' for a flag without variants), event and app. Written by
-- POST /v1/client/events only: no trigger, no environment version, nothing on
-- the path of flag writes. Only flags that exist are kept. Rows older than the
-- retention (docs/guarded-ramps.md) are deleted by the worker.
create table client_event_minute (
  environment_key text not null references environment (key),
  flag_id uuid not null references flag (id),
  minute timestamptz not null
    constraint client_event_minute_whole_minute check (minute = date_trunc('minute', minute, 'UTC')),
  variant text not null,
  event text not null,
  app_name text not null,
  count bigint not null default 0 constraint client_event_minute_count check (count >= 0),
  sum double precision,
  primary key (environment_key, flag_id, minute, variant, event, app_name)
);
create index client_event_minute_age_idx on client_event_minute (minute);

-- Batches already counted, by the id the SDK gave them: a batch retried after
-- a lost answer is counted once. Kept a day (an SDK gives up on a batch long before).
create table client_event_batch (
  batch_id uuid primary key,
  environment_key text not null references environment (key),
  received_at timestamptz not null default now()
);
create index client_event_batch_age_idx on client_event_batch (received_at);
