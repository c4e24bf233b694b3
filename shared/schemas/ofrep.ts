import { z } from 'zod';
import { MAX_CONTEXT_VALUE_LENGTH } from '../../packages/evaluation/limits.js';
import { FlagValueSchema, refineContextValues } from './evaluation.js';

/*
 * The OpenFeature Remote Evaluation Protocol (open-feature/protocol, service/openapi.yaml,
 * and ADR-0008 for event streams), as FlagShip speaks it: a flag's value is the chosen
 * variant's payload (typed), else its boolean.
 * Request schemas are loose on purpose: OFREP providers may send fields FlagShip
 * does not use, and must not be refused for it.
 */

/** OFREP's evaluation context: `targetingKey` picks the user's bucket, other attributes are allowed and unused. */
export const OfrepContextSchema = z
  .looseObject(
    { targetingKey: z.string({ error: 'must be a string' }).optional() },
    { error: 'must be an object' },
  )
  .superRefine(refineContextValues)
  .meta({ id: 'OfrepContext', description: `OFREP's evaluation context: \`targetingKey\` (the user id) and any attributes; every text at most ${MAX_CONTEXT_VALUE_LENGTH} characters` });

/** The body of both evaluation endpoints. */
export const OfrepEvaluationRequestSchema = z
  .looseObject({ context: OfrepContextSchema.optional() }, { error: 'the body must be a JSON object' })
  .meta({ id: 'OfrepEvaluationRequest', description: 'An OFREP evaluation request: the context' });
export type OfrepEvaluationRequest = z.infer<typeof OfrepEvaluationRequestSchema>;

export const OfrepFlagKeyParamsSchema = z.object({ key: z.string() });

/** SSE-trigger metadata a provider echoes from a `refetchEvaluation` event (ADR-0008); accepted, not required. */
export const OfrepEvaluationQuerySchema = z.looseObject({
  flagConfigEtag: z.string().optional(),
  flagConfigLastModified: z.string().optional(),
});

/**
 * FlagShip sends `environment`, `version` (of the flag's last change), `enabled` (whether the
 * flag is on, also when the value is a variant's payload), `rollout` for a simple state,
 * `bucket` when a percentage took part, `payloadType` when a variant's payload is the value.
 */
export const OfrepMetadataSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .meta({ example: { environment: 'prod', version: 12, enabled: true, rollout: 25, bucket: 17 } });

export const OfrepEvaluationSuccessSchema = z
  .object({
    key: z.string(),
    value: FlagValueSchema,
    reason: z.string().meta({ examples: ['STATIC', 'SPLIT', 'TARGETING_MATCH', 'DISABLED'] }),
    variant: z.string().meta({ description: "The chosen variant's name, else on / off", examples: ['blue', 'on', 'off'] }),
    metadata: OfrepMetadataSchema,
  })
  .meta({ id: 'OfrepEvaluationSuccess', description: 'An OFREP evaluation: value, variant, reason and metadata' });
export type OfrepEvaluationSuccess = z.infer<typeof OfrepEvaluationSuccessSchema>;

export const OfrepFailureCodeSchema = z.enum(['PARSE_ERROR', 'TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'GENERAL']);
export type OfrepFailureCode = z.infer<typeof OfrepFailureCodeSchema>;

export const OfrepEvaluationFailureSchema = z
  .object({ key: z.string(), errorCode: OfrepFailureCodeSchema, errorDetails: z.string().optional() })
  .meta({ id: 'OfrepEvaluationFailure', description: 'A failed OFREP evaluation: an OFREP error code and details' });
export type OfrepEvaluationFailure = z.infer<typeof OfrepEvaluationFailureSchema>;

export const OfrepFlagNotFoundSchema = z
  .object({ key: z.string(), errorCode: z.literal('FLAG_NOT_FOUND'), errorDetails: z.string().optional() })
  .meta({ id: 'OfrepFlagNotFound', description: "OFREP's FLAG_NOT_FOUND answer" });
export type OfrepFlagNotFound = z.infer<typeof OfrepFlagNotFoundSchema>;

/** ADR-0008: where a provider connects to hear that it should re-fetch. */
export const OfrepEventStreamSchema = z
  .object({
    type: z.literal('sse'),
    url: z.string().meta({ description: 'Opaque; carries a credential that opens this stream only. Do not log it.' }),
    inactivityDelaySec: z.number().int().min(1).optional(),
  })
  .meta({ id: 'OfrepEventStream', description: 'Where an OFREP client listens for changes: an SSE URL' });
export type OfrepEventStream = z.infer<typeof OfrepEventStreamSchema>;

export const OfrepBulkEvaluationSuccessSchema = z
  .object({
    flags: z.array(z.union([OfrepEvaluationSuccessSchema, OfrepEvaluationFailureSchema])),
    eventStreams: z.array(OfrepEventStreamSchema),
  })
  .meta({ id: 'OfrepBulkEvaluationSuccess', description: 'Every flag of the environment evaluated for the context, and the event streams to listen on' });
export type OfrepBulkEvaluationSuccess = z.infer<typeof OfrepBulkEvaluationSuccessSchema>;

export const OfrepBulkEvaluationFailureSchema = z
  .object({ errorCode: OfrepFailureCodeSchema, errorDetails: z.string().optional() })
  .meta({ id: 'OfrepBulkEvaluationFailure', description: 'A bulk OFREP evaluation that failed as a whole (the context is invalid)' });
export type OfrepBulkEvaluationFailure = z.infer<typeof OfrepBulkEvaluationFailureSchema>;

/** OFREP's generalErrorResponse: what 401, 403 and 500 carry. */
export const OfrepGeneralErrorSchema = z
  .object({ errorDetails: z.string() })
  .meta({ id: 'OfrepGeneralError', description: 'An OFREP error that is not about one flag (authentication, a dependency down)' });

/** The JSON `data` of every event on the OFREP event stream. */
export const OfrepRefetchEventSchema = z.object({
  type: z.literal('refetchEvaluation'),
  /** The environment's version as an ETag (`"12"`): the flag configuration that triggered the event. */
  etag: z.string(),
});
export type OfrepRefetchEvent = z.infer<typeof OfrepRefetchEventSchema>;

export const OfrepEventStreamQuerySchema = z.looseObject({ ticket: z.string().optional() });
