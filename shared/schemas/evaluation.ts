import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, VersionSchema } from './common.js';

/** OpenFeature resolution reasons FlagShip answers with. */
export const EvaluationReasonSchema = z.enum(['DISABLED', 'STATIC', 'SPLIT', 'TARGETING_MATCH', 'DEFAULT', 'ERROR']);

/** OpenFeature error codes evaluation itself produces. */
export const EvaluationErrorCodeSchema = z.enum(['FLAG_NOT_FOUND', 'TARGETING_KEY_MISSING']);

/** `POST /v1/client/evaluate`: who is asking; `key` picks the user's rollout bucket. */
export const ClientEvaluateRequestSchema = z
  .strictObject({
    context: z.looseObject({
      key: z
        .string({ error: 'must be a string (the user id that picks the rollout bucket)' })
        .min(1, { error: 'must not be empty' })
        .optional(),
    }, { error: 'must be an object like { "key": "user-42" }' }),
  })
  .meta({ id: 'ClientEvaluateRequest', description: 'The context to evaluate every flag for (`key` is the user id that picks the rollout bucket)' });
export type ClientEvaluateRequest = z.infer<typeof ClientEvaluateRequestSchema>;

/** One flag's answer for one context, with the reason (and for errors the OpenFeature code). */
export const FlagEvaluationSchema = z
  .object({
    key: FlagKeySchema,
    value: z.boolean(),
    variant: z.enum(['on', 'off']),
    reason: EvaluationReasonSchema,
    errorCode: EvaluationErrorCodeSchema.optional(),
    errorMessage: z.string().optional(),
  })
  .meta({ id: 'FlagEvaluation', description: "One flag's answer for the context: its value, variant and reason" });
export type FlagEvaluation = z.infer<typeof FlagEvaluationSchema>;

export const ClientEvaluationSchema = z
  .object({
    environment: EnvironmentKeySchema,
    version: VersionSchema,
    flags: z.array(FlagEvaluationSchema),
  })
  .meta({ id: 'ClientEvaluation', description: 'Every live flag of the environment evaluated for one context, at one environment version' });
export type ClientEvaluation = z.infer<typeof ClientEvaluationSchema>;
