import { NotFoundError } from '../../errors.js';
import type { Delivery, Webhook, WebhookFormat } from '../../schemas/webhooks.js';
import type { Queryable } from '../../db/pool.js';
import type { Actor } from '../people/principal.js';

const WEBHOOK_COLUMNS = `
  id, url, description, format, environments, flags, enabled,
  disabled_reason as "disabledReason", disabled_at as "disabledAt",
  previous_secret_expires_at as "previousSecretExpiresAt",
  created_by as "createdBy", created_at as "createdAt", updated_at as "updatedAt"`;

const DELIVERY_COLUMNS = `
  id, message_id as "messageId", type, event_id as "eventId", environment_key as environment, version,
  attempt, status_code as "statusCode", latency_ms as "latencyMs", error, response_body as "responseBody",
  created_at as "createdAt"`;

/** How many attempts each webhook's log keeps (older ones are pruned as new ones arrive). */
export const DELIVERY_LOG_SIZE = 500;

export interface NewWebhook {
  url: string;
  description: string;
  format: WebhookFormat;
  environments: string[] | null;
  flags: string[] | null;
  enabled: boolean;
  signingSecret: string;
  createdBy: Actor;
}

/**
 * Stores a webhook and its cursors, each at its environment's current version:
 * a new subscription receives the changes from now on, not the whole history.
 * Run inside withTransaction.
 */
export async function insertWebhook(db: Queryable, input: NewWebhook): Promise<Webhook> {
  const { rows } = await db.query<Webhook>(
    `insert into webhook (url, description, format, environments, flags, enabled, signing_secret, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, flagship_actor_label($8::jsonb))
     returning ${WEBHOOK_COLUMNS}`,
    [input.url, input.description, input.format, input.environments, input.flags, input.enabled, input.signingSecret, JSON.stringify(input.createdBy)],
  );
  const webhook = rows[0]!;
  await db.query(
    `insert into webhook_cursor (webhook_id, environment_key, version, request_event_id)
     select $1, e.key, e.version, coalesce((select max(r.id) from change_request_event r where r.environment_key = e.key), 0)
       from environment e`,
    [webhook.id],
  );
  return webhook;
}

export async function listWebhooks(db: Queryable): Promise<Webhook[]> {
  const { rows } = await db.query<Webhook>(`select ${WEBHOOK_COLUMNS} from webhook order by created_at, id`);
  return rows;
}

