-- Up Migration
-- Webhook delivery of a change request's own state changes (docs/change-requests.md,
-- "Webhook events of a request"). 000017 wrote them to change_request_event;
-- here they join each delivery lane (webhook × environment), in order with
-- the environment's change events.
--
-- 1. after_version: the environment's version when the event was written. The
--    writer holds the environment row's lock from before the event's id is
--    taken until it commits (insertChangeRequestEvent locks it first), so
--    within an environment ids commit in order, and every change up to
--    after_version committed before the event, every later one after it. A
--    lane delivers the event after the changes of versions <= after_version
--    and before the next one: `changes.applied` (version V), then
--    `change-request.applied` (after_version V).
-- 2. webhook_cursor.request_event_id: the lane's position in change_request_event,
--    next to its version; a new lane starts at the newest event (a new
--    subscription receives from now on). 000017's per-webhook column had the
--    wrong grain (a webhook has a lane per environment) and was never used.
-- 3. detail: what the event says beyond its type (the state it left the
--    request in, the approvals so far, the reason, the comment, the version),
--    frozen when it happened: a retried delivery says the same thing.

alter table change_request_event
  add column after_version bigint not null default 0,
  add column detail jsonb not null default '{}'::jsonb;

create index change_request_event_environment_idx on change_request_event (environment_key, id);

alter table webhook_cursor add column request_event_id bigint not null default 0;
update webhook_cursor set request_event_id = coalesce((select max(id) from change_request_event), 0);

alter table webhook drop column request_event_cursor;
