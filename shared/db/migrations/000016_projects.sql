-- Up Migration
-- Projects: one installation, many teams. A project owns flags and segments;
-- sdk and frontend tokens see only the projects they name. `default` holds
-- everything that existed before; nothing else moves.

create table project (
  key text primary key
    constraint project_key_format check (key ~ '^[a-z0-9][a-z0-9_-]{0,49}$'),
  name text not null
    constraint project_name_length check (char_length(name) between 1 and 100),
  description text not null default ''
    constraint project_description_length check (char_length(description) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

insert into project (key, name, description) values ('default', 'Default', 'Every flag and segment made before projects');

-- The foreign keys keep a project with flags (archived ones too) or segments
-- from being deleted: the API answers 409 first, this is the backstop.
alter table flag add column project_key text not null default 'default' references project (key);
alter table segment add column project_key text not null default 'default' references project (key);
create index flag_project_idx on flag (project_key, key);
create index segment_project_idx on segment (project_key);

-- The projects an sdk or frontend token sees: project keys, or {*} for all
-- (every token that exists, and every token made without a list). Admin
-- tokens are never scoped this way (roles are).
alter table api_token add column projects text[] not null default '{*}';
alter table api_token add constraint api_token_projects_shape check (
  cardinality(projects) between 1 and 100
  and (projects = '{*}' or not ('*' = any (projects)))
  and (kind in ('sdk', 'frontend') or projects = '{*}')
);

-- Each state (and so each snapshot, event and push) says which project its
-- flag is in; each segment says its own.
-- create or replace: flagship_state_json (000003/000012, then 000014_a's actor label) gains 'project'.
create or replace function flagship_state_json(s flag_state, f flag, archived boolean) returns jsonb
  language sql stable
as $$
  select jsonb_build_object(
    'id', f.id,
    'key', f.key,
    'project', f.project_key,
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

-- create or replace: flagship_segment_json (000003) gains 'project'.
create or replace function flagship_segment_json(s segment, deleted boolean) returns jsonb
  language sql stable
as $$
  select jsonb_build_object(
    'id', s.id,
    'name', s.name,
    'project', s.project_key,
    'description', s.description,
    'constraints', s.constraints,
    'createdAt', to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'updatedAt', to_char(s.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'deleted', deleted
  )
$$;

-- Moving a flag is a change of each of its states: one 'updated' event per
-- environment whose `before` says the old project and `after` the new one,
-- so every channel learns of it in version order like any change (a socket
-- that cannot see the new project is sent a removal). The statement trigger
-- reads the flag as it is now (the new project); the old one travels in a
-- transaction setting for the length of the states' update.
create function flagship_flag_move_states() returns trigger
  language plpgsql
as $$
begin
  perform set_config('flagship.moved_from', old.project_key, true);
  update flag_state set version = version where flag_id = new.id;
  perform set_config('flagship.moved_from', '', true);
  return null;
end
$$;

create trigger _500_move_states after update of project_key on flag
  for each row when (old.project_key is distinct from new.project_key)
  execute function flagship_flag_move_states();

-- create or replace: flagship_state_record_changes (000011) — the one change
-- is `before`'s project during a move (flagship.moved_from).
create or replace function flagship_state_record_changes() returns trigger
  language plpgsql
as $$
declare
  moved_from text := nullif(current_setting('flagship.moved_from', true), '');
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
           case when moved_from is null then flagship_state_json(o::flag_state, f, false)
                else flagship_state_json(o::flag_state, f, false) || jsonb_build_object('project', moved_from) end,
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