export async function requireWebhook(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Webhook> {
  const { rows } = await db.query<Webhook>(
    `select ${WEBHOOK_COLUMNS} from webhook where id = $1 ${options.forUpdate ? 'for update' : ''}`,
    [id],
  );
  if (!rows[0]) throw new NotFoundError(`webhook '${id}' does not exist`);
  return rows[0];
}

export interface WebhookChanges {
  url?: string;
  description?: string;
  format?: WebhookFormat;
  environments?: string[] | null;
  flags?: string[] | null;
  enabled?: boolean;
}

// The only column names a change may set, so no identifier ever comes from input.
const CHANGE_COLUMNS: Record<keyof WebhookChanges, string> = {
  url: 'url',
  description: 'description',
  format: 'format',
  environments: 'environments',
  flags: 'flags',
  enabled: 'enabled',
};

/** Applies changes to a webhook; enabling it clears why FlagShip disabled it. */
export async function updateWebhook(db: Queryable, id: string, changes: WebhookChanges): Promise<Webhook> {
  const entries = (Object.keys(CHANGE_COLUMNS) as Array<keyof WebhookChanges>).filter((name) => changes[name] !== undefined);
  const assignments = entries.map((name, index) => `${CHANGE_COLUMNS[name]} = $${index + 2}`);
  if (changes.enabled === true) assignments.push('disabled_reason = null', 'disabled_at = null');
  const { rows } = await db.query<Webhook>(
    `update webhook set ${[...assignments, 'updated_at = now()'].join(', ')} where id = $1 returning ${WEBHOOK_COLUMNS}`,
    [id, ...entries.map((name) => changes[name])],
  );
  if (!rows[0]) throw new NotFoundError(`webhook '${id}' does not exist`);
  return rows[0];
}

/** Moves the webhook's cursors in these environments to now (they start receiving from the next change). */
export async function restartCursors(db: Queryable, webhookId: string, environments: string[]): Promise<void> {
  await db.query(
    `update webhook_cursor c
        set version = e.version,
            request_event_id = coalesce((select max(r.id) from change_request_event r where r.environment_key = e.key), 0),
            failures = 0, first_failure_at = null, next_attempt_at = null, updated_at = now()
       from environment e
      where c.webhook_id = $1 and c.environment_key = e.key and e.key = any($2::text[])`,
    [webhookId, environments],
  );
}

/** Forgets the failure streaks of a webhook's cursors, so a re-enabled webhook is tried at once. */
export async function resetCursorFailures(db: Queryable, webhookId: string): Promise<void> {
  await db.query(
    `update webhook_cursor set failures = 0, first_failure_at = null, next_attempt_at = null, updated_at = now()
      where webhook_id = $1`,
    [webhookId],
  );
}

export async function deleteWebhook(db: Queryable, id: string): Promise<Webhook> {
  const { rows } = await db.query<Webhook>(`delete from webhook where id = $1 returning ${WEBHOOK_COLUMNS}`, [id]);
  if (!rows[0]) throw new NotFoundError(`webhook '${id}' does not exist`);
  return rows[0];
}

/** Replaces the signing secret; the previous one keeps signing for `previousValidSeconds` (0: not at all). */
export async function replaceSigningSecret(
  db: Queryable,
  id: string,
  secret: string,
  previousValidSeconds: number,
): Promise<Webhook> {
  const { rows } = await db.query<Webhook>(
    `update webhook
        set previous_signing_secret = case when $3::int > 0 then signing_secret end,
            previous_secret_expires_at = case when $3::int > 0 then now() + make_interval(secs => $3::int) end,
            signing_secret = $2,
            updated_at = now()
      where id = $1
      returning ${WEBHOOK_COLUMNS}`,
    [id, secret, previousValidSeconds],
  );
  if (!rows[0]) throw new NotFoundError(`webhook '${id}' does not exist`);
  return rows[0];
}

/** The secrets that sign a webhook's deliveries now: the current one, and the previous one until it expires. */
export async function findSigningSecrets(db: Queryable, id: string): Promise<string[] | undefined> {
  const { rows } = await db.query<{ current: string; previous: string | null }>(
    `select signing_secret as current,
            case when previous_secret_expires_at > now() then previous_signing_secret end as previous
       from webhook where id = $1`,
    [id],
  );
  const row = rows[0];
  return row && (row.previous ? [row.current, row.previous] : [row.current]);
}

export interface DeliveryPageOptions {
  before?: number;
  limit: number;
}

/** A webhook's delivery attempts, newest first. */
export async function listDeliveries(db: Queryable, webhookId: string, page: DeliveryPageOptions): Promise<Delivery[]> {
  const { rows } = await db.query<Delivery>(
    `select ${DELIVERY_COLUMNS} from webhook_delivery
      where webhook_id = $1 and ($2::bigint is null or id < $2)
      order by id desc
      limit $3`,
    [webhookId, page.before ?? null, page.limit],
  );
  return rows;
}

export interface NewDelivery {
  webhookId: string;
  messageId: string;
  type: string;
  eventId: number | null;
  environment: string | null;
  version: number | null;
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseBody: string | null;
}

const INSERT_DELIVERY = `
  insert into webhook_delivery
    (webhook_id, message_id, type, event_id, environment_key, version, attempt, status_code, latency_ms, error, response_body)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  returning ${DELIVERY_COLUMNS}`;

function deliveryValues(delivery: NewDelivery): unknown[] {
  return [
    delivery.webhookId,
    delivery.messageId,
    delivery.type,
    delivery.eventId,
    delivery.environment,
    delivery.version,
    delivery.attempt,
    delivery.statusCode,
    delivery.latencyMs,
    delivery.error,
    delivery.responseBody,
  ];
}

/** Keeps the newest DELIVERY_LOG_SIZE attempts of a webhook. */
async function pruneDeliveries(db: Queryable, webhookId: string): Promise<void> {
  await db.query(
    `delete from webhook_delivery
      where webhook_id = $1
        and id <= (select id from webhook_delivery where webhook_id = $1 order by id desc offset $2 limit 1)`,
    [webhookId, DELIVERY_LOG_SIZE],
  );
}

/** Logs an attempt that moves no cursor (a ping). */
export async function recordDelivery(db: Queryable, delivery: NewDelivery): Promise<Delivery> {
  const { rows } = await db.query<Delivery>(INSERT_DELIVERY, deliveryValues(delivery));
  await pruneDeliveries(db, delivery.webhookId);
  return rows[0]!;
}

/** One (webhook, environment) delivery lane: its subscription and where its cursor stands. */
export interface Lane {
  webhookId: string;
  environment: string;
}

export interface LaneState extends Lane {
  url: string;
  format: WebhookFormat;
  flags: string[] | null;
  /** False when disabled, or when the webhook no longer takes this environment. */
  active: boolean;
  version: number;
  /** The last change-request event delivered (change_request_event.id). */
  requestEventId: number;
  failures: number;
  firstFailureAt: string | null;
  nextAttemptAt: string | null;
}

const LANE_COLUMNS = `
  c.webhook_id as "webhookId", c.environment_key as environment, w.url, w.format, w.flags,
  w.enabled and (w.environments is null or c.environment_key = any(w.environments)) as active,
  c.version, c.request_event_id::int as "requestEventId", c.failures, c.first_failure_at as "firstFailureAt", c.next_attempt_at as "nextAttemptAt"`;

/** A lane's current state, or undefined when its webhook was deleted. */
export async function findLaneState(db: Queryable, lane: Lane): Promise<LaneState | undefined> {
  const { rows } = await db.query<LaneState>(
    `select ${LANE_COLUMNS}
       from webhook_cursor c join webhook w on w.id = c.webhook_id
      where c.webhook_id = $1 and c.environment_key = $2`,
    [lane.webhookId, lane.environment],
  );
  return rows[0];
}

/**
 * Gives every webhook a cursor in every environment. An environment added
 * after the webhook starts at 0 (all its changes are new to the webhook).
 */
export async function ensureCursors(db: Queryable): Promise<void> {
  await db.query(
    `insert into webhook_cursor (webhook_id, environment_key, version, request_event_id)
     select w.id, e.key,
            case when e.created_at > w.created_at then 0 else e.version end,
            case when e.created_at > w.created_at then 0
                 else coalesce((select max(r.id) from change_request_event r where r.environment_key = e.key), 0) end
       from webhook w cross join environment e
     on conflict (webhook_id, environment_key) do nothing`,
  );
}

/** The lanes of enabled webhooks that take their environment; only `environment`'s when given. */
export async function listActiveLanes(db: Queryable, environment?: string): Promise<LaneState[]> {
  const { rows } = await db.query<LaneState>(
    `select ${LANE_COLUMNS}
       from webhook_cursor c join webhook w on w.id = c.webhook_id
      where w.enabled
        and (w.environments is null or c.environment_key = any(w.environments))
        and ($1::text is null or c.environment_key = $1)
      order by c.webhook_id, c.environment_key`,
    [environment ?? null],
  );
  return rows;
}

/**
 * Logs an accepted attempt and moves the lane's cursor to its event, in one
 * statement (so they commit together). Compare-and-set on the version the
 * attempt started from: returns false if the cursor had moved.
 */
export async function recordAccepted(db: Queryable, lane: LaneState, delivery: NewDelivery & { version: number }): Promise<boolean> {
  const { rows } = await db.query<{ moved: boolean }>(
    `with moved as (
       update webhook_cursor
          set version = $12, failures = 0, first_failure_at = null, next_attempt_at = null, updated_at = now()
        where webhook_id = $1 and environment_key = $5 and version = $13
        returning 1
     ), logged as (${INSERT_DELIVERY})
     select exists (select 1 from moved) as moved, (select count(*) from logged) as logged`,
    [...deliveryValues(delivery), delivery.version, lane.version],
  );
  await pruneDeliveries(db, lane.webhookId);
  return rows[0]!.moved;
}

/**
 * Logs an accepted attempt of a change-request event and moves the lane's
 * request-event cursor past it, in one statement; compare-and-set on where
 * both cursors stood when the attempt started.
 */
export async function recordRequestEventAccepted(db: Queryable, lane: LaneState, delivery: NewDelivery, requestEventId: number): Promise<boolean> {
  const { rows } = await db.query<{ moved: boolean }>(
    `with moved as (
       update webhook_cursor
          set request_event_id = $12, failures = 0, first_failure_at = null, next_attempt_at = null, updated_at = now()
        where webhook_id = $1 and environment_key = $5 and version = $13 and request_event_id = $14
        returning 1
     ), logged as (${INSERT_DELIVERY})
     select exists (select 1 from moved) as moved, (select count(*) from logged) as logged`,
    [...deliveryValues(delivery), requestEventId, lane.version, lane.requestEventId],
  );
  await pruneDeliveries(db, lane.webhookId);
  return rows[0]!.moved;
}

export interface FailureRecord {
  failures: number;
  firstFailureAt: Date;
  nextAttemptAt: Date;
}

/** Logs a failed attempt and the lane's failure streak, in one statement. */
export async function recordFailed(db: Queryable, lane: LaneState, delivery: NewDelivery, failure: FailureRecord): Promise<void> {
  await db.query(
    `with streak as (
       update webhook_cursor
          set failures = $12, first_failure_at = $13, next_attempt_at = $14, updated_at = now()
        where webhook_id = $1 and environment_key = $5 and version = $15
        returning 1
     ), logged as (${INSERT_DELIVERY})
     select (select count(*) from streak) as streak, (select count(*) from logged) as logged`,
    [...deliveryValues(delivery), failure.failures, failure.firstFailureAt, failure.nextAttemptAt, lane.version],
  );
  await pruneDeliveries(db, lane.webhookId);
}

/** FlagShip disables a webhook that kept failing, saying why (shown by the API and in /metrics). */
export async function disableFailingWebhook(db: Queryable, webhookId: string, reason: string): Promise<void> {
  await db.query(
    `update webhook set enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now()
      where id = $1 and enabled`,
    [webhookId, reason],
  );
}

/** Webhooks FlagShip disabled for failing (for the metrics). */
export async function listFailingWebhooks(db: Queryable): Promise<Array<{ id: string; disabledAt: string }>> {
  const { rows } = await db.query<{ id: string; disabledAt: string }>(
    `select id, disabled_at as "disabledAt" from webhook where disabled_reason is not null order by id`,
  );
  return rows;
}

/** Lanes of enabled webhooks whose next event has failed at least once (for the metrics). */
export async function listFailingLanes(db: Queryable): Promise<Array<Lane & { failures: number }>> {
  const { rows } = await db.query<Lane & { failures: number }>(
    `select c.webhook_id as "webhookId", c.environment_key as environment, c.failures
       from webhook_cursor c join webhook w on w.id = c.webhook_id
      where w.enabled and c.failures > 0
      order by c.webhook_id, c.environment_key`,
  );
  return rows;
}
