-- Time travel reads the change log by subject: the snapshot of an environment
-- at version V is, for each flag and segment, its last event at or before V
-- (shared/domain/history/history-repository.ts). One index probe per subject
-- instead of a scan of the whole log, whatever its length.
create index change_event_flag_version_idx
  on change_event (environment_key, flag_id, version)
  where flag_id is not null;

create index change_event_segment_version_idx
  on change_event (environment_key, segment_id, version)
  where segment_id is not null;

-- `asOf=<time>`: the last version of an environment committed at or before a
-- time. created_at follows version within an environment (the environment
-- clock never goes back), so this index answers it with one probe.
create index change_event_time_idx
  on change_event (environment_key, created_at, version);
