-- Up Migration
-- Time travel from checkpoints: an environment's snapshot lists (flags and
-- segments, exactly as /v1/client/flags had them) at some versions, so that
-- the snapshot as of version V is the nearest checkpoint at or below V plus
-- the events after it, a short run of consecutive rows
-- (shared/domain/history/checkpoints.ts). Derived from change_event alone and
-- never changed once written: losing rows only costs speed (a missing one is
-- built again from the log), so deleting them is always safe.
create table snapshot_checkpoint (
  environment_key text not null references environment (key) on delete cascade,
  version bigint not null check (version >= 0),
  -- json, not jsonb: kept as written (the key order of each object is that of
  -- the change events' JSON, so the snapshot rebuilt from it is byte for byte
  -- the one served then).
  flags json not null,
  segments json not null,
  -- How many flags and segments the lists hold: the spacing to the next
  -- checkpoint, known without reading the lists.
  subjects integer not null check (subjects >= 0),
  created_at timestamptz not null default now(),
  primary key (environment_key, version)
);
