-- Up Migration
-- FlagShip's data: environments, flags, per-environment flag states, the change
-- log written by triggers, rollout plans and API tokens. Forward-only.

create table environment (
  key text primary key
    constraint environment_key_format check (key ~ '^[a-z0-9][a-z0-9_-]{0,49}$'),
  -- Bumped by exactly one for every change to any flag state in this
  -- environment, under this row's lock: versions are gap-free and in commit order.
  version bigint not null default 0,
  created_at timestamptz not null default now()
);

insert into environment (key) values ('dev'), ('staging'), ('prod');

create table flag (
  id uuid primary key default gen_random_uuid(),
  key text not null unique
    constraint flag_key_format check (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
  description text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);

create table flag_state (
  flag_id uuid not null references flag (id),
  environment_key text not null references environment (key),
  enabled boolean not null default false,
  rollout integer not null default 100
    constraint flag_state_rollout_range check (rollout between 0 and 100),
  -- The environment version of this state's last change (set by trigger).
  version bigint not null default 0,
  updated_at timestamptz not null default now(),
  updated_by text not null default 'system',
  primary key (flag_id, environment_key)
);

create index flag_state_environment_idx on flag_state (environment_key);

create table change_event (
  id bigint generated always as identity primary key,
  environment_key text not null references environment (key),
  version bigint not null,
  flag_id uuid not null references flag (id),
  flag_key text not null,
  action text not null
    constraint change_event_action check (action in ('created', 'updated', 'archived')),
  actor text not null,
  before jsonb,
  after jsonb not null,
  created_at timestamptz not null default now(),
  unique (environment_key, version)
);

create index change_event_flag_idx on change_event (flag_key, id);

create table rollout_plan (
  id uuid primary key default gen_random_uuid(),
  flag_id uuid not null references flag (id),
  environment_key text not null references environment (key),
  status text not null default 'scheduled'
    constraint rollout_plan_status check (status in ('scheduled', 'running', 'paused', 'completed', 'cancelled')),
  -- Index into rollout_step.position of the next step to apply.
  current_step integer not null default 0,
  created_by text not null,
  stop_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- At most one ramp drives a flag in an environment at a time.
create unique index rollout_plan_one_active_idx
  on rollout_plan (flag_id, environment_key)
  where status in ('scheduled', 'running', 'paused');

create table rollout_step (
  plan_id uuid not null references rollout_plan (id) on delete cascade,
  position integer not null,
  rollout integer not null
    constraint rollout_step_rollout_range check (rollout between 0 and 100),
  planned_at timestamptz not null,
  applied_at timestamptz,
  primary key (plan_id, position)
);

create table api_token (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  kind text not null constraint api_token_kind check (kind in ('admin', 'sdk')),
  environment_key text references environment (key),
  -- SHA-256 of the secret: secrets are 256-bit random, so a fast hash is enough
  -- (no dictionary to slow down), and lookup by hash stays a unique-index probe.
  secret_hash text not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  constraint api_token_environment_for_sdk check ((kind = 'sdk') = (environment_key is not null))
);

-- The actor of a change travels in the transaction as the setting flagship.actor
-- (set_config(..., true)), so every path that writes a state names who did it.
create function flagship_current_actor() returns text
language sql stable as $$
  select coalesce(nullif(current_setting('flagship.actor', true), ''), 'system')
$$;

-- Takes the environment's next version under its row lock. The lock is held
-- until commit, so a later version can never commit before an earlier one.
create function flagship_state_take_version() returns trigger
language plpgsql as $$
begin
  update environment set version = version + 1
    where key = new.environment_key
    returning version into new.version;
  new.updated_at := now();
  new.updated_by := flagship_current_actor();
  return new;
end
$$;

create trigger _100_take_version
  before insert or update on flag_state
  for each row execute function flagship_state_take_version();

create function flagship_state_json(s flag_state, f flag, archived boolean) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', f.id,
    'key', f.key,
    'environment', s.environment_key,
    'enabled', s.enabled,
    'rollout', s.rollout,
    'version', s.version,
    'updatedAt', to_char(s.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'updatedBy', s.updated_by,
    'archived', archived
  )
$$;

-- Writes the change event (the audit and replay log) and the NOTIFY hint in
-- the same transaction as the change. The payload stays tiny; listeners read
-- the event table, which is the truth.
create function flagship_state_record_change() returns trigger
language plpgsql as $$
declare
  changed_flag flag;
  action text;
begin
  select * into changed_flag from flag where id = new.flag_id;
  if tg_op = 'INSERT' then
    action := 'created';
  elsif changed_flag.archived_at is not null then
    action := 'archived';
  else
    action := 'updated';
  end if;

  insert into change_event (environment_key, version, flag_id, flag_key, action, actor, before, after)
  values (
    new.environment_key,
    new.version,
    new.flag_id,
    changed_flag.key,
    action,
    new.updated_by,
    -- Only archiving turns archived on, so the state before any change was live.
    case when tg_op = 'UPDATE' then flagship_state_json(old, changed_flag, false) end,
    flagship_state_json(new, changed_flag, action = 'archived')
  );

  perform pg_notify(
    'flagship_changes',
    json_build_object('environment', new.environment_key, 'version', new.version)::text
  );
  return null;
end
$$;

create trigger _500_record_change
  after insert or update on flag_state
  for each row execute function flagship_state_record_change();

-- Archiving a flag is a change in every environment: touching its states runs
-- the state triggers, which record an 'archived' event per environment.
create function flagship_flag_archive_states() returns trigger
language plpgsql as $$
begin
  update flag_state set version = version where flag_id = new.id;
  return null;
end
$$;

create trigger _500_archive_states
  after update of archived_at on flag
  for each row
  when (old.archived_at is null and new.archived_at is not null)
  execute function flagship_flag_archive_states();
