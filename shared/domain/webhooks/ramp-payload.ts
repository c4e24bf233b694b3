import type { WebhookFormat } from '../../schemas/webhooks.js';
import type { StoredRampEvent } from '../change-requests/change-request-repository.js';
import { actorLabel } from '../people/actors.js';
import { escapeSlackText } from './payload.js';

/**
 * A ramp's state change that changed no flag, as a webhook carries it:
 * `rollout.paused` (a guard paused the ramp). `version` is the environment's
 * version when it happened: it arrives after the changes up to that version
 * and before the next. `rollout.reason` is the ramp's stop reason, with the
 * guard's figures; what it says is frozen then (a retry says the same thing).
 */
export interface RampEventPayload {
  type: StoredRampEvent['type'];
  id: number;
  environment: string;
  version: number;
  flag: string;
  actor: StoredRampEvent['actor'];
  createdAt: string;
  rollout: { id: string } & StoredRampEvent['detail'];
}

export function rampEventPayload(event: StoredRampEvent): RampEventPayload {
  return {
    type: event.type,
    id: event.id,
    environment: event.environment,
    version: event.afterVersion,
    flag: event.ramp.flag,
    actor: event.actor,
    createdAt: event.createdAt,
    rollout: { id: event.ramp.id, ...event.detail },
  };
}

/** The webhook-id of a ramp event: the outbox row's id, in its own namespace, the same on every attempt. */
export function rampEventMessageId(event: Pick<StoredRampEvent, 'id'>): string {
  return `rpe_${event.id}`;
}

/** A one-line Slack message; every name in it escaped. */
export function rampSlackText(payload: RampEventPayload): string {
  return `\`${escapeSlackText(payload.flag)}\`'s ramp (${escapeSlackText(actorLabel(payload.actor))}) was paused by a guard in *${escapeSlackText(payload.environment)}*: ${escapeSlackText(payload.rollout.reason)}`;
}

export function rampEventBody(format: WebhookFormat, payload: RampEventPayload): string {
  return JSON.stringify(format === 'slack' ? { text: rampSlackText(payload) } : payload);
}
