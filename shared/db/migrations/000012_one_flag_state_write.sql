-- Up Migration
-- The one write path of a flag state. Every change of a state (PATCH, PUT, the
-- build guide's POST, the Unleash import, a ramp step) is one call of
-- flagship_change_flag_state, and each rule of such a change lives here only:
-- the lock order (ramp, then state), archived and stale refusals, which
-- strategy a rollout moves (flagship_rollout_target), the rollout format
-- (flagship_rollout_of), "unchanged", and pausing a ramp the change overrides
-- with its one reason text (flagship_pause_overridden_ramp). Input checks that
-- are not about the stored state (strategy ids, the size bound, references)
-- stay with the service that reads the request: shared/domain/flags/.
--
-- It replaces migration 000010's version, which took no whole targeting: PUT
-- and the import ran the same rules again in TypeScript.

drop function flagship_change_flag_state(text, text, boolean, integer, text, bigint, text, uuid);

-- A strategy's rollout: a whole percentage kept as a string parameter, as Unleash keeps it; null otherwise.
create function flagship_rollout_of(strategy jsonb) returns integer
language sql immutable as $$
  select case when strategy->'parameters'->>'rollout' ~ '^(100|[1-9]?[0-9])$'
              then (strategy->'parameters'->>'rollout')::integer end
$$;

-- The strategy a rollout change moves, or a ramp drives (a 0-based position in
-- strategies): the flexibleRollout strategy strategy_id names, else the simple
-- case's only one. When there is none, problem says why:
--   no-such-strategy      no strategy has that id;
--   not-flexible-rollout  the named one has no rollout;
--   not-simple            none was named and the state is not the simple case.
create function flagship_rollout_target(strategies jsonb, flag_key text, strategy_id text,
                                        out target_index integer, out problem text)
language plpgsql immutable as $$
begin
  if strategy_id is not null then
    select e.position - 1 into target_index
      from jsonb_array_elements(strategies) with ordinality as e (strategy, position)
     where e.strategy->'id' = to_jsonb(strategy_id)
     order by e.position
     limit 1;
    if target_index is null then
      problem := 'no-such-strategy';
    elsif strategies->target_index->>'name' is distinct from 'flexibleRollout' then
      target_index := null;
      problem := 'not-flexible-rollout';
    end if;
  elsif flagship_simple_rollout(strategies, flag_key) is null then
    problem := 'not-simple';
  else
    target_index := 0;
  end if;
end
$$;

-- Pauses a ramp because a change that is not its own step moved (or took away)
-- the rollout it drives. The one place its reason is worded; the transaction's
-- actor is recorded as who.
create function flagship_pause_overridden_ramp(ramp_id uuid, what text, from_rollout integer,
                                               to_rollout integer, at_version bigint) returns void
language sql volatile as $$
  update rollout_plan
     set status = 'paused',
         stop_reason = format('manual change of the %s from %s%% to %s (version %s)',
                              what, coalesce(from_rollout::text, '?'),
                              coalesce(to_rollout || '%', 'a rollout the ramp cannot drive'), at_version),
         stopped_by = flagship_current_actor(), stopped_at = now(), updated_at = now()
   where id = ramp_id
$$;

-- A change of a state in one call: it names the actor, locks what it changes,
-- checks, writes and pauses a ramp it overrides, all inside the one statement.
-- Called on its own (no BEGIN, no COMMIT) the statement is the transaction: the
-- environment's row lock, which the version trigger takes and holds until
-- commit, is held for the trigger's work and the commit only, never across a
-- round trip to the caller. Inside a transaction (PUT, the import, a ramp step
-- holding its plan's lock) it is one statement of it.
--
-- The desired state: new_targeting (PUT-style, the whole strategies, variants
-- and dependencies) or the state's own, then new_enabled and new_rollout
-- (PATCH-style) on top of it.
--
-- It answers an outcome the service (shared/domain/flags/flag-state-service.ts)
-- maps to an answer, the state where the answer needs it, and a problem:
--   no-flag, no-environment, no-state   nothing to change (404, naming which);
--   archived                            the flag is archived (409);
--   stale                               expected_version is not the current one (412),
--                                       with the state as it is;
--   no-rollout-target                   no rollout to move (400), with the state as it
--                                       is and the problem (see flagship_rollout_target);
--   ramp-paused                         a ramp's own step found no rollout to drive: the
--                                       ramp is paused, saying so; nothing else written;
--   unchanged                           it asked for what is already there: nothing
--                                       written, the state as it is;
--   changed                             written: one version, one event, one NOTIFY; the
--                                       new state.
-- It writes nothing to the state unless the outcome is `changed`.
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
   where e.environment_key = written.environment_key and e.version = written.version;
end
$$;
