-- Up Migration
-- A ramp drives one rollout: the simple case's (strategy_id null), or the
-- flexibleRollout strategy of a state with several that strategy_id names.

alter table rollout_plan add column strategy_id text;
