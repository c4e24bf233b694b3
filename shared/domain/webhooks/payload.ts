import { isSegmentEvent, type ChangeEvent, type FlagChangeEvent } from '../../schemas/events.js';
import type { WebhookFormat } from '../../schemas/webhooks.js';
import { actorLabel } from '../people/actors.js';

/** A change event as a webhook carries it: `/v1/events`' shape plus its type. */
export type SingleEventPayload = ChangeEvent & { type: string };

/**
 * The changes of one version that holds several (an applied change request or
 * schedule): ONE delivery, `type: "changes.applied"`, its `events` each as a
 * single delivery would carry it. `id` is the first event's (the webhook-id).
 */
export interface GroupEventPayload {
  type: 'changes.applied';
  id: number;
  environment: string;
  version: number;
  actor: ChangeEvent['actor'];
  changeRequestId?: string;
  createdAt: string;
  events: SingleEventPayload[];
}

export type WebhookEventPayload = SingleEventPayload | GroupEventPayload;

export function isGroupPayload(payload: WebhookEventPayload): payload is GroupEventPayload {
  return payload.type === 'changes.applied' && 'events' in payload;
}

/** The payload of one version's events (one event: as before; several: a group). */
export function payloadOfEvents(events: ChangeEvent[], facts: EventFacts): WebhookEventPayload {
  const first = events[0]!;
  if (events.length === 1) return { type: webhookEventType(first, facts), ...first };
  const requestId = (first as { changeRequestId?: string }).changeRequestId;
  return {
    type: 'changes.applied',
    id: first.id,
    environment: first.environment,
    version: first.version,
    actor: first.actor,
    ...(requestId ? { changeRequestId: requestId } : {}),
    createdAt: first.createdAt,
    events: events.map((event) => ({ type: webhookEventType(event, { rampCompleted: false }), ...event })),
  };
}

/** What the repository knows about an event beyond its row. */
export interface EventFacts {
  /** The event is the last step of a ramp that completed. */
  rampCompleted: boolean;
  /** The event is a guard's rollback of a ramp. */
  rampRolledBack?: boolean;
}

// The webhook type of each change_event action, per subject. A new action
// needs one line here; one missing from the table is still delivered, as
// `<subject>.<action>`, rather than dropped.
const TYPE_OF_ACTION: Record<'flag' | 'segment', Record<string, string>> = {
  flag: { created: 'flag.created', updated: 'flag.updated', archived: 'flag.archived' },
  segment: { created: 'segment.created', updated: 'segment.updated', deleted: 'segment.deleted' },
};

/** The `type` of an event: `flag.updated`, `segment.deleted`, `rollout.completed` (a ramp's last step), … */
export function webhookEventType(event: ChangeEvent, facts: EventFacts): string {
  if (facts.rampCompleted) return 'rollout.completed';
  if (facts.rampRolledBack) return 'rollout.rolled_back';
  const subject = isSegmentEvent(event) ? 'segment' : 'flag';
  return TYPE_OF_ACTION[subject][event.action] ?? `${subject}.${event.action}`;
}

/** The stable webhook-id of an event: the same on every attempt, so receivers can de-duplicate. */
export function messageIdOf(event: Pick<ChangeEvent, 'id'>): string {
  return `evt_${event.id}`;
}

const percent = (rollout: number | null) => (rollout === null ? 'targeted' : `${rollout}%`);

function describeFlagChange({ before, after }: FlagChangeEvent): string {
  if (!before) return `${after.enabled ? 'enabled' : 'disabled'}, rollout ${percent(after.rollout)}`;
  const changes: string[] = [];
  if (before.enabled !== after.enabled) changes.push(after.enabled ? 'enabled' : 'disabled');
  if (before.rollout !== after.rollout) changes.push(`rollout ${percent(before.rollout)} → ${percent(after.rollout)}`);
  return changes.length > 0 ? changes.join(', ') : 'targeting changed';
}

const VERB_OF_TYPE: Record<string, string> = {
  'flag.created': 'created',
  'flag.updated': 'updated',
  'flag.archived': 'archived',
  'rollout.completed': 'finished its rollout',
  'rollout.rolled_back': 'was rolled back by a guard of its ramp',
  'segment.created': 'created',
  'segment.updated': 'updated',
  'segment.deleted': 'deleted',
};

/**
 * Slack's escaping (its three control characters as HTML entities): a name
 * such as `<!channel>` or `<http://evil|click>` shows as typed instead of
 * notifying a channel or disguising a link.
 */
export function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A one-line message for a Slack incoming webhook (Slack's `mrkdwn`); every name in it escaped. */
export function slackText(payload: WebhookEventPayload): string {
  if (isGroupPayload(payload)) {
    const where = `in *${escapeSlackText(payload.environment)}* by ${escapeSlackText(actorLabel(payload.actor))}`;
    const lines = payload.events.map((event) => `• ${slackText(event)}`);
    return `${payload.events.length} changes applied together ${where} (version ${payload.version}):\n${lines.join('\n')}`;
  }
  const verb = escapeSlackText(VERB_OF_TYPE[payload.type] ?? payload.type);
  const where = `in *${escapeSlackText(payload.environment)}* by ${escapeSlackText(actorLabel(payload.actor))}`;
  if (isSegmentEvent(payload)) {
    return `Segment \`${escapeSlackText(payload.after.name)}\` ${verb} ${where} (version ${payload.version})`;
  }
  const detail = payload.type === 'flag.archived' ? '' : `: ${describeFlagChange(payload)}`;
  return `\`${escapeSlackText(payload.flag)}\` ${verb} ${where}${detail} (version ${payload.version})`;
}

/** The body of a delivery in the webhook's format. */
export function webhookBody(format: WebhookFormat, payload: WebhookEventPayload): string {
  return JSON.stringify(format === 'slack' ? { text: slackText(payload) } : payload);
}

/** The body of a ping (POST /v1/webhooks/{id}/test). */
export function pingBody(format: WebhookFormat, webhookId: string, at: Date): string {
  return JSON.stringify(
    format === 'slack'
      ? { text: 'FlagShip webhook test: this channel will receive flag changes.' }
      : { type: 'webhook.ping', webhookId, createdAt: at.toISOString() },
  );
}
