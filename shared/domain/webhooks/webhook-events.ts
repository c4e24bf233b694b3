import { findNextChangeRequestEvent, type StoredChangeRequestEvent, type StoredRampEvent } from '../change-requests/change-request-repository.js';
import { findNextEventsForWebhook } from '../events/event-repository.js';
import type { Queryable } from '../../db/pool.js';
import type { ChangeEvent } from '../../schemas/events.js';
import { rampEndingOfEvent } from '../ramps/ramp-completion.js';

/** A change event with what a webhook needs to know beyond its row. */
export interface WebhookEvent {
  /** The (first) event: its version is where the cursor moves to once delivered. */
  event: ChangeEvent;
  /** Every event of that version the webhook takes: one, or several of an applied change request (delivered as one). */
  events: ChangeEvent[];
  /** The event is the last change of a ramp that completed. */
  rampCompleted: boolean;
  /** The event is a guard's rollback of a ramp. */
  rampRolledBack: boolean;
}

/**
 * The first event of `environment` after `version` that a webhook filtering on
 * `flags` (null: every event, segments' included) takes: a webhook cursor's
 * next delivery, with whether it completed a ramp.
 */
export async function findNextWebhookEvent(
  db: Queryable,
  environment: string,
  version: number,
  flags: string[] | null,
): Promise<WebhookEvent | undefined> {
  const events = await findNextEventsForWebhook(db, environment, version, flags);
  const event = events[0];
  if (!event) return undefined;
  if (events.length > 1) return { event, events, rampCompleted: false, rampRolledBack: false };
  const ending = await rampEndingOfEvent(db, event);
  return { event, events, rampCompleted: ending.completed, rampRolledBack: ending.rolledBack };
}

/** A lane's next delivery: a version's change events, a change request's state change, or a ramp's that changed no flag (a guard's pause). */
export type LaneItem =
  | { kind: 'change'; next: WebhookEvent }
  | { kind: 'request'; event: StoredChangeRequestEvent }
  | { kind: 'ramp'; event: StoredRampEvent };

function outboxItem(event: StoredChangeRequestEvent | StoredRampEvent): LaneItem {
  return event.subject === 'ramp' ? { kind: 'ramp', event } : { kind: 'request', event };
}

/**
 * What a lane delivers next, from its two cursors: a change-request event
 * written at version V goes after every change up to V and before V + 1
 * (migration 000022), so an applied request's `changes.applied` comes before
 * its `change-request.applied`, and one approved between two PATCHes between
 * their deliveries. A ramp's event (a guard's pause) shares the request-event
 * cursor and the same rule (migration 000027).
 */
export async function findNextLaneItem(
  db: Queryable,
  environment: string,
  cursor: { version: number; requestEventId: number },
  flags: string[] | null,
): Promise<LaneItem | undefined> {
  const request = await findNextChangeRequestEvent(db, environment, cursor.requestEventId, flags);
  if (request && request.afterVersion <= cursor.version) return outboxItem(request);
  const change = await findNextWebhookEvent(db, environment, cursor.version, flags);
  if (change && (!request || change.event.version <= request.afterVersion)) return { kind: 'change', next: change };
  return request ? outboxItem(request) : undefined;
}
