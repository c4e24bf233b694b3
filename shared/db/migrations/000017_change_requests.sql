-- Up Migration
-- Change requests and scheduled changes (docs/change-requests.md).
--
-- 1. Protected environments: `protected` and `required_approvals`. The refusal
--    of a direct write by a person is the API's (it knows who asks); the
--    database only holds the setting.
-- 2. Change groups: several changes that commit as ONE environment version.
--    A transaction opens a group with flagship_open_change_group(environment,
--    change request); every flag state and segment change of that environment
--    in the rest of the transaction then shares the one version the first of
--    them takes (flagship_take_environment_version), each still with its own
--    change_event row (one per subject, all with that version, all naming the
--    change request). The version is taken lazily, by the first change that
--    writes, so a group that turns out to change nothing takes none: versions
--    stay gap-free and every version has at least one event. Changes of other
--    environments in the same transaction (a segment is global, an archive
--    touches every environment) take their own versions, as before.
-- 3. change_request, its approvals and comments; a schedule (POST /v1/schedules)
--    is a change request of kind 'schedule' that needs no approval.

alter table environment
  add column protected boolean not null default false,
  add column required_approvals integer not null default 1
    constraint environment_required_approvals check (required_approvals between 1 and 10);

-- A version may now hold several events (a group), one per subject.
alter table change_event drop constraint change_event_environment_key_version_key;
create unique index change_event_version_subject_idx
  on change_event (environment_key, version, coalesce(flag_id::text, 'segment:' || segment_id::text));
alter table change_event add column change_request_id uuid;
create index change_event_change_request_idx on change_event (change_request_id) where change_request_id is not null;

-- Opens a change group for `environment` in the current transaction (see above).
-- Only one group per transaction: the caller applies one request per transaction.
create function flagship_open_change_group(environment text, change_request uuid) returns void
language plpgsql volatile as $$
begin
  if coalesce(current_setting('flagship.change_group', true), '') <> '' then
    raise exception 'a change group is already open in this transaction';
  end if;
  perform set_config('flagship.change_group', environment, true);
  perform set_config('flagship.change_group_taken', '', true);
  perform set_config('flagship.change_request', coalesce(change_request::text, ''), true);
end
$$;

-- The version (and its time) a change of `environment_key` commits as: the
-- environment's next one, under its row lock; inside an open group of that
-- environment, the group's, taken by its first change. Run only from the
-- change triggers (the environment's version guard allows it there alone).
create function flagship_take_environment_version(environment_key text, out version bigint, out at timestamptz)
language plpgsql volatile as $$
declare
  in_group boolean := current_setting('flagship.change_group', true) = environment_key;
  taken text := current_setting('flagship.change_group_taken', true);
begin
  if in_group and coalesce(taken, '') <> '' then
    version := split_part(taken, '|', 1)::bigint;
    at := split_part(taken, '|', 2)::timestamptz;
    return;
  end if;
  update environment e
     set version = e.version + 1,
         last_change_at = greatest(clock_timestamp(), e.last_change_at)
   where e.key = environment_key
  returning e.version, e.last_change_at into version, at;
  if in_group then
    perform set_config('flagship.change_group_taken', version || '|' || at, true);
  end if;
end
$$;

-- Replaces 000014_a's (after 000004_b's): the version comes from flagship_take_environment_version.
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
  select t.version, t.at into new.version, new.updated_at
    from flagship_take_environment_version(new.environment_key) t;
  new.updated_by := flagship_current_actor_json();
  return new;
end
$$;

-- Replaces 000014_a's (after 000003's): each environment's version comes from
-- flagship_take_environment_version (the group's in the group's environment).
create or replace function flagship_segment_record_change() returns trigger
language plpgsql as $$
declare
  target_environment text;
  taken bigint;
  taken_at timestamptz;
  action text := case tg_op when 'INSERT' then 'created' when 'UPDATE' then 'updated' else 'deleted' end;
  subject segment := case when tg_op = 'DELETE' then old else new end;
begin
  for target_environment in select key from environment order by key loop
    select t.version, t.at into taken, taken_at from flagship_take_environment_version(target_environment) t;
    insert into change_event (environment_key, version, segment_id, action, actor, before, after, created_at)
    values (
      target_environment,
      taken,
      subject.id,
      action,
      flagship_current_actor_json(),
      case when tg_op <> 'INSERT' then flagship_segment_json(old, false) end,
      flagship_segment_json(subject, tg_op = 'DELETE'),
      taken_at
    );
    perform pg_notify(
      'flagship_changes',
      json_build_object('environment', target_environment, 'version', taken)::text
    );
  end loop;
  return null;
