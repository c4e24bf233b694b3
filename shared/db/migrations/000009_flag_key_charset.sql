-- Up Migration
-- Flag keys accept what Unleash accepts, so any Unleash flag imports: case-sensitive
-- letters and digits of any script, emoji, and _ . - ~, 1 to 100 characters. The API's
-- FlagKeySchema (shared/schemas/common.ts) admits exactly those characters; this check is
-- the floor under it that no writer can go below: never a slash (keys travel in URL
-- paths), whitespace, control or bidirectional-override characters, nor a key of only
-- dots (`.` and `..` are path segments that URL parsers resolve away, encoded or not).

alter table flag drop constraint flag_key_format;
alter table flag add constraint flag_key_format check (
  char_length(key) between 1 and 100
  and key !~ '[/\u0001-\u0020\u007f-\u00a0\u1680\u2000-\u200b\u2028-\u202f\u205f\u2066-\u2069\u3000\ufeff]'
  and key !~ '^\.{1,2}$'
);
