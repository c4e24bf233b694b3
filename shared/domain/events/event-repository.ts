import { projectFilter } from '../projects/project-scope.js';
import type { ChangeEvent } from '../../schemas/events.js';
import type { RampStatus } from '../../schemas/ramps.js';
import type { Queryable } from '../../db/pool.js';

// A flag event names its flag by key, a segment event its segment by id; the
// other column is null and is left out of the event.
const EVENT_COLUMNS = `
  id, environment_key as environment, version, flag_key as flag, segment_id as segment, action, actor,
  before, after, created_at as "createdAt", change_request_id as "changeRequestId"`;

interface EventRow extends Record<string, unknown> {
  flag: string | null;
  segment: number | null;
  changeRequestId: string | null;
}

// The change request an event belongs to is named only on the events of one.
function eventOfRow({ flag, segment, changeRequestId, ...event }: EventRow): ChangeEvent {
  const request = changeRequestId === null ? {} : { changeRequestId };
  return (segment === null ? { ...event, flag, ...request } : { ...event, segment, ...request }) as ChangeEvent;
}

export interface EventFilter {
  environment?: string;
  flag?: string;
  /** The last version already read, per environment (EventCursorSchema); absent environments from the start. */
  after?: Record<string, number>;
  limit: number;
  /** Only events of these projects' flags and segments (absent or `['*']`: every project's). */
  projects?: readonly string[];
}

/*
 * An event belongs to the project of its subject before and after (a move:
 * both); events from before projects name none, and were of `default`.
 */
const PROJECT_FILTER = (parameter: string) => `(${parameter}::text[] is null
        or after ->> 'project' = any(${parameter}) or before ->> 'project' = any(${parameter})
        or (coalesce(after, before) ->> 'project' is null and 'default' = any(${parameter})))`;

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
        and ${PROJECT_FILTER('$5')}
      order by id
      limit $4`,
    [filter.environment ?? null, filter.flag ?? null, JSON.stringify(filter.after ?? {}), filter.limit, projectFilter(filter.projects)],
  );
  const last = rows.at(-1) as (EventRow & { id: number; environment: string; version: number }) | undefined;
  if (rows.length < filter.limit || !last) return rows.map(eventOfRow);
  // A page never ends inside a version (the cursor is by version): the rest of the last one's events come too.
  const { rows: rest } = await db.query<EventRow>(
    `select ${EVENT_COLUMNS} from change_event
      where environment_key = $1 and version = $2 and id > $3 and ($4::text is null or flag_key = $4) and ${PROJECT_FILTER('$5')}
      order by id`,
    [last.environment, last.version, last.id, filter.flag ?? null, projectFilter(filter.projects)],
  );
  return [...rows, ...rest].map(eventOfRow);
}

/**
 * The changes of one environment after `version`, in version order: the
 * replay log. At most `limit` versions, each whole: a version of a change
 * group (an applied change request) holds one event per subject, and a reader
 * must never get half of one. Versions are gap-free, so a range of versions is
 * a page.
 */
export async function listEventsSince(
  db: Queryable,
  environment: string,
  version: number,
  limit: number,
): Promise<ChangeEvent[]> {
  const { rows } = await db.query<EventRow>(
    `select ${EVENT_COLUMNS} from change_event
      where environment_key = $1 and version > $2 and version <= $2 + $3
      order by version, id`,
    [environment, version, limit],
  );
  return rows.map(eventOfRow);
}

/**
 * The events of the first version of `environment` after `version` that a
 * webhook filtering on `flags` (null: every event, segments' included) takes:
 * one event, or several of one change group (an applied change request), in id order.
 */
export async function findNextEventsForWebhook(
  db: Queryable,
  environment: string,
  version: number,
  flags: string[] | null,
): Promise<ChangeEvent[]> {
  const { rows } = await db.query<EventRow>(
    `select ${EVENT_COLUMNS}
       from change_event
      where environment_key = $1
        and version = (select min(version) from change_event
                        where environment_key = $1 and version > $2 and ($3::text[] is null or flag_key = any($3::text[])))
        and ($3::text[] is null or flag_key = any($3::text[]))
      order by id`,
    [environment, version, flags],
  );
  return rows.map(eventOfRow);
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
                     where later.environment_key = $2 and later.actor = $3::jsonb and later.version > $4) as "laterChangeByRamp"
       from rollout_plan p
      where p.id::text = $1`,
    [planId, event.environment, JSON.stringify(event.actor), event.version],
  );
  return rows[0];
}

/** What an export keeps of the log (besides its environment and versions). */
export interface ExportRowFilter {
  flag?: string;
  /** The actor as the event names it, or (an actor recorded as JSON) its id, email or name. */
  actor?: string;
  /** RFC 3339: committed at or after. */
  since?: string;
  /** RFC 3339: committed before. */
  until?: string;
}

/**
 * The next `limit` events of `environment` after version `after`, up to
 * `upTo` (inclusive), in version order, that pass `filter`: one page of an
 * export, resumed by keyset (environment_key, version) on the unique index.
 */
export async function listEventsToExport(
  db: Queryable,
  environment: string,
  after: number,
  upTo: number,
  filter: ExportRowFilter,
  limit: number,
): Promise<ChangeEvent[]> {
  const { rows } = await db.query<EventRow>(
    `select ${EVENT_COLUMNS} from change_event
      where environment_key = $1 and version > $2 and version <= $3
        and ($4::text is null or flag_key = $4)
        and ($5::text is null or $5 in (actor ->> 'id', actor ->> 'email', actor ->> 'name', flagship_actor_label(actor)))
        and ($6::timestamptz is null or created_at >= $6)
        and ($7::timestamptz is null or created_at < $7)
      order by version
      limit $8`,
    [environment, after, upTo, filter.flag ?? null, filter.actor ?? null, filter.since ?? null, filter.until ?? null, limit],
  );
  return rows.map(eventOfRow);
}
