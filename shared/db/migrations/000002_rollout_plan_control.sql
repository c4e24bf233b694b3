-- Up Migration
-- Rollout ramps under control: who stopped a plan and when, and a revision
-- that changes whenever the remaining steps are re-planned (on resume). A
-- timer job carries the revision it was queued for, so a job left in Redis
-- from an older schedule recognises itself as stale and does nothing.

alter table rollout_plan
  add column revision integer not null default 0,
  add column stopped_by text,
  add column stopped_at timestamptz;

-- The reconciler scans the plans that still have steps to apply, every minute.
create index rollout_plan_pending_idx on rollout_plan (status)
  where status in ('scheduled', 'running');
