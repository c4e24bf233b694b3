import type { Pool, Queryable } from '../../../shared/db/pool.js';
import {
  disableFailingWebhook,
  findLaneState,
  findSigningSecrets,
  recordAccepted,
  recordFailed,
  recordRequestEventAccepted,
  type Lane,
  type LaneState,
  type NewDelivery,
} from '../../../shared/domain/webhooks/webhook-repository.js';
import { findNextLaneItem, type LaneItem, type WebhookEvent } from '../../../shared/domain/webhooks/webhook-events.js';
import {
  changeRequestEventBody,
  changeRequestEventPayload,
  changeRequestMessageId,
} from '../../../shared/domain/webhooks/change-request-payload.js';
import { rampEventBody, rampEventMessageId, rampEventPayload } from '../../../shared/domain/webhooks/ramp-payload.js';
import type { Logger } from '../../../shared/logger.js';
import type { ChangeEvent } from '../../../shared/schemas/events.js';
import type { AddressPolicy } from '../../../shared/domain/webhooks/address-policy.js';
import { messageIdOf, payloadOfEvents, webhookBody, type WebhookEventPayload } from '../../../shared/domain/webhooks/payload.js';
import { sendWebhookRequest, type AttemptResult } from '../../../shared/domain/webhooks/send.js';
import { signatureHeaders } from '../../../shared/domain/webhooks/signing.js';
import type { WorkerMetrics } from '../metrics.js';
import { withLaneLock } from './lane-lock.js';
import { retryDelayMs, shouldDisable, type RetryPolicy } from './retry-policy.js';

/** How many events one run delivers before yielding the worker's slot to other lanes… */
export const EVENTS_PER_RUN = 50;
/**
 * …and for how long it starts attempts: a run past this yields after the
 * attempt in flight, so a receiver that answers slowly (even successfully)
 * holds a slot for one attempt at a time, not for a whole backlog.
 */
export const RUN_TIME_BUDGET_MS = 1000;

export interface LaneDeliveryDeps {
  pool: Pool;
  logger: Logger;
  policy: AddressPolicy;
  retry: RetryPolicy;
  attemptTimeoutMs?: number;
  /** RUN_TIME_BUDGET_MS unless a test needs another. */
  runBudgetMs?: number;
  now: () => Date;
  random?: () => number;
  /** Where attempts are counted (services/worker/metrics.ts). */
  metrics?: Pick<WorkerMetrics, 'webhookAttempt' | 'webhookDisabled'>;
  /** Called once the receiver accepted an event and the cursor moved past it (tests measure with it). */
  onAccepted?: (lane: Lane, event: ChangeEvent) => void;
}

export type LaneOutcome =
  /** Another worker is delivering this lane. */
  | { kind: 'busy' }
  /** Nothing to send: caught up, disabled, deleted, or not this webhook's environment. */
  | { kind: 'idle'; delivered: number }
  /** Delivered a full run (its count or its time); there may be more. */
  | { kind: 'more'; delivered: number }
  /** The next event failed (now or before); its next attempt is due at `retryAt`. */
  | { kind: 'waiting'; delivered: number; retryAt: Date; version: number; failures: number }
  /** The webhook failed for too long and is now disabled. */
  | { kind: 'disabled'; delivered: number; reason: string };

function payloadOf({ events, rampCompleted, rampRolledBack }: WebhookEvent): WebhookEventPayload {
  return payloadOfEvents(events, { rampCompleted, rampRolledBack });
}

/** What one attempt sends: its webhook-id, type, body, and where it sits in the lane. */
interface Outgoing {
  messageId: string;
  type: string;
  body: string;
  eventId: number | null;
  version: number;
}

function outgoingOf(lane: LaneState, item: LaneItem): Outgoing {
  if (item.kind === 'request') {
    const payload = changeRequestEventPayload(item.event);
    return { messageId: changeRequestMessageId(item.event), type: payload.type, body: changeRequestEventBody(lane.format, payload), eventId: null, version: payload.version };
  }
  if (item.kind === 'ramp') {
    const payload = rampEventPayload(item.event);
    return { messageId: rampEventMessageId(item.event), type: payload.type, body: rampEventBody(lane.format, payload), eventId: null, version: payload.version };
  }
  const payload = payloadOf(item.next);
  return { messageId: messageIdOf(item.next.event), type: payload.type, body: webhookBody(lane.format, payload), eventId: item.next.event.id, version: item.next.event.version };
}

