-- Up Migration
-- A sign-in attempt is recorded as a failure before the password is checked
-- and removed by id when it succeeds (shared/domain/people/sign-in-limits.ts).
alter table sign_in_failure add column id bigint generated always as identity primary key;