end
$$;

-- Every event of the group's environment written while a group is open names
-- its change request (the audit log's "each change with the request's id").
create function flagship_change_event_request() returns trigger
language plpgsql as $$
begin
  if current_setting('flagship.change_group', true) = new.environment_key then
    new.change_request_id := nullif(current_setting('flagship.change_request', true), '')::uuid;
  end if;
  return new;
end
$$;

create trigger _060_change_request
  before insert on change_event
  for each row execute function flagship_change_event_request();

create table change_request (
  id uuid primary key default gen_random_uuid(),
  environment_key text not null references environment (key),
  -- 'change-request' (needs approvals where protected) or 'schedule' (POST /v1/schedules).
  kind text not null default 'change-request'
    constraint change_request_kind check (kind in ('change-request', 'schedule')),
  title text not null
    constraint change_request_title_length check (char_length(title) between 1 and 200),
  description text not null default '',
  -- The changes as submitted (shared/schemas/change-requests.ts), in order.
  changes jsonb not null
    constraint change_request_changes_array check (jsonb_typeof(changes) = 'array'),
  -- The version of each subject when the request was opened: {"flag:<key>": v, "segment:<id>": v}.
  base_versions jsonb not null,
  state text not null default 'open'
    constraint change_request_state check (state in ('open', 'approved', 'scheduled', 'applied', 'rejected', 'cancelled', 'conflicted')),
  required_approvals integer not null default 0,
  scheduled_at timestamptz,
  -- Who opened it: an actor ({type, id, name}); author_key is what self-approval compares.
  author jsonb not null,
  author_key text not null,
  applied_version bigint,
  applied_at timestamptz,
  applied_by jsonb,
  closed_by jsonb,
  closed_at timestamptz,
  close_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint change_request_applied check ((state = 'applied') = (applied_at is not null))
);

create index change_request_environment_idx on change_request (environment_key, created_at desc);
-- The worker's reconcile: what is due.
create index change_request_due_idx on change_request (scheduled_at) where state = 'scheduled';

create table change_request_approval (
  change_request_id uuid not null references change_request (id) on delete cascade,
  approver_key text not null,
  approver jsonb not null,
  created_at timestamptz not null default now(),
  -- Each approver counts once.
  primary key (change_request_id, approver_key)
);

create table change_request_comment (
  id bigint generated always as identity primary key,
  change_request_id uuid not null references change_request (id) on delete cascade,
  author jsonb not null,
  body text not null
    constraint change_request_comment_length check (char_length(body) between 1 and 10000),
  created_at timestamptz not null default now()
);

create index change_request_comment_idx on change_request_comment (change_request_id, id);

-- Every state change of a request (opened, approved, applied, ...): the outbox
-- of the change-request webhook events. Never moves an environment version.
create table change_request_event (
  id bigint generated always as identity primary key,
  change_request_id uuid not null references change_request (id) on delete cascade,
  environment_key text not null,
  type text not null,
  actor jsonb not null,
  created_at timestamptz not null default now()
);

-- Each webhook's position in change_request_event (delivered in id order, at least once).
alter table webhook add column request_event_cursor bigint;

-- Replaces 000012's flagship_change_flag_state: identical but for its last query, which
-- reads the new state back by version AND flag (a version of a group holds several events).
create or replace function flagship_change_flag_state(
  change_flag text,
  change_environment text,
  -- null: as it is.
  new_enabled boolean,
  -- null: as it is.
  new_rollout integer,
  -- The flexibleRollout strategy whose rollout to set; null: the simple case's only one.
  rollout_strategy_id text,
  -- If-Match; null: whatever the current version.
  expected_version bigint,
  -- Recorded by the triggers; null: the transaction's (flagship.actor).
  change_actor text,
  -- The ramp whose own step this is (its caller holds the plan's lock); null: not a ramp's step.
  stepping_ramp_id uuid,
  -- {strategies, variants, dependencies}, each whole; null: as they are.
  new_targeting jsonb default null
) returns table (outcome text, state jsonb, problem text)
language plpgsql volatile as $$
declare
  ramp_id uuid;
  ramp_strategy_id text;
  locked flag_state;
  locked_flag flag;
  next_strategies jsonb;
  next_variants jsonb;
  next_dependencies jsonb;
  target_index integer;
  target_problem text;
  target jsonb;
  ramp_from integer;
  ramp_to integer;
  written flag_state;
begin
  if change_actor is not null then
    perform set_config('flagship.actor', change_actor, true);
  end if;

  -- A change that can move a rollout, other than a ramp's own step, pauses the
  -- ramp whose rollout it moves. Its lock comes before the state's, in the
  -- worker's order, so the two never deadlock.
  if (new_rollout is not null or new_targeting is not null) and stepping_ramp_id is null then
    select p.id, p.strategy_id into ramp_id, ramp_strategy_id
      from rollout_plan p join flag f on f.id = p.flag_id
     where f.key = change_flag and p.environment_key = change_environment and p.status in ('scheduled', 'running')
       for update of p;
  end if;

  select s.* into locked
    from flag_state s join flag f on f.id = s.flag_id
   where f.key = change_flag and s.environment_key = change_environment
     for update of s;
  if not found then
    return query select
      case
        when not exists (select 1 from flag where key = change_flag) then 'no-flag'
        when not exists (select 1 from environment where key = change_environment) then 'no-environment'
        else 'no-state'
      end, null::jsonb, null::text;
    return;
  end if;
  -- Read after the state's lock (a fresh snapshot): an archive that held it has committed and is seen.
  select * into locked_flag from flag where id = locked.flag_id;

  if locked_flag.archived_at is not null then
    return query select 'archived', null::jsonb, null::text;
    return;
  end if;
  if expected_version is not null and expected_version <> locked.version then
    return query select 'stale', flagship_state_json(locked, locked_flag, false), null::text;
    return;
  end if;

  if new_targeting is null then
    next_strategies := locked.strategies;
    next_variants := locked.variants;
    next_dependencies := locked.dependencies;
  else
    next_strategies := new_targeting->'strategies';
    next_variants := new_targeting->'variants';
    next_dependencies := new_targeting->'dependencies';
  end if;

  if new_rollout is not null then
    select t.target_index, t.problem into target_index, target_problem
      from flagship_rollout_target(next_strategies, locked_flag.key, rollout_strategy_id) t;
    if target_problem is not null then
      if stepping_ramp_id is null then
        return query select 'no-rollout-target', flagship_state_json(locked, locked_flag, false), target_problem;
        return;
      end if;
      -- The ramp's own step finds nothing to drive (its strategy was removed, or
      -- the state left the simple case, by SQL or before the ramp existed).
      perform flagship_pause_overridden_ramp(stepping_ramp_id, 'configuration', null, null, locked.version);
      return query select 'ramp-paused', flagship_state_json(locked, locked_flag, false), target_problem;
      return;
    end if;
    target := next_strategies->target_index;
    if flagship_rollout_of(target) is distinct from new_rollout then
      next_strategies := jsonb_set(
        next_strategies,
        array[target_index::text],
        target || jsonb_build_object('parameters',
          case when jsonb_typeof(target->'parameters') = 'object' then target->'parameters' else '{}'::jsonb end
          || jsonb_build_object('rollout', new_rollout::text)));
    end if;
  end if;

  if coalesce(new_enabled, locked.enabled) = locked.enabled and next_strategies = locked.strategies
     and next_variants = locked.variants and next_dependencies = locked.dependencies then
    return query select 'unchanged', flagship_state_json(locked, locked_flag, false), null::text;
    return;
  end if;

  -- The triggers take the environment's next version (and its lock), write the event and NOTIFY.
  update flag_state s
     set enabled = coalesce(new_enabled, s.enabled), strategies = next_strategies,
         variants = next_variants, dependencies = next_dependencies
   where s.flag_id = locked.flag_id and s.environment_key = locked.environment_key
  returning s.* into written;

  -- The ramp is paused only when the rollout it drives (the strategy it names,
  -- else the simple case's) is not what it was.
  if ramp_id is not null then
    ramp_from := flagship_rollout_of(locked.strategies ->
      (select t.target_index from flagship_rollout_target(locked.strategies, locked_flag.key, ramp_strategy_id) t));
    ramp_to := flagship_rollout_of(written.strategies ->
      (select t.target_index from flagship_rollout_target(written.strategies, locked_flag.key, ramp_strategy_id) t));
    if ramp_from is distinct from ramp_to then
      perform flagship_pause_overridden_ramp(ramp_id, case when new_targeting is null then 'rollout' else 'configuration' end,
                                             ramp_from, ramp_to, written.version);
    end if;
  end if;

  -- The new state as its event recorded it (the trigger built it with flagship_state_json,
  -- as every read does): read back, not built a second time.
  return query select 'changed', e.after, null::text
    from change_event e
   where e.environment_key = written.environment_key and e.version = written.version and e.flag_id = written.flag_id;
end
$$;
