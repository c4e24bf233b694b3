import type { Pool, Queryable } from '../../../shared/db/pool.js';
import {
  disableFailingWebhook,
  findLaneState,
  findSigningSecrets,
  recordAccepted,
  recordFailed,
  type Lane,
  type LaneState,
  type NewDelivery,
} from '../../../shared/domain/webhooks/webhook-repository.js';
import { findNextWebhookEvent, type WebhookEvent } from '../../../shared/domain/webhooks/webhook-events.js';
import type { Logger } from '../../../shared/logger.js';
import type { ChangeEvent } from '../../../shared/schemas/events.js';
import type { AddressPolicy } from '../../../shared/domain/webhooks/address-policy.js';
import { messageIdOf, webhookBody, webhookEventType, type WebhookEventPayload } from '../../../shared/domain/webhooks/payload.js';
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

function payloadOf({ event, rampCompleted }: WebhookEvent): WebhookEventPayload {
  return { type: webhookEventType(event, { rampCompleted }), ...event };
}

async function attempt(
  client: Queryable,
  deps: LaneDeliveryDeps,
  lane: LaneState,
  payload: WebhookEventPayload,
): Promise<AttemptResult> {
  const secrets = await findSigningSecrets(client, lane.webhookId);
  if (!secrets) throw new Error(`webhook ${lane.webhookId} was deleted`);
  const body = webhookBody(lane.format, payload);
  const headers = { ...signatureHeaders(secrets, messageIdOf(payload), deps.now(), body), 'user-agent': 'FlagShip-Webhooks/1' };
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
      const next = await findNextWebhookEvent(client, lane.environment, state.version, state.flags);
      if (!next) return { kind: 'idle', delivered };
      const { event } = next;
      const payload = payloadOf(next);
      const outcome = await attempt(client, deps, state, payload);
      deps.metrics?.webhookAttempt({ environment: lane.environment, accepted: outcome.accepted, latencyMs: outcome.latencyMs });
      const delivery: NewDelivery = {
        webhookId: lane.webhookId,
        messageId: messageIdOf(event),
        type: payload.type,
        eventId: event.id,
        environment: lane.environment,
        version: event.version,
        attempt: state.failures + 1,
        statusCode: outcome.statusCode,
        latencyMs: outcome.latencyMs,
        error: outcome.error,
        responseBody: outcome.responseBody,
      };
      const logFields = { webhookId: lane.webhookId, environment: lane.environment, version: event.version, attempt: delivery.attempt };
      if (outcome.accepted) {
        const moved = await recordAccepted(client, state, { ...delivery, version: event.version });
        if (moved) {
          delivered += 1;
          deps.onAccepted?.(lane, event);
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
