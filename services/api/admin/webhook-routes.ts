import { z } from 'zod';
import {
  CreateWebhookSchema,
  CreatedWebhookSchema,
  DeliveriesQuerySchema,
  DeliveryPageSchema,
  PingResultSchema,
  RotateSecretSchema,
  UpdateWebhookSchema,
  WebhookIdParamsSchema,
  WebhookSchema,
} from '../../../shared/schemas/webhooks.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { createWebhookService } from '../../../shared/domain/webhooks/webhook-service.js';

const DEFAULT_PAGE_SIZE = 50;
// A signing secret is in the response: no cache on the way may keep a copy.
const NO_STORE = { 'Cache-Control': 'no-store' };
const notFound = { 404: { description: 'No such webhook' } };

export function addWebhookRoutes(table: RouteTable, { pool, webhookPolicy }: ApiDeps): void {
  const webhooks = createWebhookService({ pool, policy: webhookPolicy ?? { allowPrivate: false } });

  addRoute(table, {
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Subscribe an HTTP endpoint to changes; the signing secret is in this response only',
    description:
      'Every matching change event is POSTed to `url` in version order per environment, signed as Standard Webhooks ' +
      '(webhook-id, webhook-timestamp, webhook-signature). The URL must resolve to a public address unless ' +
      'FLAGSHIP_WEBHOOK_ALLOW_PRIVATE=1; cloud metadata addresses are always refused. Deliveries start with the next change.',
    tags: ['webhooks'],
    auth: 'admin',
    role: 'admin',
    body: CreateWebhookSchema,
    example: { url: 'https://hooks.example.com/flagship', description: 'audit store', environments: ['prod'] },
    responses: {
      201: { description: 'Created; keep the secret to verify signatures', schema: CreatedWebhookSchema },
    },
    handle: async ({ body, principal }) => ({ status: 201, body: await webhooks.create(body, principal.actor), headers: NO_STORE }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/webhooks',
    summary: 'List webhooks (never their secrets)',
    description: 'Each webhook with its filters and whether it is enabled; `disabledReason` says why FlagShip disabled one.',
    tags: ['webhooks'],
    auth: 'admin',
    role: 'admin',
    responses: { 200: { description: 'Every webhook', schema: z.object({ webhooks: z.array(WebhookSchema) }) } },
    handle: async () => ({ body: { webhooks: await webhooks.list() } }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/webhooks/{id}',
    summary: 'Read a webhook',
    description: 'Its URL, filters, format and state; a webhook FlagShip disabled for failing shows `disabledReason`.',
    tags: ['webhooks'],
    auth: 'admin',
    role: 'admin',
    params: WebhookIdParamsSchema,
    responses: { 200: { description: 'The webhook', schema: WebhookSchema }, ...notFound },
    handle: async ({ params }) => ({ body: await webhooks.get(params.id) }),
  });

  addRoute(table, {
    method: 'patch',
    path: '/v1/webhooks/{id}',
    summary: 'Change a webhook: URL, filters, format, description, enabled',
    description:
      'An environment newly let through by `environments` receives changes from now on. `enabled: true` on a webhook ' +
      'FlagShip disabled clears the reason and resumes from where it stopped (the failed event first).',
    tags: ['webhooks'],
    auth: 'admin',
    role: 'admin',
    params: WebhookIdParamsSchema,
    body: UpdateWebhookSchema,
    example: { enabled: true, environments: ['prod', 'staging'] },
    responses: { 200: { description: 'The webhook', schema: WebhookSchema }, ...notFound },
    handle: async ({ params, body }) => ({ body: await webhooks.update(params.id, body) }),
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/webhooks/{id}',
    summary: 'Delete a webhook, its cursors and its delivery log',
    description: 'Nothing more is sent to it (an attempt already in flight may still arrive).',
    tags: ['webhooks'],
    auth: 'admin',
    role: 'admin',
    params: WebhookIdParamsSchema,
    responses: { 200: { description: 'The deleted webhook', schema: WebhookSchema }, ...notFound },
    handle: async ({ params }) => ({ body: await webhooks.remove(params.id) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/webhooks/{id}/rotate-secret',
    summary: 'Replace the signing secret; the new one is in this response only',
    description:
      'The previous secret keeps signing alongside the new one (two v1 signatures in webhook-signature) for ' +
      '`previousSecretValidSeconds` (default a day), so receivers can switch without missing a delivery; 0 stops it at once.',
    tags: ['webhooks'],
    auth: 'admin',
    role: 'admin',
    params: WebhookIdParamsSchema,
    body: RotateSecretSchema,
    example: { previousSecretValidSeconds: 3600 },
    bodyRequired: false,
    responses: { 200: { description: 'The webhook and its new secret', schema: CreatedWebhookSchema }, ...notFound },
    handle: async ({ params, body }) => ({
      body: await webhooks.rotateSecret(params.id, body.previousSecretValidSeconds),
      headers: NO_STORE,
    }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    summary: 'Delivery attempts, newest first; pass nextBefore back as before for the next page',
    description: 'Each attempt: the event, its webhook-id, the attempt number, status code, latency, error and up to 1 KB of the answer.',
    tags: ['webhooks'],
    auth: 'admin',
    role: 'admin',
    params: WebhookIdParamsSchema,
    query: DeliveriesQuerySchema,
    responses: { 200: { description: 'A page of attempts', schema: DeliveryPageSchema }, ...notFound },
    handle: async ({ params, query }) => {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const deliveries = await webhooks.deliveries(params.id, { before: query.before, limit });
      const nextBefore = deliveries.length === limit ? deliveries[deliveries.length - 1]!.id : null;
      return { body: { deliveries, nextBefore } };
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/webhooks/{id}/test',
    summary: 'Send a signed ping now and answer with the outcome',
    description:
      'POSTs `{ "type": "webhook.ping", ... }` (or a Slack text), signed like every delivery, whether or not the webhook is enabled. ' +
      'The attempt is also logged in its deliveries; no cursor moves.',
    tags: ['webhooks'],
    auth: 'admin',
    role: 'admin',
    params: WebhookIdParamsSchema,
    responses: { 200: { description: 'Whether the receiver accepted it (2xx), and the attempt', schema: PingResultSchema }, ...notFound },
    handle: async ({ params }) => ({ body: await webhooks.ping(params.id) }),
  });
}
