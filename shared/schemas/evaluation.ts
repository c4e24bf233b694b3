import { z } from 'zod';
import { MAX_CONTEXT_VALUE_LENGTH } from '../../packages/evaluation/limits.js';
import { EnvironmentKeySchema, FlagKeySchema, VersionSchema } from './common.js';

/** OpenFeature resolution reasons FlagShip answers with. */
export const EvaluationReasonSchema = z.enum(['DISABLED', 'STATIC', 'SPLIT', 'TARGETING_MATCH', 'DEFAULT', 'ERROR']);

/** OpenFeature error codes evaluation itself produces. */
export const EvaluationErrorCodeSchema = z.enum(['FLAG_NOT_FOUND', 'TARGETING_KEY_MISSING', 'PARSE_ERROR']);

const VALUE_TOO_LONG = `must be at most ${MAX_CONTEXT_VALUE_LENGTH} characters`;

/** One context value as text, as every evaluating route takes it (Unleash's frontend API has the same cap). */
export const ContextValueSchema = z.string().max(MAX_CONTEXT_VALUE_LENGTH, { error: VALUE_TOO_LONG });

/**
 * The cap on every text of a context, wherever it sits (a known field, a property, any other
 * attribute, inside a list), for the context schemas of every evaluating route: no value
 * longer than MAX_CONTEXT_VALUE_LENGTH reaches evaluation, whose cost grows with it (a
 * REGEX match is program size × input length).
 */
export function refineContextValues(context: unknown, refinement: z.RefinementCtx): void {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: context, path: [] }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.length > MAX_CONTEXT_VALUE_LENGTH) refinement.addIssue({ code: 'custom', path, message: VALUE_TOO_LONG });
    } else if (typeof value === 'object' && value !== null) {
      // Object.entries reads own properties only; request input is at most 32 levels deep (http/unsafe-input.ts).
      for (const [key, child] of Object.entries(value)) pending.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] });
    }
  }
}

const contextString = (what: string) =>
  z.string({ error: `must be a string (${what})` }).min(1, { error: 'must not be empty' }).optional();

/**
 * Who is asking: OpenFeature's `targetingKey` (alias `key`, Unleash's `userId`) picks the
 * user's bucket; Unleash's standard fields and `properties` as its SDKs send them; any other
 * attribute counts as a property.
 */
export const EvaluationContextSchema = z
  .looseObject(
    {
      targetingKey: contextString('the user id that picks the rollout bucket'),
      key: contextString('the user id that picks the rollout bucket'),
      userId: contextString('the user id that picks the rollout bucket'),
      sessionId: contextString('the session id, stickiness when there is no user id'),
      remoteAddress: contextString('the IP address, for remoteAddress and IN_CIDR'),
      environment: z.string({ error: 'must be a string' }).optional(),
      appName: z.string({ error: 'must be a string' }).optional(),
      currentTime: z
        .string({ error: 'must be an ISO 8601 date-time string' })
        .refine((value) => !Number.isNaN(new Date(value).getTime()), { error: 'must be an ISO 8601 date-time' })
        .optional(),
      properties: z
        // null is what Unleash SDKs send for a property that is not set (the specification has it): absent.
        .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]), {
          error: 'must be an object of strings, numbers, booleans or null',
        })
        .optional(),
    },
    { error: 'must be an object like { "targetingKey": "user-42", "email": "ada@example.com" }' },
  )
  .superRefine(refineContextValues)
  .meta({ id: 'EvaluationContext', description: 'Who is asking: targetingKey (or key, or userId) picks the bucket; other attributes feed constraints', example: { targetingKey: 'user-42', email: 'ada@acme.com', properties: { plan: 'pro' } } });

/** `POST /v1/client/evaluate`: who is asking. */
export const ClientEvaluateRequestSchema = z
  .strictObject({ context: EvaluationContextSchema })
  .meta({ id: 'ClientEvaluateRequest', description: 'The context to evaluate every flag for', example: { context: { targetingKey: 'user-42', email: 'ada@acme.com' } } });
export type ClientEvaluateRequest = z.infer<typeof ClientEvaluateRequestSchema>;

/** A variant as Unleash's getVariant returns it; name `disabled` when none applies. */
export const EvaluatedVariantSchema = z
  .object({
    name: z.string(),
    enabled: z.boolean(),
    payload: z.object({ type: z.string(), value: z.string() }).optional(),
    featureEnabled: z.boolean(),
  })
  .meta({ id: 'EvaluatedVariant', description: "Unleash's getVariant answer", example: { name: 'blue', enabled: true, payload: { type: 'string', value: 'blue' }, featureEnabled: true } });

/** A typed flag value: the chosen variant's payload (number, parsed JSON, string), else the boolean. */
export const FlagValueSchema = z
  .union([z.boolean(), z.string(), z.number(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .meta({ id: 'FlagValue', description: "The chosen variant's payload, typed (number, parsed JSON, string or csv text), else whether the flag is on" });

/** One flag's answer for one context, with the reason (and for errors the OpenFeature code). */
export const FlagEvaluationSchema = z
  .object({
    key: FlagKeySchema,
    enabled: z.boolean().meta({ description: "Unleash's isEnabled" }),
    variant: EvaluatedVariantSchema,
    value: FlagValueSchema,
    reason: EvaluationReasonSchema,
    errorCode: EvaluationErrorCodeSchema.optional(),
    errorMessage: z.string().optional(),
  })
  .meta({ id: 'FlagEvaluation', description: 'One flag evaluated for one context' });
export type FlagEvaluation = z.infer<typeof FlagEvaluationSchema>;

export const ClientEvaluationSchema = z
  .object({
    environment: EnvironmentKeySchema,
    version: VersionSchema,
    flags: z.array(FlagEvaluationSchema),
  })
  .meta({ id: 'ClientEvaluation', description: 'Every live flag of the environment evaluated for one context, at one environment version' });
export type ClientEvaluation = z.infer<typeof ClientEvaluationSchema>;
