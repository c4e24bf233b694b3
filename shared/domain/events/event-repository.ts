import type { ChangeEvent } from '../../schemas/events.js';
import type { RampStatus } from '../../schemas/ramps.js';
import type { Queryable } from '../../db/pool.js';

// A flag event names its flag by key, a segment event its segment by id; the
// other column is null and is left out of the event.
const EVENT_COLUMNS = `
  id, environment_key as environment, version, flag_key as flag, segment_id as segment, action, actor,
  before, after, created_at as "createdAt"`;

interface EventRow extends Record<string, unknown> {
  flag: string | null;
  segment: number | null;
}

function eventOfRow({ flag, segment, ...event }: EventRow): ChangeEvent {
  return (segment === null ? { ...event, flag } : { ...event, segment }) as ChangeEvent;
}

export interface EventFilter {
  environment?: string;
  flag?: string;
  /** The last version already read, per environment (EventCursorSchema); absent environments from the start. */
  after?: Record<string, number>;
  limit: number;
}

/**
 * The audit log, oldest first (by id), filtered, after a cursor of versions per
 * environment. Per environment, a visible version means every lower one has
 * committed, and ids follow versions: each environment's events in a page are
 * the next ones after its cursor, with none left out.
 */
export async function listEvents(db: Queryable, filter: EventFilter): Promise<ChangeEvent[]> {
  const { rows } = await db.query<EventRow>(
    `select ${EVENT_COLUMNS} from change_event
      where ($1::text is null or environment_key = $1)
        and ($2::text is null or flag_key = $2)
        and version > coalesce(($3::jsonb ->> environment_key)::bigint, 0)
      order by id
      limit $4`,
    [filter.environment ?? null, filter.flag ?? null, JSON.stringify(filter.after ?? {}), filter.limit],
  );
  return rows.map(eventOfRow);
}

/** The changes of one environment after `version`, in version order: the replay log. */
export async function listEventsSince(
  db: Queryable,
  environment: string,
  version: number,
  limit: number,
): Promise<ChangeEvent[]> {
  const { rows } = await db.query<EventRow>(
    `select ${EVENT_COLUMNS} from change_event
      where environment_key = $1 and version > $2
      order by version
      limit $3`,
    [environment, version, limit],
  );
  return rows.map(eventOfRow);
}

/**
 * The first event of `environment` after `version` that a webhook filtering on
 * `flags` (null: every event, segments' included) takes.
 */
export async function findNextEventForWebhook(
  db: Queryable,
  environment: string,
  version: number,
  flags: string[] | null,
): Promise<ChangeEvent | undefined> {
  const { rows } = await db.query<EventRow>(
    `select ${EVENT_COLUMNS}
       from change_event
      where environment_key = $1 and version > $2
        and ($3::text[] is null or flag_key = any($3::text[]))
      order by version
      limit 1`,
    [environment, version, flags],
  );
  return rows[0] && eventOfRow(rows[0]);
}

/** A ramp plan's status, and whether its actor made a change after `event` in the event's environment. */
export interface RampRunOfEvent {
  status: RampStatus;
  laterChangeByRamp: boolean;
}

/** The facts about plan `planId` as of `event` (made by that plan's actor); undefined when no such plan exists. */
export async function findRampRunOfEvent(
  db: Queryable,
  planId: string,
  event: Pick<ChangeEvent, 'environment' | 'version' | 'actor'>,
): Promise<RampRunOfEvent | undefined> {
  // id::text: an actor naming no valid uuid finds no plan rather than failing the cast.
  const { rows } = await db.query<RampRunOfEvent>(
    `select p.status,
            exists (select 1 from change_event later
                     where later.environment_key = $2 and later.actor = $3 and later.version > $4) as "laterChangeByRamp"
       from rollout_plan p
      where p.id::text = $1`,
    [planId, event.environment, event.actor, event.version],
  );
  return rows[0];
}
