-- Up Migration
-- Unleash SDKs and stale-flag hints: a `frontend` token kind for code on users'
-- devices (environment-scoped, evaluated answers only), evaluation counts per
-- flag, environment and hour, when each flag was last evaluated, and a flag type
-- with Unleash's expected lifetimes.

alter table api_token drop constraint api_token_kind;
alter table api_token add constraint api_token_kind check (kind in ('admin', 'sdk', 'frontend'));
alter table api_token drop constraint api_token_environment_for_sdk;
-- sdk and frontend tokens see exactly one environment; admin tokens none.
alter table api_token add constraint api_token_environment_for_sdk
  check ((kind in ('sdk', 'frontend')) = (environment_key is not null));

-- Unleash's flag types. The expected lifetimes (release and experiment 40 days,
-- operational 7, kill-switch and permission never) live in code, next to the rule
-- that reads them (services/api/usage/stale-flags.ts).
alter table flag add column type text not null default 'release'
  constraint flag_type_known check (type in ('release', 'experiment', 'operational', 'kill-switch', 'permission'));

-- One row per flag, environment and hour with evaluations in it. Bounded: rows
-- older than the retention are deleted as new ones are written, and only flags
-- that exist are counted (SDKs report whatever names their code asks for).
create table flag_usage (
  flag_id uuid not null references flag (id),
  environment_key text not null references environment (key),
  hour timestamptz not null
    constraint flag_usage_whole_hour check (hour = date_trunc('hour', hour, 'UTC')),
  yes bigint not null default 0 constraint flag_usage_yes_count check (yes >= 0),
  no bigint not null default 0 constraint flag_usage_no_count check (no >= 0),
  -- { "<variant name>": count }; at most a few dozen names per row (the writer caps them).
  variants jsonb not null default '{}'::jsonb,
  primary key (flag_id, environment_key, hour)
);

create index flag_usage_hour_idx on flag_usage (hour);

-- When a flag was last evaluated in an environment, kept apart from flag_state:
-- writing it there would run the state triggers (a new version, an event, a push)
-- on every flush. One row per flag and environment, so it outlives the usage retention.
create table flag_last_seen (
  flag_id uuid not null references flag (id),
  environment_key text not null references environment (key),
  last_seen_at timestamptz not null,
  primary key (flag_id, environment_key)
);
