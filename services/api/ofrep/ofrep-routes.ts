import { snapshotOfToken } from '../snapshots/token-snapshot.js';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { UnauthorizedError } from '../../../shared/errors.js';
import {
  OfrepBulkEvaluationFailureSchema,
  OfrepBulkEvaluationSuccessSchema,
  OfrepEvaluationFailureSchema,
  OfrepEvaluationQuerySchema,
  OfrepEvaluationRequestSchema,
  OfrepEvaluationSuccessSchema,
  OfrepEventStreamQuerySchema,
  OfrepFlagKeyParamsSchema,
  OfrepFlagNotFoundSchema,
  OfrepGeneralErrorSchema,
  type OfrepBulkEvaluationSuccess,
  type OfrepEvaluationFailure,
  type OfrepEvaluationRequest,
} from '../../../shared/schemas/ofrep.js';
import type { EvaluationContext } from '../../../packages/evaluation/index.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import type { Token } from '../../../shared/schemas/tokens.js';
import type { RevocationWatch } from '../../../shared/domain/tokens/revocation-watch.js';
import { UsageTally, type AnswerCache, type ContextAnswer } from '../snapshots/answer-cache.js';
import type { ApiDeps } from '../deps.js';
import type { AdvertisedOrigin } from '../http/advertised-origin.js';
import { bearerSecret } from '../http/auth.js';
import { etagMatches } from '../http/etag.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { watchEventStreams } from '../metrics.js';
import { bulkEtagOfJson } from './bulk-etag.js';
import { EventStreamHub } from './event-stream-hub.js';
import { ofrepAnswer, ofrepShape, variantCounted } from '../client/flag-answers.js';
import { indexSnapshot } from '../client/flag-index.js';
import { ofrepErrorHandler } from './ofrep-errors.js';
import { sdkEnvironment } from '../client/sdk-environment.js';
import { createStreamTicketIssuer, verifyStreamTicket } from './stream-tickets.js';
import { forEveryAnswer, jsonPerAnswer } from '../snapshots/snapshot-answers.js';
import { preparedJson } from '../http/prepared-json.js';

/** Where the bulk response's eventStreams URL points. */
export const OFREP_EVENT_STREAM_PATH = '/ofrep/v1/event-stream';

/** OFREP answers with evaluated values only, so code on users' devices (frontend tokens) may call it too. */
const OFREP_TOKEN_KINDS = ['sdk', 'frontend'] as const;

const AUTH_RESPONSES = {
  401: { description: 'No token, or an unknown or revoked one', schema: OfrepGeneralErrorSchema },
  403: { description: 'Neither an sdk nor a frontend token', schema: OfrepGeneralErrorSchema },
};

/** One flag of the bulk answer: its OFREP success or failure body (the metadata shows the bucket). */
const bulkEntryJson = jsonPerAnswer((state, evaluation, bucket) => ofrepShape(state, evaluation, bucket).body, {
  showsBucket: true,
  unserialisable: (state, message): OfrepEvaluationFailure => ({ key: state.key, errorCode: 'GENERAL', errorDetails: message }),
});

/** The bulk body for one context as JSON bytes, its ETag (their digest), and the usage it counts. */
function evaluateInBulk(snapshot: Snapshot, context: EvaluationContext, streamUrl: string): ContextAnswer {
  const tally = new UsageTally();
  const entryOf = bulkEntryJson(snapshot);
  const entries: string[] = [];
  forEveryAnswer(snapshot, context, (state, evaluation, bucket, index) => {
    // An entry with an error (a missing targeting key) is not an evaluation the app received.
    if (evaluation.errorCode === undefined) {
      tally.add(state.key, evaluation.enabled, evaluation.variant.enabled ? evaluation.variant.name : undefined);
    }
    entries.push(entryOf(index, state, evaluation, bucket));
  });
  const eventStreams: OfrepBulkEvaluationSuccess['eventStreams'] = [{ type: 'sse', url: streamUrl }];
  // What JSON.stringify({ flags, eventStreams }) writes, the flags already serialised.
  const json = preparedJson(`{"flags":[${entries.join(',')}],"eventStreams":${JSON.stringify(eventStreams)}}`);
  return { json, etag: bulkEtagOfJson(json.text), tally };
}

/**
 * The OpenFeature Remote Evaluation Protocol: single and bulk evaluation for the
 * sdk token's environment, served from the snapshot, plus the event stream the
 * bulk response advertises (ADR-0008).
 */
