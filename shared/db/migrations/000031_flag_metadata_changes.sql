-- Up Migration
-- A flag's own fields (description, type, tags, owner) are no part of any
-- state: evaluation never reads them, so changing them bumps no environment
-- version and writes no change_event (000026), and SDKs hear nothing. But
-- people do: such a change is recorded here, who made it and the fields
-- before and after (the audit of metadata), and the admin change stream sends
-- it to every open console, which reads this table after its last id.
--
-- Readers follow the table without any lock on writers: each row keeps the id
-- of the transaction that wrote it (tx), and a reader takes only rows whose
-- tx is below the oldest transaction still running (pg_snapshot_xmin of the
-- current snapshot): those are final, committed or gone, so a cursor in
-- (tx, id) order moved only past them never skips a row that commits late
-- (rows committed beyond it are given at once and remembered). (A
-- global lock taken in this trigger, the first design, made any two
-- transactions editing flags in opposite orders deadlock.)

create table flag_metadata_change (
  id bigint generated always as identity primary key,
  flag_id uuid not null references flag (id) on delete cascade,
  flag_key text not null,
  project_key text not null,
  actor jsonb not null constraint flag_metadata_change_actor_shape check (flagship_is_actor(actor)),
  before jsonb not null,
  after jsonb not null,
  created_at timestamptz not null default now(),
  tx xid8 not null default pg_current_xact_id()
);
create index flag_metadata_change_flag_idx on flag_metadata_change (flag_key, id);
create index flag_metadata_change_tx_idx on flag_metadata_change (tx, id);

create function flagship_flag_metadata_change() returns trigger
  language plpgsql
  as $$
begin
  insert into flag_metadata_change (flag_id, flag_key, project_key, actor, before, after)
  values (
    new.id, new.key, new.project_key, flagship_current_actor_json(),
    jsonb_build_object('description', old.description, 'type', old.type, 'tags', to_jsonb(old.tags), 'owner', old.owner),
    jsonb_build_object('description', new.description, 'type', new.type, 'tags', to_jsonb(new.tags), 'owner', new.owner)
  );
  return null;
end
$$;

create trigger _500_record_metadata_change after update of description, type, tags, owner on flag
  for each row
  when ((old.description, old.type, old.tags, old.owner) is distinct from (new.description, new.type, new.tags, new.owner))
  execute function flagship_flag_metadata_change();
