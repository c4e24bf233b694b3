-- Up Migration
-- The identity of this database, for everything Redis holds that was derived
-- from it (snapshot caches, invalidation and revocation channels). A database
-- dropped and created again, or restored from a backup into a new database,
-- gets a new identity, so it is never served from the old one's cache. The
-- row is made once, here; the identity also includes the database's oid
-- (databases cloned from one template share the row, not the oid).

create table database_identity (
  id uuid primary key default gen_random_uuid(),
  created_at timestamptz not null default clock_timestamp(),
  -- At most one row.
  singleton boolean not null default true unique constraint database_identity_singleton check (singleton)
);

insert into database_identity default values;