export function addOfrepRoutes(
  table: RouteTable,
  {
    pool,
    snapshots,
    logger,
    usage,
    revocations,
    advertisedOrigin,
    answers,
  }: ApiDeps & { revocations: RevocationWatch; advertisedOrigin: AdvertisedOrigin; answers: AnswerCache },
): void {
  const hub = new EventStreamHub(snapshots, revocations, logger);
  watchEventStreams(table.metrics, () => hub.openStreams());

  const issueStreamTicket = createStreamTicketIssuer();

  /** The bulk body as JSON bytes (the ETag is their digest), for both the Express and the lean handler. */
  const bulkAnswer = async (token: Token, context: OfrepEvaluationRequest['context'], req: IncomingMessage) => {
    const snapshot = await snapshotOfToken(snapshots, token);
    // The guard has just accepted this bearer secret, so it is present.
    const ticket = issueStreamTicket(token.id, bearerSecret(req.headers.authorization)!);
    const streamUrl = `${advertisedOrigin(req)}${OFREP_EVENT_STREAM_PATH}?ticket=${ticket}`;
    const evaluated = context ?? {};
    // The URL is part of the body, so of what is kept: it names the token and the address the caller used.
    const answer = answers.answer('ofrep-bulk', snapshot, `${streamUrl}\u0000${JSON.stringify(evaluated)}`, () =>
      evaluateInBulk(snapshot, evaluated, streamUrl),
    );
    answer.tally.countInto(usage, snapshot.environment);
    return { json: answer.json, etag: answer.etag! };
  };

  addRoute(table, {
    method: 'post',
    path: '/ofrep/v1/evaluate/flags/{key}',
    summary: 'OFREP: evaluate one flag for a context',
    description:
      "OpenFeature Remote Evaluation Protocol, single flag: its value, variant (`on`/`off`), reason and metadata for the context, in the sdk token's environment. Errors are OFREP's own bodies.",
    tags: ['ofrep'],
    auth: OFREP_TOKEN_KINDS,
    params: OfrepFlagKeyParamsSchema,
    query: OfrepEvaluationQuerySchema,
    body: OfrepEvaluationRequestSchema,
    example: { context: { targetingKey: 'user-42' } },
    responses: {
      200: { description: "The typed value (the chosen variant's payload, else the boolean), the variant's name (else on/off), the reason and metadata", schema: OfrepEvaluationSuccessSchema },
      400: { description: 'INVALID_CONTEXT, PARSE_ERROR, or TARGETING_KEY_MISSING for a partial rollout', schema: OfrepEvaluationFailureSchema },
      404: { description: "FLAG_NOT_FOUND: no such live flag in the token's environment", schema: OfrepFlagNotFoundSchema },
      ...AUTH_RESPONSES,
    },
    handle: async ({ params, body, token }) => {
      const snapshot = await snapshotOfToken(snapshots, token);
      const answer = ofrepAnswer(indexSnapshot(snapshot), params.key, body.context);
      if (answer.status === 200) usage?.count(snapshot.environment, params.key, answer.body.metadata.enabled === true, variantCounted(answer.body));
      return answer;
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/ofrep/v1/evaluate/flags',
    summary: "OFREP: evaluate every flag of the token's environment for a context",
    description:
      "OpenFeature Remote Evaluation Protocol, bulk: every flag of the sdk token's environment for the context, with an ETag for `If-None-Match`, and the URL of an SSE stream (`eventStreams`) that says when to fetch again.",
    tags: ['ofrep'],
    auth: OFREP_TOKEN_KINDS,
    query: OfrepEvaluationQuerySchema,
    body: OfrepEvaluationRequestSchema,
    example: { context: { targetingKey: 'user-42' } },
    headers: z.object({ 'if-none-match': z.string().optional().meta({ description: 'The ETag of the last bulk response' }) }),
    responses: {
      200: {
        description: 'Every flag (a missing targeting key fails only the partial rollouts), and the event stream to listen on',
        schema: OfrepBulkEvaluationSuccessSchema,
        headers: { ETag: 'Changes when any answer in the body does' },
      },
      304: { description: 'Not modified: If-None-Match names the current ETag' },
      400: { description: 'INVALID_CONTEXT or PARSE_ERROR', schema: OfrepBulkEvaluationFailureSchema },
      ...AUTH_RESPONSES,
    },
    handle: async ({ body, token, req }) => {
      const { json, etag } = await bulkAnswer(token, body.context, req);
      if (etagMatches(req.headers['if-none-match'], etag)) return { status: 304, headers: { ETag: etag } };
      return { json, headers: { ETag: etag } };
    },
    lean: async ({ body, token, req }) => {
      const { json, etag } = await bulkAnswer(token, body.context, req);
      if (etagMatches(req.headers['if-none-match'], etag)) return { status: 304, headers: ['ETag', etag] };
      return { status: 200, headers: ['ETag', etag], body: json };
    },
  });

  addRoute(table, {
    method: 'get',
    path: OFREP_EVENT_STREAM_PATH,
    summary: "OFREP event stream (SSE): a refetchEvaluation event with the new ETag on every change of the token's environment",
    description:
      "Server-sent events: `refetchEvaluation` with the new ETag each time the token's environment changes, and a keep-alive comment every 15 s. Open it with the URL from the bulk response (its `ticket` authenticates, since EventSource cannot send headers) or with an sdk token in `Authorization`. Reconnects send `Last-Event-ID` (the version).",
    tags: ['ofrep'],
    // Authenticated below: EventSource cannot send headers, so the bulk response's URL carries a ticket.
    auth: 'public',
    query: OfrepEventStreamQuerySchema,
    headers: z.object({
      authorization: z.string().optional().meta({ description: 'Bearer <sdk or frontend token>, for clients that can send headers instead of a ticket' }),
      'last-event-id': z.string().optional().meta({ description: 'The last version seen; sent by EventSource on reconnect' }),
    }),
    responses: {
      200: { description: 'text/event-stream: `data: {"type":"refetchEvaluation","etag":"\\"12\\""}` with `id: 12`' },
      ...AUTH_RESPONSES,
    },
    handle: async ({ query, req, res }) => {
      let opened: { tokenId: string; environment: string; projects: readonly string[] };
      if (query.ticket !== undefined) {
        const ticket = await verifyStreamTicket(pool, query.ticket);
        if (!ticket) {
          throw new UnauthorizedError('unknown, forged, expired or revoked event-stream ticket: fetch the bulk evaluation again for a new URL');
        }
        opened = ticket;
      } else {
        // OFREP kinds only (no admin): the guard always finds a token.
        const token = (await table.authenticate(OFREP_TOKEN_KINDS)(req)).token!;
        opened = { tokenId: token.id, environment: sdkEnvironment(token), projects: token.projects };
      }
      await hub.open(req, res, opened);
    },
  });

  table.router.use('/ofrep', ofrepErrorHandler(table.reportError));
}
