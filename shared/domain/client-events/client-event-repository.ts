import type { Queryable } from '../../db/pool.js';

/** One row's worth of counts: a flag, variant, event and minute of one app. */
export interface MinuteCounts {
  flag: string;
  variant: string;
  event: string;
  /** The start of the minute (UTC). */
  minute: Date;
  count: number;
  /** Null when no bucket of the row carried a sum. */
  sum: number | null;
}

/** One app batch of a group written together: its environment, app, id and rows. */
export interface BatchRows {
  environment: string;
  appName: string;
  batchId: string | undefined;
  rows: MinuteCounts[];
}

/**
 * Adds many batches' counts to the per-minute rows in one statement (a group
 * commit): each batch id is claimed first, and a batch whose id was counted
 * before adds nothing. Rows of the same key are added together before the
 * upsert, which writes them in key order (concurrent writers lock rows in the
 * same order). Names that are not a flag are skipped; a batch id given
 * twice counts once. Returns, per batch (by index), whether it was a
 * duplicate and how many of its rows name a flag.
 */
export async function addClientEventBatches(db: Queryable, batches: BatchRows[]): Promise<Array<{ duplicate: boolean; stored: number }>> {
  const heads = batches.map((batch, index) => ({ idx: index, batchId: batch.batchId ?? null, environment: batch.environment }));
  // Built field by field with each minute's text made once: a group holds thousands of rows, and
  // spreading each and letting JSON.stringify call Date#toJSON per row was most of this function's time.
  const minuteText = new Map<number, string>();
  const rows: object[] = [];
  batches.forEach((batch, index) => {
    for (const row of batch.rows) {
      const at = row.minute.getTime();
      let minute = minuteText.get(at);
      if (minute === undefined) minuteText.set(at, (minute = row.minute.toISOString()));
      rows.push({ idx: index, environment: batch.environment, app: batch.appName, flag: row.flag, variant: row.variant, event: row.event, minute, count: row.count, sum: row.sum });
    }
  });
  const { rows: result } = await db.query<{ idx: number; admitted: boolean; stored: number }>(
    `with heads as (
       select * from jsonb_to_recordset($1::jsonb) as h(idx int, "batchId" uuid, environment text)
     ),
     claimed as (
       insert into client_event_batch (batch_id, environment_key)
       select "batchId", environment from heads where "batchId" is not null
       on conflict (batch_id) do nothing
       returning batch_id
     ),
     -- A batch id given twice in one call counts once: its first copy.
     admitted as (
       select idx from heads h
        where "batchId" is null
           or ("batchId" in (select batch_id from claimed)
               and idx = (select min(idx) from heads twin where twin."batchId" = h."batchId"))
     ),
     given as (
       select g.*, f.id as flag_id
         from jsonb_to_recordset($2::jsonb)
           as g(idx int, environment text, app text, flag text, variant text, event text, minute timestamptz, count bigint, sum double precision)
         join flag f on f.key = g.flag
     ),
     summed as (
       select environment, flag_id, minute, variant, event, app, sum(count) as count, sum(sum) as sum
         from given where idx in (select idx from admitted)
        group by environment, flag_id, minute, variant, event, app
     ),
     stored as (
       insert into client_event_minute as c (environment_key, flag_id, minute, variant, event, app_name, count, sum)
       select environment, flag_id, minute, variant, event, app, count, sum from summed
        order by environment, flag_id, minute, variant, event, app
       on conflict (environment_key, flag_id, minute, variant, event, app_name) do update
         set count = c.count + excluded.count,
             sum = case when c.sum is null and excluded.sum is null then null
                        else coalesce(c.sum, 0) + coalesce(excluded.sum, 0) end
       returning 1
     )
     select h.idx,
            exists (select 1 from admitted a where a.idx = h.idx) as admitted,
            (select count(*) from given g where g.idx = h.idx)::int as stored,
            (select count(*) from stored) as written
       from heads h order by h.idx`,
    [JSON.stringify(heads), JSON.stringify(rows)],
  );
  return result.map((row) => ({ duplicate: !row.admitted, stored: row.admitted ? row.stored : 0 }));
}

/** Deletes minute rows older than `before` and batch ids older than `batchesBefore`: the tables' size bound. */
export async function deleteClientEventsBefore(db: Queryable, before: Date, batchesBefore: Date): Promise<{ minutes: number; batches: number }> {
  const minutes = await db.query(`delete from client_event_minute where minute < $1`, [before]);
  const batches = await db.query(`delete from client_event_batch where received_at < $1`, [batchesBefore]);
  return { minutes: minutes.rowCount ?? 0, batches: batches.rowCount ?? 0 };
}

/** One minute of a flag's counts of one event, split into the treatment and control arms (all apps together). */
export interface ArmMinute {
  minute: string;
  treatmentExposures: number;
  treatmentEvents: number;
  controlExposures: number;
  controlEvents: number;
}

/**
 * A flag's exposures and `event` counts per minute since `since` (its minute
 * included) in one environment, split by arm: control is the variants in
 * `controlVariants` (off), treatment every other one, oldest first.
 */
export async function listArmMinutes(
  db: Queryable,
  query: { environment: string; flagKey: string; event: string; since: Date; exposureEvent: string; controlVariants: readonly string[] },
): Promise<ArmMinute[]> {
  const { rows } = await db.query<ArmMinute>(
    `select to_char(c.minute at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as minute,
            coalesce(sum(c.count) filter (where c.event = $4 and not (c.variant = any($6::text[]))), 0)::float8 as "treatmentExposures",
            coalesce(sum(c.count) filter (where c.event = $3 and not (c.variant = any($6::text[]))), 0)::float8 as "treatmentEvents",
            coalesce(sum(c.count) filter (where c.event = $4 and c.variant = any($6::text[])), 0)::float8 as "controlExposures",
            coalesce(sum(c.count) filter (where c.event = $3 and c.variant = any($6::text[])), 0)::float8 as "controlEvents"
       from client_event_minute c join flag f on f.id = c.flag_id
      where c.environment_key = $1 and f.key = $2 and c.event in ($3, $4)
        and c.minute >= date_trunc('minute', $5::timestamptz, 'UTC')
      group by c.minute
      order by c.minute`,
    [query.environment, query.flagKey, query.event, query.exposureEvent, query.since, query.controlVariants],
  );
  return rows;
}
