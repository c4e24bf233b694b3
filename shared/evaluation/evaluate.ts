import type { FlagState } from '../schemas/flags.js';
import { bucket } from './bucket.js';

/** OpenFeature's resolution reasons, as far as a boolean percentage rollout produces them. */
export type EvaluationReason = 'DISABLED' | 'STATIC' | 'SPLIT' | 'TARGETING_MATCH' | 'DEFAULT' | 'ERROR';

/** OpenFeature's error codes that evaluation itself can produce. */
export type EvaluationErrorCode = 'FLAG_NOT_FOUND' | 'TARGETING_KEY_MISSING';

export type Variant = 'on' | 'off';

/** Who is asking: `key` identifies the user (OpenFeature's targeting key); other attributes are carried but unused. */
export interface EvaluationContext {
  key?: string;
  [attribute: string]: unknown;
}

/** The answer for one flag and one context, with the reason (and, for errors, the code) OpenFeature expects. */
export interface Evaluation {
  value: boolean;
  variant: Variant;
  reason: EvaluationReason;
  errorCode?: EvaluationErrorCode;
  errorMessage?: string;
  /** The context's bucket (1–100), present when a partial rollout decided the answer. */
  bucket?: number;
}

/** The part of a flag state evaluation reads. */
export type EvaluableFlagState = Pick<FlagState, 'key' | 'enabled' | 'rollout'>;

const off = (reason: EvaluationReason): Evaluation => ({ value: false, variant: 'off', reason });

/**
 * Evaluates one flag for one context (DESIGN.md "Evaluation"); pure, so the API, OFREP and
 * the SDK give the same answer. `state` undefined means the flag does not exist (or is
 * archived) in that environment: off, with FLAG_NOT_FOUND.
 */
export function evaluate(state: EvaluableFlagState | undefined, context: EvaluationContext = {}): Evaluation {
  if (!state) {
    return { ...off('ERROR'), errorCode: 'FLAG_NOT_FOUND', errorMessage: 'flag not found in this environment' };
  }
  if (!state.enabled) return off('DISABLED');
  // Until the targeting evaluator lands (issue 11), a state beyond the simple
  // case (rollout null) answers off; none can be stored before it does.
  const rollout = state.rollout ?? 0;
  if (rollout >= 100) return { value: true, variant: 'on', reason: 'STATIC' };
  if (rollout <= 0) return off('STATIC');
  const key = context.key;
  if (typeof key !== 'string' || key === '') {
    return {
      ...off('ERROR'),
      errorCode: 'TARGETING_KEY_MISSING',
      errorMessage: `flag ${state.key} is rolled out to ${state.rollout}%: a context key is needed to pick the user's bucket`,
    };
  }
  const userBucket = bucket(state.key, key);
  const value = userBucket <= rollout;
  return { value, variant: value ? 'on' : 'off', reason: 'SPLIT', bucket: userBucket };
}
