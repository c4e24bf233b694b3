import type { Queryable } from '../../db/pool.js';

/** Evaluation counts of one flag in one environment and hour, as stored. */
export interface UsageCounts {
  flagKey: string;
  /** The start of the hour (UTC) the evaluations happened in. */
  hour: Date;
  yes: number;
  no: number;
  variants: Record<string, number>;
  /** The latest moment any of these evaluations happened. */
  lastSeenAt: Date;
}

export interface UsageHourRow {
  environment: string;
  hour: string;
  yes: number;
  no: number;
  variants: Record<string, number>;
}

/**
 * Adds counts to the hourly rows of an environment and moves each flag's
 * last-seen time forward (never back). Names that are not a flag are skipped:
 * SDKs report whatever their code asks for, and only flags are worth keeping.
 * Variant maps are merged by name, keeping at most `maxVariants` names per row.
 * Counts saturate at `maxCount` (added as numeric, so no sum can overflow
 * bigint, even of a row written before the cap). Returns how many of the
 * given flags exist.
 */
export async function addUsage(
  db: Queryable,
  environment: string,
  counts: UsageCounts[],
  limits: { maxVariants: number; maxCount: number },
): Promise<number> {
  if (counts.length === 0) return 0;
  const { rowCount } = await db.query(
    `with given as (
       select * from jsonb_to_recordset($2::jsonb)
         as g("flagKey" text, hour timestamptz, yes numeric, no numeric, variants jsonb, "lastSeenAt" timestamptz)
     ),
     known as (
       select f.id as flag_id, g.* from given g join flag f on f.key = g."flagKey"
     ),
     usage as (
       insert into flag_usage as u (flag_id, environment_key, hour, yes, no, variants)
       select flag_id, $1, hour, least(yes, $4)::bigint, least(no, $4)::bigint, variants from known
       on conflict (flag_id, environment_key, hour) do update
         set yes = least(u.yes::numeric + excluded.yes, $4)::bigint,
             no = least(u.no::numeric + excluded.no, $4)::bigint,
             variants = (
               select coalesce(jsonb_object_agg(name, total), '{}'::jsonb)
                 from (
                   select name, least(sum(value::numeric), $4)::bigint as total
                     from (select * from jsonb_each_text(u.variants)
                           union all
                           select * from jsonb_each_text(excluded.variants)) as both_sides(name, value)
                    group by name
                    order by total desc, name
                    limit $3
                 ) as merged
             )
     )
     insert into flag_last_seen as l (flag_id, environment_key, last_seen_at)
     select flag_id, $1, max("lastSeenAt") from known group by flag_id
     on conflict (flag_id, environment_key) do update
       set last_seen_at = greatest(l.last_seen_at, excluded.last_seen_at)`,
    [environment, JSON.stringify(counts), limits.maxVariants, limits.maxCount],
  );
  return rowCount ?? 0;
}

/** Deletes hourly rows older than `before`: the usage table's size bound. Returns how many went. */
export async function deleteUsageBefore(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query(`delete from flag_usage where hour < $1`, [before]);
  return rowCount ?? 0;
}

/** A flag's hourly rows since `since`, newest first, in one environment or all. */
export async function listFlagUsage(
  db: Queryable,
  flagId: string,
  since: Date,
  environment: string | undefined,
): Promise<UsageHourRow[]> {
  const { rows } = await db.query<UsageHourRow>(
    `select environment_key as environment,
            to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as hour,
            yes, no, variants
       from flag_usage
      where flag_id = $1 and hour >= $2 and ($3::text is null or environment_key = $3)
      order by hour desc, environment_key`,
    [flagId, since, environment ?? null],
  );
  return rows;
}

/** When each of these flags was last evaluated, per environment: flag id → environment → ISO time. */
export async function lastSeenOfFlags(db: Queryable, flagIds: string[]): Promise<Map<string, Record<string, string>>> {
  const { rows } = await db.query<{ flagId: string; environment: string; lastSeenAt: string }>(
    `select flag_id as "flagId", environment_key as environment,
            to_char(last_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "lastSeenAt"
       from flag_last_seen
      where flag_id = any($1::uuid[])`,
    [flagIds],
  );
  const byFlag = new Map<string, Record<string, string>>();
  for (const row of rows) {
    // Keyed by environment names, which are the user's (`constructor` read Object's otherwise): no prototype.
    const seen = byFlag.get(row.flagId) ?? (Object.create(null) as Record<string, string>);
    seen[row.environment] = row.lastSeenAt;
    byFlag.set(row.flagId, seen);
  }
  return byFlag;
}
