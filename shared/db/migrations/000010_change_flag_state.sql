-- Up Migration
-- A change of a state's `enabled` and/or rollout (PATCH, and every ramp step) in
-- one call: it names the actor, locks what it changes, checks, writes and pauses
-- a ramp it overrides, all inside the one statement. Called on its own (no BEGIN,
-- no COMMIT) the statement is the transaction: the environment's row lock, which
-- the version trigger takes and holds until commit, is held for the trigger's
-- work and the commit only, never across a round trip to the caller. Inside a
-- transaction (a ramp step holds its plan's lock) it is one statement of it.
--
-- It answers an outcome the service layer (shared/targeting/flag-state-changes.ts)
-- maps to an answer, and the state where the answer needs it:
--   no-flag, no-environment, no-state   nothing to change (404, naming which);
--   archived                            the flag is archived (409);
--   stale                               expected_version is not the current one (412),
--                                       with the state as it is;
--   no-rollout-target                   the rollout names no flexibleRollout strategy of
--                                       this state, or the state is not the simple case
--                                       and none was named (400, with the state as it is,
--                                       from which the service says why);
--   unchanged                           it asked for what is already there: nothing
--                                       written, the state as it is;
--   changed                             written: one version, one event, one NOTIFY; the
--                                       new state.
-- It writes nothing unless the outcome is `changed`.

create function flagship_change_flag_state(
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
  -- The ramp whose own step this is (its caller holds the plan's lock); null: a manual change.
  stepping_ramp_id uuid
) returns table (outcome text, state jsonb)
language plpgsql volatile as $$
declare
  ramp_id uuid;
  ramp_strategy_id text;
  locked flag_state;
  locked_flag flag;
  -- The strategy the rollout change moves (a 0-based position in strategies) and its rollout now.
  target_index integer;
  target jsonb;
  from_rollout integer;
  moves_rollout boolean := false;
  next_strategies jsonb;
  written flag_state;
begin
  if change_actor is not null then
    perform set_config('flagship.actor', change_actor, true);
  end if;

  -- A manual change of the rollout pauses the ramp running on this state. Its
  -- lock comes before the state's, in the worker's order, so the two never deadlock.
  if new_rollout is not null and stepping_ramp_id is null then
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
      end, null::jsonb;
    return;
  end if;
  -- Read after the state's lock (a fresh snapshot): an archive that held it has committed and is seen.
  select * into locked_flag from flag where id = locked.flag_id;

  if locked_flag.archived_at is not null then
    return query select 'archived', null::jsonb;
    return;
  end if;
  if expected_version is not null and expected_version <> locked.version then
    return query select 'stale', flagship_state_json(locked, locked_flag, false);
    return;
  end if;

  next_strategies := locked.strategies;
  if new_rollout is not null then
    if rollout_strategy_id is not null then
      select e.position - 1 into target_index
        from jsonb_array_elements(locked.strategies) with ordinality as e (strategy, position)
       where e.strategy->'id' = to_jsonb(rollout_strategy_id)
       order by e.position
       limit 1;
      if target_index is null or locked.strategies->target_index->>'name' is distinct from 'flexibleRollout' then
        return query select 'no-rollout-target', flagship_state_json(locked, locked_flag, false);
        return;
      end if;
    elsif flagship_simple_rollout(locked.strategies, locked_flag.key) is null then
      return query select 'no-rollout-target', flagship_state_json(locked, locked_flag, false);
      return;
    else
      target_index := 0;
    end if;
    target := locked.strategies->target_index;
    -- A rollout is a whole percentage kept as a string parameter, as Unleash keeps it.
    from_rollout := case when target->'parameters'->>'rollout' ~ '^(100|[1-9]?[0-9])$'
                         then (target->'parameters'->>'rollout')::integer end;
    moves_rollout := from_rollout is distinct from new_rollout;
    if moves_rollout then
      next_strategies := jsonb_set(
        locked.strategies,
        array[target_index::text],
        target || jsonb_build_object('parameters',
          case when jsonb_typeof(target->'parameters') = 'object' then target->'parameters' else '{}'::jsonb end
          || jsonb_build_object('rollout', new_rollout::text)));
    end if;
  end if;

  if coalesce(new_enabled, locked.enabled) = locked.enabled and not moves_rollout then
    return query select 'unchanged', flagship_state_json(locked, locked_flag, false);
    return;
  end if;

  -- The triggers take the environment's next version (and its lock), write the event and NOTIFY.
  update flag_state s
     set enabled = coalesce(new_enabled, s.enabled), strategies = next_strategies
   where s.flag_id = locked.flag_id and s.environment_key = locked.environment_key
  returning s.* into written;

  -- The ramp is paused only when it drives the strategy this moved: the one it
  -- names, else the simple case's.
  if ramp_id is not null and moves_rollout and target_index = (
    case
      when ramp_strategy_id is not null then (
        select e.position - 1
          from jsonb_array_elements(locked.strategies) with ordinality as e (strategy, position)
         where e.strategy->'id' = to_jsonb(ramp_strategy_id)
         order by e.position
         limit 1)
      when flagship_simple_rollout(locked.strategies, locked_flag.key) is not null then 0
    end
  ) then
    update rollout_plan
       set status = 'paused',
           stop_reason = format('manual change of the rollout from %s%% to %s%% (version %s)',
                                coalesce(from_rollout::text, '?'), new_rollout, written.version),
           stopped_by = flagship_current_actor(), stopped_at = now(), updated_at = now()
     where id = ramp_id;
  end if;

  -- The new state as its event recorded it (the trigger built it with flagship_state_json,
  -- as every read does): read back, not built a second time.
  return query select 'changed', e.after
    from change_event e
   where e.environment_key = written.environment_key and e.version = written.version;
end
$$;
