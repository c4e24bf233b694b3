import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, TimestampSchema, UuidSchema, queryInteger } from './common.js';
import { DescriptionSchema } from './flags.js';

export const WebhookFormatSchema = z.enum(['json', 'slack'], { error: 'must be json or slack' });
export type WebhookFormat = z.infer<typeof WebhookFormatSchema>;

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export const WebhookUrlSchema = z
  .string()
  .max(MAX_WEBHOOK_URL_LENGTH, { error: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` })
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http:// or https:// URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
    }
    // Credentials in a URL end up in logs and proxies; receivers authenticate FlagShip by the signature.
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password (verify the signature instead)' });
    }
  })
  .meta({ example: 'https://hooks.example.com/flagship' });

const FilterSchema = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item)
    .min(1, { error: `give at least one ${what}, or null for all` })
    .max(100, { error: `at most 100 ${what}s` })
    .nullable();

const EnvironmentsFilterSchema = FilterSchema(EnvironmentKeySchema, 'environment').meta({
  description: 'Only changes in these environments; null (the default): every environment',
  example: ['prod'],
});
const FlagsFilterSchema = FilterSchema(FlagKeySchema, 'flag').meta({
  description: 'Only changes of these flags; null (the default): every flag (and, then only, segment changes)',
  example: ['new_ui'],
});

export const WebhookSchema = z
  .object({
    id: UuidSchema,
    url: z.string(),
    description: z.string(),
    format: WebhookFormatSchema,
    environments: z.array(z.string()).nullable(),
    flags: z.array(z.string()).nullable(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().meta({ description: 'Why FlagShip disabled it (repeated failures); null otherwise' }),
    disabledAt: TimestampSchema.nullable(),
    previousSecretExpiresAt: TimestampSchema.nullable().meta({
      description: 'After a rotation, until when the previous secret also signs',
    }),
    createdBy: z.string(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Webhook', description: 'A subscription: where changes are POSTed, which ones, in what format, and whether it is enabled' });
export type Webhook = z.infer<typeof WebhookSchema>;

export const CreateWebhookSchema = z
  .strictObject({
    url: WebhookUrlSchema,
    description: DescriptionSchema.optional(),
    format: WebhookFormatSchema.optional().meta({ description: 'json (default): the change event; slack: a short { text }' }),
    environments: EnvironmentsFilterSchema.optional(),
    flags: FlagsFilterSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: 'CreateWebhook', description: 'A new subscription: the URL, optional filters and format' });
export type CreateWebhook = z.infer<typeof CreateWebhookSchema>;

export const UpdateWebhookSchema = z
  .strictObject({
    url: WebhookUrlSchema.optional(),
    description: DescriptionSchema.optional(),
    format: WebhookFormatSchema.optional(),
    environments: EnvironmentsFilterSchema.optional(),
    flags: FlagsFilterSchema.optional(),
    enabled: z.boolean().optional().meta({ description: 'true re-enables a webhook FlagShip disabled, retrying at once' }),
  })
  .refine((value) => Object.keys(value).length > 0, { error: 'give at least one field to change' })
  .meta({ id: 'UpdateWebhook', description: 'The fields of a webhook to change; the others stay' });
export type UpdateWebhook = z.infer<typeof UpdateWebhookSchema>;

export const CreatedWebhookSchema = z
  .object({
    webhook: WebhookSchema,
    secret: z.string().meta({ description: 'The signing secret (whsec_…): shown in this response only' }),
  })
  .meta({ id: 'CreatedWebhook', description: 'A webhook with its signing secret, which no other response shows' });

/** A day: how long the previous secret keeps signing after a rotation, unless told otherwise. */
export const DEFAULT_PREVIOUS_SECRET_SECONDS = 24 * 3600;

export const RotateSecretSchema = z
  .strictObject({
    previousSecretValidSeconds: z
      .number({ error: 'must be a whole number of seconds from 0 to 604800' })
      .int({ error: 'must be a whole number of seconds from 0 to 604800' })
      .min(0, { error: 'must be a whole number of seconds from 0 to 604800' })
      .max(7 * 24 * 3600, { error: 'must be a whole number of seconds from 0 to 604800' })
      .optional()
      .meta({ description: 'How long the old secret also signs (default a day; 0: stop at once, e.g. after a leak)' }),
  })
  .meta({ id: 'RotateWebhookSecret', description: 'How the rotation treats the previous secret' });
export type RotateSecret = z.infer<typeof RotateSecretSchema>;

export const WebhookIdParamsSchema = z.strictObject({ id: UuidSchema });

export const DeliverySchema = z
  .object({
    id: z.number().int(),
    messageId: z.string().meta({ description: 'The webhook-id header: the same on every attempt at one event' }),
    type: z.string(),
    eventId: z.number().int().nullable(),
    environment: z.string().nullable(),
    version: z.number().int().nullable(),
    attempt: z.number().int(),
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int(),
    error: z.string().nullable(),
    responseBody: z.string().nullable().meta({ description: 'At most 1 KB of the answer' }),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'WebhookDelivery', description: 'One delivery attempt: the event, the answer (status, latency, up to 1 KB) or the error' });
export type Delivery = z.infer<typeof DeliverySchema>;

export const DeliveriesQuerySchema = z.strictObject({
  /** Only deliveries older than this id (the nextBefore of the previous page). */
  before: queryInteger(1, Number.MAX_SAFE_INTEGER).optional(),
  limit: queryInteger(1, 200).optional(),
});

export const DeliveryPageSchema = z
  .object({ deliveries: z.array(DeliverySchema), nextBefore: z.number().int().nullable() })
  .meta({ id: 'WebhookDeliveryPage', description: 'Delivery attempts, newest first; `nextBefore` is the cursor for the next page (null on the last)' });

export const PingResultSchema = z
  .object({ accepted: z.boolean(), delivery: DeliverySchema })
  .meta({ id: 'WebhookPingResult', description: 'Whether the receiver accepted the ping (2xx), and the logged attempt' });

/** A BullMQ job that wakes one delivery lane (webhook × environment) when its retry is due. */
export const WebhookRetryJobSchema = z.object({
  webhookId: UuidSchema,
  environment: EnvironmentKeySchema,
});
export type WebhookRetryJob = z.infer<typeof WebhookRetryJobSchema>;
