import type { ChangeEvent } from '../schemas/events.js';
import type { Queryable } from './pool.js';

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
  after?: number;
  limit: number;
}

/** The audit log, oldest first, filtered and paged by event id. */
export async function listEvents(db: Queryable, filter: EventFilter): Promise<ChangeEvent[]> {
  const { rows } = await db.query<EventRow>(
    `select ${EVENT_COLUMNS} from change_event
      where ($1::text is null or environment_key = $1)
        and ($2::text is null or flag_key = $2)
        and id > $3
      order by id
      limit $4`,
    [filter.environment ?? null, filter.flag ?? null, filter.after ?? 0, filter.limit],
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
