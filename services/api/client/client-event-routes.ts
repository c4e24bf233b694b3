import { Counter } from 'prom-client';
import { createClientEventWriter } from '../../../shared/domain/client-events/client-event-writer.js';
import { ValidationError } from '../../../shared/errors.js';
import { ClientEventBatchSchema, ClientEventReceiptSchema, type ClientEventBatch } from '../../../shared/schemas/client-events.js';
import type { Token } from '../../../shared/schemas/tokens.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { createReportLimiter, DEFAULT_REPORTS_PER_MINUTE, MAX_FRONTEND_REPORTED_COUNT } from '../usage/report-limits.js';
import { sdkEnvironment } from './sdk-environment.js';

/**
 * A frontend token's secret ships in web pages: one browser does not see ten
 * thousand exposures of one flag in a minute, so a bucket claiming more is a
 * 400 naming it (as for Unleash metrics reports), and a leaked secret cannot
 * trip or mask a guard at will.
 */
function checkPlausibleBatch(token: Token, batch: ClientEventBatch): void {
  if (token.kind !== 'frontend') return;
  const index = batch.buckets.findIndex((bucket) => bucket.count > MAX_FRONTEND_REPORTED_COUNT);
  if (index < 0) return;
  const message = `must be at most ${MAX_FRONTEND_REPORTED_COUNT} in one batch from a frontend token`;
  throw new ValidationError(`invalid body: body.buckets.${index}.count: ${message}`, [{ in: 'body', path: ['buckets', String(index), 'count'], message }]);
}

/** `POST /v1/client/events`: exposures and named events from apps, the figures guarded ramps decide on. */
export function addClientEventRoutes(table: RouteTable, { pool, clock, metricsReportsPerMinute }: ApiDeps): void {
  const now = clock ?? (() => new Date());
  const writer = createClientEventWriter(pool);
  const limiter = createReportLimiter({ perMinute: metricsReportsPerMinute ?? DEFAULT_REPORTS_PER_MINUTE, now });
  const buckets = new Counter({
    name: 'flagship_client_event_buckets_total',
    help: 'Buckets of exposures and events received from apps (POST /v1/client/events), by outcome (stored; duplicate: a retried batch already counted; unknown: not a flag)',
    labelNames: ['outcome'],
    registers: [table.metrics],
  });
  addRoute(table, {
    method: 'post',
    path: '/v1/client/events',
    summary: 'Exposures and named events counted by an app, per flag and variant: what guarded ramps watch',
    description:
      "SDKs send what they counted since the last batch: per flag and variant ('on'/'off' for a flag without variants) the exposures (`event: \"exposure\"`) and named events (`errors`, or any `track()`ed name), each bucket a window of at most a minute. Counted per minute, flag, variant, event and app in the token's environment, kept 7 days; names that are no flag are skipped. Batches arriving together are written by one statement, and each is answered once committed. Give each batch a `batchId` (UUID) and resend it unchanged after a failure: a batch id already counted is acknowledged (`duplicate: true`) and not counted again. Frontend tokens may claim at most 10,000 per bucket; a token may send 6,000 batches a minute to one API process (429 with Retry-After beyond).",
    tags: ['client'],
    auth: ['sdk', 'frontend'],
    body: ClientEventBatchSchema,
    // 1,000 buckets with long names and variants: a few hundred kilobytes.
    bodyLimit: '1mb',
    example: ClientEventBatchSchema.meta()?.example,
    responses: {
      202: { description: 'Counted (or already counted: `duplicate`)', schema: ClientEventReceiptSchema },
      429: { description: 'The token sent its batches of this minute; Retry-After says when to send again' },
      503: { description: 'PostgreSQL is away, or too many counts are waiting to be written: resend the same batch later' },
    },
    handle: async ({ body, token }) => {
      checkPlausibleBatch(token, body);
      limiter.admit(token);
      const receipt = await writer.record(sdkEnvironment(token), body, now());
      if (receipt.duplicate) buckets.inc({ outcome: 'duplicate' }, body.buckets.length);
      else {
        buckets.inc({ outcome: 'stored' }, receipt.accepted);
        buckets.inc({ outcome: 'unknown' }, Math.max(0, body.buckets.length - receipt.accepted));
      }
      return { status: 202, body: receipt };
    },
  });
}
