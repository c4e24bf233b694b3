-- Up Migration
-- Tags and an owner on flags, so a team can ask "which flags do we own, and
-- which of them are stale". Neither is part of any state: SDKs never see them,
-- and changing them writes no change event (like the description and type).

-- Tags: a short word each (the API's TagSchema says which), at most 20, no repeats.
alter table flag add column tags text[] not null default '{}'
  constraint flag_tags_count check (cardinality(tags) <= 20)
  constraint flag_tags_format check (array_to_string(tags, ' ') ~ '^([a-z0-9][a-z0-9._:/-]{0,49}( |$))*$');
-- The owner: a team's name or a person's email, as people write it; null: nobody yet.
alter table flag add column owner text
  constraint flag_owner_length check (owner is null or char_length(owner) between 1 and 100);

-- The list filters by tag (tags @> array[...]) and by owner.
create index flag_tags_idx on flag using gin (tags);
create index flag_owner_idx on flag (owner, key) where owner is not null;
