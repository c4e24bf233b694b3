import { randomUUID } from 'node:crypto';
import { listEnvironments } from '../environments/environment-repository.js';
import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import {
  deleteWebhook,
  findSigningSecrets,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  recordDelivery,
  replaceSigningSecret,
  requireWebhook,
  resetCursorFailures,
  restartCursors,
  updateWebhook,
} from './webhook-repository.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import {
  DEFAULT_PREVIOUS_SECRET_SECONDS,
  type CreateWebhook,
  type Delivery,
  type UpdateWebhook,
  type Webhook,
} from '../../schemas/webhooks.js';
import { AddressRefusedError, resolveAllowedAddress, type AddressPolicy } from './address-policy.js';
import { pingBody } from './payload.js';
import { sendWebhookRequest } from './send.js';
import { newSigningSecret, signatureHeaders } from './signing.js';
import type { Actor } from '../people/principal.js';

export interface WebhookServiceDeps {
  pool: Pool;
  policy: AddressPolicy;
}

export interface WebhookWithSecret {
  webhook: Webhook;
  secret: string;
}

export interface WebhookService {
  create(input: CreateWebhook, createdBy: Actor): Promise<WebhookWithSecret>;
  list(): Promise<Webhook[]>;
  get(id: string): Promise<Webhook>;
  update(id: string, changes: UpdateWebhook): Promise<Webhook>;
  remove(id: string): Promise<Webhook>;
  rotateSecret(id: string, previousSecretValidSeconds?: number): Promise<WebhookWithSecret>;
  deliveries(id: string, page: { before?: number; limit: number }): Promise<Delivery[]>;
  ping(id: string): Promise<{ accepted: boolean; delivery: Delivery }>;
}

/** The URL must be one FlagShip may call: checked on the address it resolves to now (and again at every delivery). */
async function checkUrl(url: string, policy: AddressPolicy): Promise<void> {
  try {
    await resolveAllowedAddress(new URL(url), policy);
  } catch (error) {
    if (!(error instanceof AddressRefusedError)) throw error;
    throw new ValidationError(`invalid body: body.url: ${error.message}`, [{ in: 'body', path: ['url'], message: error.message }]);
  }
}

async function checkEnvironments(db: Queryable, environments: string[] | null | undefined): Promise<void> {
  if (!environments) return;
  const known = new Set((await listEnvironments(db)).map((environment) => environment.key));
  const details = environments.flatMap((key, index) =>
    known.has(key) ? [] : [{ in: 'body', path: ['environments', String(index)], message: `environment '${key}' does not exist` }],
  );
  if (details.length > 0) {
    throw new ValidationError(`invalid body: ${details.map((d) => `body.${d.path.join('.')}: ${d.message}`).join('; ')}`, details);
  }
}

/** Environments a filter change newly lets through: their cursors start at now, not at an old position. */
async function newlyIncluded(db: Queryable, before: string[] | null, after: string[] | null): Promise<string[]> {
  if (before === null) return [];
  const all = after ?? (await listEnvironments(db)).map((environment) => environment.key);
  return all.filter((key) => !before.includes(key));
}

/** The rules of webhook administration; routes only translate HTTP to these calls. */
export function createWebhookService({ pool, policy }: WebhookServiceDeps): WebhookService {
  return {
    async create(input, createdBy) {
      await checkUrl(input.url, policy);
      const secret = newSigningSecret();
      const webhook = await withTransaction(pool, async (client) => {
        await checkEnvironments(client, input.environments);
        return insertWebhook(client, {
          url: input.url,
          description: input.description ?? '',
          format: input.format ?? 'json',
          environments: input.environments ?? null,
          flags: input.flags ?? null,
          enabled: input.enabled ?? true,
          signingSecret: secret,
          createdBy,
        });
      });
      return { webhook, secret };
    },

    list: () => listWebhooks(pool),

    get: (id) => requireWebhook(pool, id),

    async update(id, changes) {
      if (changes.url !== undefined) await checkUrl(changes.url, policy);
      return withTransaction(pool, async (client) => {
        const current = await requireWebhook(client, id, { forUpdate: true });
        await checkEnvironments(client, changes.environments);
        if (changes.environments !== undefined) {
          await restartCursors(client, id, await newlyIncluded(client, current.environments, changes.environments));
        }
        // Re-enabled: retry at once instead of waiting out the old streak's backoff.
        if (changes.enabled === true && !current.enabled) await resetCursorFailures(client, id);
        return updateWebhook(client, id, changes);
      });
    },

    remove: (id) => withTransaction(pool, (client) => deleteWebhook(client, id)),

    async rotateSecret(id, previousSecretValidSeconds = DEFAULT_PREVIOUS_SECRET_SECONDS) {
      const secret = newSigningSecret();
      const webhook = await withTransaction(pool, (client) => replaceSigningSecret(client, id, secret, previousSecretValidSeconds));
      return { webhook, secret };
    },

    async deliveries(id, page) {
      await requireWebhook(pool, id);
      return listDeliveries(pool, id, page);
    },

    async ping(id) {
      const webhook = await requireWebhook(pool, id);
      const secrets = await findSigningSecrets(pool, id);
      if (!secrets) throw new NotFoundError(`webhook '${id}' does not exist`);
      const now = new Date();
      const messageId = `ping_${randomUUID()}`;
      const body = pingBody(webhook.format, webhook.id, now);
      const result = await sendWebhookRequest({
        url: webhook.url,
        headers: { ...signatureHeaders(secrets, messageId, now, body), 'user-agent': 'FlagShip-Webhooks/1' },
        body,
        policy,
      });
      const delivery = await recordDelivery(pool, {
        webhookId: id,
        messageId,
        type: 'webhook.ping',
        eventId: null,
        environment: null,
        version: null,
        attempt: 1,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        error: result.error,
        responseBody: result.responseBody,
      });
      return { accepted: result.accepted, delivery };
    },
  };
}
