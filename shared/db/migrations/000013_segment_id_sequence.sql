-- An import could give a segment an id up to 2147483647 and move the id
-- sequence there: at its maximum, every later segment creation failed. Imports
-- now keep ids of at most 1,000,000,000 (MAX_IMPORTED_SEGMENT_ID). A sequence
-- an older import left beyond that goes back to the highest id at or below the
-- bound: the ids between are free, and the imported ids above are reached only
-- after a billion creations.
select setval(
  pg_get_serial_sequence('segment', 'id'),
  coalesce((select max(id) from segment where id <= 1000000000), 1),
  exists (select 1 from segment where id <= 1000000000)
)
where pg_sequence_last_value(pg_get_serial_sequence('segment', 'id')::regclass) > 1000000000;
