import { evaluate } from '../../../shared/evaluation/index.js';
import type { FlagState } from '../../../shared/schemas/flags.js';
import type {
  OfrepEvaluationFailure,
  OfrepEvaluationRequest,
  OfrepEvaluationSuccess,
  OfrepFlagNotFound,
} from '../../../shared/schemas/ofrep.js';

/** The answer for a flag that exists: a success, or a 400 when a partial rollout has no targeting key. */
export type OfrepStateAnswer =
  | { status: 200; body: OfrepEvaluationSuccess }
  | { status: 400; body: OfrepEvaluationFailure };

/** One flag's OFREP answer with the status the single-flag endpoint gives it. */
export type OfrepAnswer = OfrepStateAnswer | { status: 404; body: OfrepFlagNotFound };

/**
 * Evaluates one flag with the shared evaluate() and shapes the result as OFREP
 * does: success `{ key, value, reason, variant, metadata }`, or a failure
 * `{ key, errorCode, errorDetails }` (FLAG_NOT_FOUND is a 404, a missing
 * targeting key on a partial rollout a 400).
 */
export function ofrepAnswer(
  key: string,
  state: FlagState | undefined,
  context: OfrepEvaluationRequest['context'],
): OfrepAnswer {
  if (!state) {
    return { status: 404, body: { key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `flag '${key}' does not exist in this environment` } };
  }
  return ofrepStateAnswer(state, context);
}

/** ofrepAnswer for a flag of the snapshot (what the bulk endpoint lists). */
export function ofrepStateAnswer(state: FlagState, context: OfrepEvaluationRequest['context']): OfrepStateAnswer {
  const evaluation = evaluate(state, { key: context?.targetingKey });
  if (evaluation.errorCode) {
    // With a state at hand, the only error evaluate() reports is a missing targeting key.
    return {
      status: 400,
      body: { key: state.key, errorCode: 'TARGETING_KEY_MISSING', errorDetails: evaluation.errorMessage ?? 'context.targetingKey is needed' },
    };
  }
  const metadata: OfrepEvaluationSuccess['metadata'] = {
    environment: state.environment,
    version: state.version,
  };
  if (state.rollout !== null) metadata.rollout = state.rollout;
  if (evaluation.bucket !== undefined) metadata.bucket = evaluation.bucket;
  return {
    status: 200,
    body: { key: state.key, value: evaluation.value, reason: evaluation.reason, variant: evaluation.variant, metadata },
  };
}
