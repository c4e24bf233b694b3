import type { ChangeEvent } from '../schemas/events.js';
import type { Queryable } from './pool.js';

const EVENT_COLUMNS = `
  id, environment_key as environment, version, flag_key as flag, action, actor,
  before, after, created_at as "createdAt"`;

export interface EventFilter {
  environment?: string;
  flag?: string;
  after?: number;
  limit: number;
}

/** The audit log, oldest first, filtered and paged by event id. */
export async function listEvents(db: Queryable, filter: EventFilter): Promise<ChangeEvent[]> {
  const { rows } = await db.query<ChangeEvent>(
    `select ${EVENT_COLUMNS} from change_event
      where ($1::text is null or environment_key = $1)
        and ($2::text is null or flag_key = $2)
        and id > $3
      order by id
      limit $4`,
    [filter.environment ?? null, filter.flag ?? null, filter.after ?? 0, filter.limit],
  );
  return rows;
}

/** The changes of one environment after `version`, in version order: the replay log. */
export async function listEventsSince(
  db: Queryable,
  environment: string,
  version: number,
  limit: number,
): Promise<ChangeEvent[]> {
  const { rows } = await db.query<ChangeEvent>(
    `select ${EVENT_COLUMNS} from change_event
      where environment_key = $1 and version > $2
      order by version
      limit $3`,
    [environment, version, limit],
  );
  return rows;
}
