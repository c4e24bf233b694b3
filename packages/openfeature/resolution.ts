import type { Evaluation, JsonValue } from '@flagship/sdk';

/** The OpenFeature value types a provider resolves. */
export type RequestedType = 'boolean' | 'string' | 'number' | 'object';

/** OpenFeature's ResolutionDetails, as both server and web SDKs define it (kept structural so one mapper serves both). */
export interface Resolution<T> {
  value: T;
  variant?: string;
  reason?: string;
  errorCode?: 'FLAG_NOT_FOUND' | 'TARGETING_KEY_MISSING' | 'TYPE_MISMATCH' | 'PARSE_ERROR' | 'GENERAL';
  errorMessage?: string;
  flagMetadata?: Record<string, string | number | boolean>;
}

/** The part of an answer a resolution is made of: a local Evaluation (server) or a remote answer (web). */
export interface Answer {
  enabled: boolean;
  value: JsonValue;
  /** The chosen variant's name, or undefined when none (the boolean alone answers). */
  variant: string | undefined;
  payloadType: string | undefined;
  reason: string;
  errorCode?: string;
  errorMessage?: string;
  metadata: Record<string, string | number | boolean>;
}

const PAYLOAD_TYPES: Record<Exclude<RequestedType, 'boolean'>, readonly string[]> = {
  string: ['string', 'csv'],
  number: ['number'],
  object: ['json'],
};

const KNOWN_ERRORS = new Set(['FLAG_NOT_FOUND', 'TARGETING_KEY_MISSING', 'PARSE_ERROR']);

/** An Evaluation (the SDK's local answer) as an Answer. */
export function answerOfEvaluation(evaluation: Evaluation, metadata: Record<string, string | number | boolean>): Answer {
  const answer: Answer = {
    enabled: evaluation.enabled,
    value: evaluation.value,
    variant: evaluation.variant.enabled ? evaluation.variant.name : undefined,
    payloadType: evaluation.variant.payload?.type,
    reason: evaluation.reason,
    metadata: { ...metadata, enabled: evaluation.enabled },
  };
  if (evaluation.bucket !== undefined) answer.metadata.bucket = evaluation.bucket;
  if (evaluation.errorCode !== undefined) answer.errorCode = evaluation.errorCode;
  if (evaluation.errorMessage !== undefined) answer.errorMessage = evaluation.errorMessage;
  return answer;
}

/**
 * OpenFeature's resolution of `answer` for a value of `type`. A boolean is the
 * flag's isEnabled; a string, number or object is the chosen variant's payload.
 * When no variant applies (flag off, no variants) the caller's default comes
 * back with the evaluation's reason, not an error; a payload of another type is
 * TYPE_MISMATCH.
 */
export function resolve<T>(answer: Answer | undefined, type: RequestedType, defaultValue: T): Resolution<T> {
  if (!answer) return { value: defaultValue, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', errorMessage: 'no such flag in this environment' };
  if (answer.errorCode !== undefined) {
    return {
      value: defaultValue,
      reason: 'ERROR',
      errorCode: KNOWN_ERRORS.has(answer.errorCode) ? (answer.errorCode as Resolution<T>['errorCode']) : 'GENERAL',
      errorMessage: answer.errorMessage ?? answer.errorCode,
      flagMetadata: answer.metadata,
    };
  }
  const base = { reason: answer.reason, flagMetadata: answer.metadata };
  if (type === 'boolean') {
    return { ...base, value: answer.enabled as T, variant: answer.variant ?? (answer.enabled ? 'on' : 'off') };
  }
  if (answer.payloadType === undefined) return { ...base, value: defaultValue, ...(answer.variant ? { variant: answer.variant } : {}) };
  if (!PAYLOAD_TYPES[type].includes(answer.payloadType) || (type === 'object' && (answer.value === null || typeof answer.value !== 'object'))) {
    return {
      value: defaultValue,
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
      errorMessage: `flag's variant ${answer.variant ?? ''} carries a ${answer.payloadType} payload, not a ${type}`,
      flagMetadata: answer.metadata,
    };
  }
  return { ...base, value: answer.value as T, variant: answer.variant! };
}
