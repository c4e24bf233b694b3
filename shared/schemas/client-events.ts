import { z } from 'zod';

/** The name exposures travel under: one evaluation that gave the user a variant (or on/off). */
export const EXPOSURE_EVENT = 'exposure';

/** The built-in event name for errors an app counts (`track('errors')`); guards usually watch it. */
export const ERRORS_EVENT = 'errors';

/** The variants that mean "the flag was off for this user": the control arm of a guard. */
export const CONTROL_VARIANTS: readonly string[] = ['off', 'disabled'];

/** The most buckets one batch may carry; an SDK sends several batches rather than one huge one. */
export const MAX_BUCKETS_PER_BATCH = 1000;

/** The most one bucket may claim (a billion events of one kind in a minute is past any real app). */
export const MAX_BUCKET_COUNT = 1_000_000_000;

/** A bucket's window is at most a minute (plus a second of clock slack): counts are stored per minute. */
export const MAX_BUCKET_WINDOW_MS = 61_000;

const DateTimeSchema = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 date-time with a time zone, e.g. 2026-12-01T09:00:00Z' })
  .meta({ format: 'date-time' });

const NameSchema = (what: string) =>
  z
    .string({ error: `must be a string: the ${what}` })
    .min(1, { error: 'must not be empty' })
    .max(100, { error: 'must be at most 100 characters' });

export const ClientEventBucketSchema = z
  .strictObject({
    flag: z.string({ error: 'must be a string: the flag key' }).min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
    variant: NameSchema('variant the user got, or on / off'),
    event: NameSchema(`event name ('${EXPOSURE_EVENT}' for exposures)`),
    count: z
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must not be negative' })
      .max(MAX_BUCKET_COUNT, { error: `must be at most ${MAX_BUCKET_COUNT}` }),
    sum: z.number({ error: 'must be a number' }).finite({ error: 'must be a finite number' }).optional(),
    start: DateTimeSchema,
    end: DateTimeSchema,
  })
  .superRefine((bucket, ctx) => {
    const start = Date.parse(bucket.start);
    const end = Date.parse(bucket.end);
    if (end < start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
    else if (end - start > MAX_BUCKET_WINDOW_MS) ctx.addIssue({ code: 'custom', path: ['end'], message: 'a bucket covers at most a minute after start' });
  });
export type ClientEventBucket = z.infer<typeof ClientEventBucketSchema>;

/** `POST /v1/client/events`: what an app counted since its last batch. */
export const ClientEventBatchSchema = z
  .strictObject({
    appName: z.string({ error: "must be a string: the app's name" }).min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
    batchId: z
      .uuid({ error: 'must be a UUID' })
      .optional()
      .meta({ description: 'Makes a retry safe: a batch id already counted is acknowledged and not counted again' }),
    buckets: z
      .array(ClientEventBucketSchema, { error: 'must be an array of buckets' })
      .max(MAX_BUCKETS_PER_BATCH, { error: `at most ${MAX_BUCKETS_PER_BATCH} buckets per batch` }),
  })
  .meta({
    id: 'ClientEventBatch',
    description:
      "An app's exposures (event 'exposure') and named events per flag and variant ('on'/'off' for a flag without variants), each bucket a window of at most a minute",
    example: {
      appName: 'checkout',
      batchId: '6f1c2a4e-2b0f-4a57-9a53-0c4f9d1e2b7a',
      buckets: [
        { flag: 'new_checkout', variant: 'on', event: 'exposure', count: 120, start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:00:10Z' },
        { flag: 'new_checkout', variant: 'on', event: 'errors', count: 3, start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:00:10Z' },
        { flag: 'new_checkout', variant: 'off', event: 'checkout_value', count: 4, sum: 212.5, start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:00:10Z' },
      ],
    },
  });
export type ClientEventBatch = z.infer<typeof ClientEventBatchSchema>;

export const ClientEventReceiptSchema = z
  .object({
    accepted: z.number().int().meta({ description: 'Buckets counted (0 for a batch already counted)' }),
    duplicate: z.boolean().meta({ description: 'The batch id was counted before: nothing was added' }),
  })
  .meta({ id: 'ClientEventReceipt', description: 'What a batch added' });
export type ClientEventReceipt = z.infer<typeof ClientEventReceiptSchema>;
