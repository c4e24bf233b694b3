-- Up Migration
-- A guard's pause as a webhook event (`rollout.paused`, docs/guarded-ramps.md).
-- A pause changes no flag, so it has no change event to ride on; it joins the
-- outbox of events that are not changes, change_request_event (000022), which
-- each webhook lane already delivers in order with the environment's change
-- events, through its request_event_id cursor. A row there is now a change
-- request's state change (change_request_id) or a ramp's (rollout_plan_id and
-- the ramp's flag, for a webhook's flag filter), never both. The guard service
-- writes it in the transaction that records the ramp's status, with the
-- environment row locked (the same rule as 000022: ids commit in order within
-- an environment, between the versions they name).

alter table change_request_event
  alter column change_request_id drop not null,
  add column rollout_plan_id uuid references rollout_plan (id) on delete cascade,
  add column flag_key text,
  add constraint change_request_event_subject check (
    (change_request_id is not null and rollout_plan_id is null and flag_key is null)
    or (change_request_id is null and rollout_plan_id is not null and flag_key is not null)
  );
