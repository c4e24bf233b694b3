-- Up Migration
-- The ordering rule, enforced by the schema instead of by convention:
--
-- * environment.version moves only inside the change triggers (taking the next
--   version under the environment's row lock), never by a statement of its own;
-- * change_event rows are written only by those triggers, and never changed or
--   removed (it is the audit log, the replay log and the webhook outbox);
-- * INSERT ... ON CONFLICT on a flag state takes exactly one version when it
--   changes something and none when it does not (the BEFORE INSERT trigger
--   used to take one before the conflict was known: DO NOTHING burned a
--   version, a gap; DO UPDATE took two);
-- * timestamps follow versions: updated_at and created_at come from
--   clock_timestamp() taken under the environment's row lock, never earlier
--   than the environment's previous change (now() is the transaction's start,
--   so a transaction that began first but committed second went back in time).
--
-- "Inside a trigger" is pg_trigger_depth() >= 2 for these guards: the change
-- triggers run at depth 1 and the statements they run fire these at depth 2.
-- A later migration that must rewrite the log disables the guard around it
-- (alter table change_event disable trigger _050_written_by_triggers_only).

alter table environment
  add column last_change_at timestamptz not null default '-infinity';

-- The next moment of an environment's clock: now, or its previous change if the
-- system clock stepped back. Run only under the environment's row lock.
create function flagship_environment_clock(environment_key text) returns timestamptz
language sql volatile as $$
  update environment set last_change_at = greatest(clock_timestamp(), last_change_at)
   where key = environment_key
  returning last_change_at
$$;

create or replace function flagship_state_take_version() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    -- Lock the environment before looking for the row, so that a concurrent
    -- insert of the same state has committed (and is seen) or has not begun.
    perform 1 from environment where key = new.environment_key for no key update;
    if exists (select 1 from flag_state where flag_id = new.flag_id and environment_key = new.environment_key) then
      -- The insert will conflict: DO NOTHING writes nothing and takes no
      -- version; DO UPDATE takes it in the UPDATE trigger; no ON CONFLICT fails.
      return new;
    end if;
  end if;
  update environment
     set version = version + 1,
         last_change_at = greatest(clock_timestamp(), last_change_at)
   where key = new.environment_key
   returning version, last_change_at into new.version, new.updated_at;
  new.updated_by := flagship_current_actor();
  return new;
end
$$;

create function flagship_environment_version_guard() returns trigger
language plpgsql as $$
begin
  if pg_trigger_depth() < 2 and (
    (tg_op = 'INSERT' and new.version <> 0)
    or (tg_op = 'UPDATE' and new.version is distinct from old.version)
  ) then
    raise exception 'environment.version is taken only by the change triggers (the ordering rule)'
      using errcode = 'insufficient_privilege';
  end if;
  return new;
end
$$;

create trigger _050_version_by_triggers_only
  before insert or update on environment
  for each row execute function flagship_environment_version_guard();

create function flagship_change_event_guard() returns trigger
language plpgsql as $$
begin
  if tg_op <> 'INSERT' or pg_trigger_depth() < 2 then
    raise exception 'change_event is written only by the change triggers and never rewritten (the ordering rule)'
      using errcode = 'insufficient_privilege';
  end if;
  -- The event's time follows its version like the state's does.
  new.created_at := flagship_environment_clock(new.environment_key);
  return new;
end
$$;

create trigger _050_written_by_triggers_only
  before insert or update or delete on change_event
  for each row execute function flagship_change_event_guard();

create trigger _050_never_truncated
  before truncate on change_event
  for each statement execute function flagship_change_event_guard();
