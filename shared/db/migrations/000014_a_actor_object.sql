-- Up Migration
-- Who made a change becomes an object, { type, id, name, email? }
-- (shared/domain/people/principal.ts, Actor): a user, a token, a ramp, a
-- schedule, a change request or the system. change_event.actor and
-- flag_state.updated_by hold it as jsonb; the transaction setting
-- flagship.actor carries it as JSON text. The old string (`token:<name>`,
-- `rollout:<plan id>`, `system`) stays readable as `updatedBy` and in
-- rollout_plan/webhook *_by columns, derived by flagship_actor_label.

-- What an actor string written before this migration (or a setting that is
-- not JSON) names. The only reader of the old format.
create function flagship_actor_of_text(legacy text) returns jsonb
language sql stable as $$
  select case
    when legacy is null or legacy in ('', 'system') then
      jsonb_build_object('type', 'system', 'id', 'system', 'name', 'system')
    when legacy like 'token:%' then
      jsonb_build_object(
        'type', 'token',
        'id', coalesce((select t.id::text from api_token t where t.name = substr(legacy, 7) order by t.created_at desc limit 1),
                       substr(legacy, 7)),
        'name', substr(legacy, 7))
    when legacy like 'rollout:%' then
      jsonb_build_object('type', 'ramp', 'id', substr(legacy, 9), 'name', 'ramp ' || substr(legacy, 9))
    else jsonb_build_object('type', 'system', 'id', legacy, 'name', legacy)
  end
$$;

-- The actor as one string (`updatedBy`, ramps' createdBy/stoppedBy):
-- `token:<name>`, `rollout:<plan id>`, `user:<email>`, `<type>:<name>`, `system`.
create function flagship_actor_label(actor jsonb) returns text
language sql immutable as $$
  select case actor->>'type'
    when 'system' then 'system'
    when 'ramp' then 'rollout:' || (actor->>'id')
    when 'user' then 'user:' || coalesce(actor->>'email', actor->>'name')
    else (actor->>'type') || ':' || (actor->>'name')
  end
$$;

-- Whether a value is an actor object: the triggers refuse to record anything else.
create function flagship_is_actor(actor jsonb) returns boolean
language sql immutable as $$
  select jsonb_typeof(actor) = 'object'
     and actor->>'type' in ('user', 'token', 'ramp', 'schedule', 'change-request', 'system')
     and jsonb_typeof(actor->'id') = 'string'
     and jsonb_typeof(actor->'name') = 'string'
     and (not actor ? 'email' or jsonb_typeof(actor->'email') = 'string')
$$;

-- The transaction's actor (set_config('flagship.actor', '<json>', true)); the system when none.
create function flagship_current_actor_json() returns jsonb
language plpgsql stable as $$
declare
  setting text := nullif(current_setting('flagship.actor', true), '');
begin
  if setting like '{%' then
    -- Malformed JSON fails the change: an unnamed change is never recorded silently.
    return setting::jsonb;
  end if;
  return flagship_actor_of_text(setting);
end
$$;

-- Replaced (same signature): the label of the transaction's actor, for the text *_by columns.
create or replace function flagship_current_actor() returns text
language sql stable as $$
  select flagship_actor_label(flagship_current_actor_json())
$$;

alter table change_event
  alter column actor type jsonb using flagship_actor_of_text(actor),
  add constraint change_event_actor_shape check (flagship_is_actor(actor));

alter table flag_state
  alter column updated_by drop default,
  alter column updated_by type jsonb using flagship_actor_of_text(updated_by),
  alter column updated_by set default '{"type": "system", "id": "system", "name": "system"}'::jsonb,
  add constraint flag_state_updated_by_shape check (flagship_is_actor(updated_by));

-- Replaced: updatedBy is the actor's label, as before.
create or replace function flagship_state_json(s flag_state, f flag, archived boolean) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', f.id,
    'key', f.key,
    'environment', s.environment_key,
    'enabled', s.enabled,
    'rollout', flagship_simple_rollout(s.strategies, f.key),
    'strategies', s.strategies,
    'variants', s.variants,
    'dependencies', s.dependencies,
    'version', s.version,
    'updatedAt', to_char(s.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'updatedBy', flagship_actor_label(s.updated_by),
    'archived', archived
  )
$$;

-- Replaced: records the actor object (flagship_state_record_changes copies it into the event).
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
  new.updated_by := flagship_current_actor_json();
  return new;
end
$$;

-- Replaced: records the actor object.
create or replace function flagship_segment_record_change() returns trigger
language plpgsql as $$
declare
  target_environment text;
  taken bigint;
  action text := case tg_op when 'INSERT' then 'created' when 'UPDATE' then 'updated' else 'deleted' end;
  subject segment := case when tg_op = 'DELETE' then old else new end;
begin
  for target_environment in select key from environment order by key loop
    update environment set version = version + 1
      where key = target_environment
      returning version into taken;
    insert into change_event (environment_key, version, segment_id, action, actor, before, after)
    values (
      target_environment,
      taken,
      subject.id,
      action,
      flagship_current_actor_json(),
      case when tg_op <> 'INSERT' then flagship_segment_json(old, false) end,
      flagship_segment_json(subject, tg_op = 'DELETE')
    );
    perform pg_notify(
      'flagship_changes',
      json_build_object('environment', target_environment, 'version', taken)::text
    );
  end loop;
  return null;
end
$$;
