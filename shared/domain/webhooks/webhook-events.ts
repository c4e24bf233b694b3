import { findNextEventForWebhook } from '../events/event-repository.js';
import type { Queryable } from '../../db/pool.js';
import type { ChangeEvent } from '../../schemas/events.js';
import { isLastChangeOfCompletedRamp } from '../ramps/ramp-completion.js';

/** A change event with what a webhook needs to know beyond its row. */
export interface WebhookEvent {
  event: ChangeEvent;
  /** The event is the last change of a ramp that completed. */
  rampCompleted: boolean;
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
  const event = await findNextEventForWebhook(db, environment, version, flags);
  if (!event) return undefined;
  return { event, rampCompleted: await isLastChangeOfCompletedRamp(db, event) };
}
