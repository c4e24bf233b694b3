-- Up Migration
-- Webhooks: subscriptions, a delivery cursor per (webhook, environment) over
-- change_event versions, and a bounded log of delivery attempts. PostgreSQL is
-- the outbox: a subscription's progress is its cursors, so a worker killed
-- mid-delivery or a flushed Redis loses and reorders nothing.

create table webhook (
  id uuid primary key default gen_random_uuid(),
  url text not null,
  description text not null default '',
  format text not null default 'json'
    constraint webhook_format check (format in ('json', 'slack')),
  -- null: every environment / every flag.
  environments text[],
  flags text[],
  enabled boolean not null default true,
  -- Standard Webhooks signs with HMAC-SHA256, a symmetric key: the worker needs
  -- the secret itself, so it cannot be stored hashed. It is never returned
  -- after creation (or rotation) and never logged.
  signing_secret text not null,
  -- After a rotation the previous secret also signs until it expires, so
  -- receivers can switch without dropping a delivery.
  previous_signing_secret text,
  previous_secret_expires_at timestamptz,
  -- Set when the worker disabled the webhook after failing too long; cleared when re-enabled.
  disabled_reason text,
  disabled_at timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table webhook_cursor (
  webhook_id uuid not null references webhook (id) on delete cascade,
  environment_key text not null references environment (key),
  -- The environment version of the last event this webhook accepted (2xx), or
  -- where it started: the next delivery is the first matching event after it.
  version bigint not null,
  -- Consecutive failed attempts at the event after `version`, since first_failure_at.
  failures integer not null default 0,
  first_failure_at timestamptz,
  next_attempt_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (webhook_id, environment_key)
);

create table webhook_delivery (
  id bigint generated always as identity primary key,
  webhook_id uuid not null references webhook (id) on delete cascade,
  -- The webhook-id header: the same on every attempt at one event.
  message_id text not null,
  type text not null,
  -- null for a ping.
  event_id bigint,
  environment_key text,
  version bigint,
  attempt integer not null,
  status_code integer,
  latency_ms integer not null,
  error text,
  -- At most 1 KB of what the receiver answered.
  response_body text,
  created_at timestamptz not null default now()
);

-- Newest first per webhook (the API's list), and the pruning that keeps it bounded.
create index webhook_delivery_webhook_idx on webhook_delivery (webhook_id, id desc);
