import type { WebhookFormat } from '../../schemas/webhooks.js';
import type { StoredChangeRequestEvent } from '../change-requests/change-request-repository.js';
import { actorLabel } from '../people/actors.js';
import { escapeSlackText } from './payload.js';

/**
 * A change request's state change as a webhook carries it
 * (`change-request.opened`, `.approved`, `.scheduled`, `.applied`,
 * `.rejected`, `.cancelled`, `.conflicted`, `.commented`). `version` is the
 * environment's version when it happened: it arrives after the changes up to
 * that version (an applied request: after its `changes.applied`) and before
 * the next. What it says is frozen then: a retry says the same thing.
 */
export interface ChangeRequestEventPayload {
  type: StoredChangeRequestEvent['type'];
  id: number;
  environment: string;
  version: number;
  actor: StoredChangeRequestEvent['actor'];
  createdAt: string;
  changeRequest: StoredChangeRequestEvent['changeRequest'] & Omit<StoredChangeRequestEvent['detail'], 'comment'>;
  comment?: { id: number; body: string };
}

export function changeRequestEventPayload(event: StoredChangeRequestEvent): ChangeRequestEventPayload {
  const { comment, ...detail } = event.detail;
  return {
    type: event.type,
    id: event.id,
    environment: event.environment,
    version: event.afterVersion,
    actor: event.actor,
    createdAt: event.createdAt,
    changeRequest: { ...event.changeRequest, ...detail },
    ...(comment ? { comment } : {}),
  };
}

/** The webhook-id of a change-request event: its own namespace beside change events' `evt_`, the same on every attempt. */
export function changeRequestMessageId(event: Pick<StoredChangeRequestEvent, 'id'>): string {
  return `cre_${event.id}`;
}

const VERB: Record<ChangeRequestEventPayload['type'], string> = {
  'change-request.opened': 'opened',
  'change-request.approved': 'approved',
  'change-request.scheduled': 'scheduled',
  'change-request.applied': 'applied',
  'change-request.rejected': 'rejected',
  'change-request.cancelled': 'cancelled',
  'change-request.conflicted': 'conflicted (a flag or segment it changes moved since it was opened)',
  'change-request.commented': 'commented on',
};

/** A one-line Slack message; every name in it escaped. */
export function changeRequestSlackText(payload: ChangeRequestEventPayload): string {
  const request = payload.changeRequest;
  const what = request.kind === 'schedule' ? 'Scheduled change' : 'Change request';
  const approvals =
    payload.type === 'change-request.approved' && request.requiredApprovals ? ` (${request.approvals ?? 0} of ${request.requiredApprovals} approvals)` : '';
  const at = payload.type === 'change-request.scheduled' && request.scheduledAt ? ` for ${request.scheduledAt}` : '';
  const applied = payload.type === 'change-request.applied' && request.appliedVersion ? ` as version ${request.appliedVersion}` : '';
  return `${what} *${escapeSlackText(request.title)}* ${VERB[payload.type]} in *${escapeSlackText(payload.environment)}* by ${escapeSlackText(actorLabel(payload.actor))}${approvals}${at}${applied}`;
}

export function changeRequestEventBody(format: WebhookFormat, payload: ChangeRequestEventPayload): string {
  return JSON.stringify(format === 'slack' ? { text: changeRequestSlackText(payload) } : payload);
}
