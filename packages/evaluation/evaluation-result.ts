import type { VariantPayload } from './model.js';

/*
 * The shape of an evaluation's answer, on its own so that compile, variants
 * and evaluate can all name it without importing each other in a circle.
 */

/** A JSON value, as a `json` payload parses to. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** OpenFeature's resolution reasons. */
export type EvaluationReason = 'DISABLED' | 'STATIC' | 'SPLIT' | 'TARGETING_MATCH' | 'DEFAULT' | 'ERROR';

/** OpenFeature's error codes that evaluation itself can produce. */
export type EvaluationErrorCode = 'FLAG_NOT_FOUND' | 'TARGETING_KEY_MISSING' | 'PARSE_ERROR';

/** A variant exactly as Unleash's getVariant returns it; name `disabled` when none applies. */
export interface EvaluatedVariant {
  name: string;
  enabled: boolean;
  payload?: VariantPayload;
  featureEnabled: boolean;
}

/** The typed value OFREP gives: the chosen variant's payload, typed, else the boolean. */
export type EvaluationValue = JsonValue;

/** The answer for one flag and one context. */
export interface Evaluation {
  /** Unleash's isEnabled. */
  enabled: boolean;
  variant: EvaluatedVariant;
  value: EvaluationValue;
  reason: EvaluationReason;
  errorCode?: EvaluationErrorCode;
  errorMessage?: string;
  /** The context's bucket (1–100) when a percentage rollout took part in the answer. */
  bucket?: number;
}