async function attempt(client: Queryable, deps: LaneDeliveryDeps, lane: LaneState, outgoing: Outgoing): Promise<AttemptResult> {
  const secrets = await findSigningSecrets(client, lane.webhookId);
  if (!secrets) throw new Error(`webhook ${lane.webhookId} was deleted`);
  const { body } = outgoing;
  const headers = { ...signatureHeaders(secrets, outgoing.messageId, deps.now(), body), 'user-agent': 'FlagShip-Webhooks/1' };
  return sendWebhookRequest({ url: lane.url, headers, body, policy: deps.policy, timeoutMs: deps.attemptTimeoutMs });
}

/**
 * Delivers one lane's pending events in version order, under the lane's lock:
 * the first event after the cursor that the webhook's filters take, then the
 * next once that one was accepted (2xx). A failure records the streak and
 * when to try again, and stops the run: event N+1 never goes before N was
 * accepted. Failing for long enough (count and time) disables the webhook.
 * The cursor moves only after a 2xx, so a worker killed anywhere in here
 * resends the event (same webhook-id) rather than losing it. A run ends
 * after EVENTS_PER_RUN events or RUN_TIME_BUDGET_MS, whichever comes first,
 * so lanes take turns at the worker's slots.
 */
export async function deliverLane(deps: LaneDeliveryDeps, lane: Lane): Promise<LaneOutcome> {
  const result = await withLaneLock(deps.pool, lane, async (client): Promise<LaneOutcome> => {
    let delivered = 0;
    const budgetEndsAt = deps.now().getTime() + (deps.runBudgetMs ?? RUN_TIME_BUDGET_MS);
    while (delivered < EVENTS_PER_RUN && deps.now().getTime() < budgetEndsAt) {
      const state = await findLaneState(client, lane);
      if (!state || !state.active) return { kind: 'idle', delivered };
      const now = deps.now();
      if (state.nextAttemptAt && Date.parse(state.nextAttemptAt) > now.getTime()) {
        return { kind: 'waiting', delivered, retryAt: new Date(state.nextAttemptAt), version: state.version, failures: state.failures };
      }
      const item = await findNextLaneItem(client, lane.environment, state, state.flags);
      if (!item) return { kind: 'idle', delivered };
      const outgoing = outgoingOf(state, item);
      const outcome = await attempt(client, deps, state, outgoing);
      deps.metrics?.webhookAttempt({ environment: lane.environment, accepted: outcome.accepted, latencyMs: outcome.latencyMs });
      const delivery: NewDelivery = {
        webhookId: lane.webhookId,
        messageId: outgoing.messageId,
        type: outgoing.type,
        eventId: outgoing.eventId,
        environment: lane.environment,
        version: outgoing.version,
        attempt: state.failures + 1,
        statusCode: outcome.statusCode,
        latencyMs: outcome.latencyMs,
        error: outcome.error,
        responseBody: outcome.responseBody,
      };
      const logFields = { webhookId: lane.webhookId, environment: lane.environment, version: outgoing.version, attempt: delivery.attempt };
      if (outcome.accepted) {
        const moved =
          item.kind !== 'change'
            ? await recordRequestEventAccepted(client, state, delivery, item.event.id)
            : await recordAccepted(client, state, { ...delivery, version: item.next.event.version });
        if (moved) {
          delivered += 1;
          if (item.kind === 'change') deps.onAccepted?.(lane, item.next.event);
        }
        // Not moved: an admin restarted the cursor meanwhile; the next round reads where it is now.
        continue;
      }

      const failures = state.failures + 1;
      const firstFailureAt = state.firstFailureAt ? new Date(state.firstFailureAt) : now;
      const retryAt = new Date(now.getTime() + retryDelayMs(failures, deps.retry, deps.random));
      await recordFailed(client, state, delivery, { failures, firstFailureAt, nextAttemptAt: retryAt });
      if (shouldDisable(failures, firstFailureAt, now, deps.retry)) {
        const reason = `disabled after ${failures} consecutive failed attempts since ${firstFailureAt.toISOString()}; the last: ${outcome.error}`;
        await disableFailingWebhook(client, lane.webhookId, reason);
        deps.metrics?.webhookDisabled();
        deps.logger.warn({ ...logFields, reason }, 'disabled a failing webhook');
        return { kind: 'disabled', delivered, reason };
      }
      deps.logger.info({ ...logFields, statusCode: outcome.statusCode, error: outcome.error, retryAt }, 'webhook attempt failed; will retry');
      return { kind: 'waiting', delivered, retryAt, version: state.version, failures };
    }
    return { kind: 'more', delivered };
  });
  return result.locked ? result.value : { kind: 'busy' };
}
