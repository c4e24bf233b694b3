-- Up Migration
-- The change events of a statement on flag_state are written by one INSERT per
-- statement (a statement-level trigger over its transition table) instead of one
-- per row. Per row, each INSERT was its own executor run that planned
-- flagship_state_json and flagship_simple_rollout afresh: importing 200 flags
-- (1,000 new states, one per environment) spent 0.9-1.8 ms per state there, most
-- of the statement. Set-based, the same 1,000 events take tens of milliseconds.
--
-- What the ordering rule needs is kept: versions are still taken per row by
-- _100_take_version under the environment's row lock (held until commit), the
-- events are still written only by a trigger (depth 1, so the guard's depth >= 2
-- holds for the insert), with the same actions, before/after and actor, in the
-- statement's row order; and one NOTIFY per change, as before, each naming its
-- environment and version, sent in that order.

-- A state's event is stamped with the time its version was taken (updated_at,
-- from the environment's clock under its row lock) instead of the guard taking
-- the clock once more: that was a second UPDATE of the environment's row per
-- event, and the rows one transaction updates again and again form a chain each
-- later update walks. An event inserted without a time (a segment's) still
-- takes it from the clock in the guard.
alter table change_event alter column created_at drop default;

create or replace function flagship_change_event_guard() returns trigger
language plpgsql as $$
begin
  if tg_op <> 'INSERT' or pg_trigger_depth() < 2 then
    raise exception 'change_event is written only by the change triggers and never rewritten (the ordering rule)'
      using errcode = 'insufficient_privilege';
  end if;
  -- The event's time follows its version like the state's does.
  if new.created_at is null then
    new.created_at := flagship_environment_clock(new.environment_key);
  end if;
  return new;
end
$$;

drop trigger _500_record_change on flag_state;
drop function flagship_state_record_change();

create function flagship_state_record_changes() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into change_event (environment_key, version, flag_id, flag_key, action, actor, before, after, created_at)
    select n.environment_key, n.version, n.flag_id, f.key, 'created', n.updated_by, null,
           flagship_state_json(n::flag_state, f, false), n.updated_at
      from inserted_states n join flag f on f.id = n.flag_id
     -- The order the rows took their versions in: the event ids follow it.
     order by n.updated_at, n.environment_key, n.version;
    perform pg_notify('flagship_changes', json_build_object('environment', n.environment_key, 'version', n.version)::text)
       from (select environment_key, version from inserted_states order by updated_at, environment_key, version) n;
  else
    insert into change_event (environment_key, version, flag_id, flag_key, action, actor, before, after, created_at)
    select n.environment_key, n.version, n.flag_id, f.key,
           case when f.archived_at is not null then 'archived' else 'updated' end,
           n.updated_by,
           -- Only archiving turns archived on, so the state before any change was live.
           flagship_state_json(o::flag_state, f, false),
           flagship_state_json(n::flag_state, f, f.archived_at is not null), n.updated_at
      from updated_states n
      join replaced_states o on o.flag_id = n.flag_id and o.environment_key = n.environment_key
      join flag f on f.id = n.flag_id
     order by n.updated_at, n.environment_key, n.version;
    perform pg_notify('flagship_changes', json_build_object('environment', n.environment_key, 'version', n.version)::text)
       from (select environment_key, version from updated_states order by updated_at, environment_key, version) n;
  end if;
  return null;
end
$$;

-- A trigger with transition tables serves one event: one for inserts, one for updates.
create trigger _500_record_created
  after insert on flag_state
  referencing new table as inserted_states
  for each statement execute function flagship_state_record_changes();

create trigger _500_record_updated
  after update on flag_state
  referencing old table as replaced_states new table as updated_states
  for each statement execute function flagship_state_record_changes();
