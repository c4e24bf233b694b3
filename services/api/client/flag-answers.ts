import { evaluate, type Evaluation } from '../../../packages/evaluation/index.js';
import type { FlagState } from '../../../shared/schemas/flags.js';
import type {
  OfrepEvaluationFailure,
  OfrepEvaluationRequest,
  OfrepEvaluationSuccess,
  OfrepFlagNotFound,
} from '../../../shared/schemas/ofrep.js';
import type { SnapshotIndex } from './flag-index.js';

/** The answer for a flag that exists: a success, or a 400 when a partial rollout has no targeting key. */
export type OfrepStateAnswer =
  | { status: 200; body: OfrepEvaluationSuccess }
  | { status: 400; body: OfrepEvaluationFailure };

/** One flag's OFREP answer with the status the single-flag endpoint gives it. */
export type OfrepAnswer = OfrepStateAnswer | { status: 404; body: OfrepFlagNotFound };

/** The variant name OFREP reports: the chosen variant's, else `on` / `off` for the boolean. */
export function ofrepVariant(evaluation: Evaluation): string {
  if (evaluation.variant.enabled) return evaluation.variant.name;
  return evaluation.enabled ? 'on' : 'off';
}

/** The variant name usage counts for an OFREP answer: a chosen variant's, not the on/off stand-ins. */
export function variantCounted(answer: OfrepEvaluationSuccess): string | undefined {
  return answer.metadata.variantEnabled === true ? answer.variant : undefined;
}

/**
 * Evaluates one flag with the shared evaluate() and shapes the result as OFREP
 * does: success `{ key, value, reason, variant, metadata }` with the typed value (the
 * chosen variant's payload, else the boolean), or a failure `{ key, errorCode,
 * errorDetails }` (FLAG_NOT_FOUND is a 404, a missing targeting key on a partial
 * rollout or a payload that does not parse a 400).
 */
export function ofrepAnswer(index: SnapshotIndex, key: string, context: OfrepEvaluationRequest['context']): OfrepAnswer {
  const state = index.states.get(key);
  if (!state) {
    return { status: 404, body: { key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `flag '${key}' does not exist in this environment` } };
  }
  return ofrepStateAnswer(index, state, context);
}

/** ofrepAnswer for a flag of the snapshot (what the bulk endpoint lists). */
export function ofrepStateAnswer(index: SnapshotIndex, state: FlagState, context: OfrepEvaluationRequest['context']): OfrepStateAnswer {
  const evaluation = evaluate(index.definitions, state.key, context ?? {});
  return ofrepShape(state, evaluation, evaluation.bucket);
}

/** A flag's evaluation in OFREP's shape; `bucket` goes into the metadata when a percentage took part. */
export function ofrepShape(state: FlagState, evaluation: Evaluation, bucket: number | undefined): OfrepStateAnswer {
  if (evaluation.errorCode) {
    // With a state at hand, evaluate() reports a missing targeting key or a payload that does not parse.
    return {
      status: 400,
      body: {
        key: state.key,
        errorCode: evaluation.errorCode === 'PARSE_ERROR' ? 'PARSE_ERROR' : 'TARGETING_KEY_MISSING',
        errorDetails: evaluation.errorMessage ?? 'context.targetingKey is needed',
      },
    };
  }
  const metadata: OfrepEvaluationSuccess['metadata'] = {
    environment: state.environment,
    version: state.version,
    enabled: evaluation.enabled,
  };
  if (typeof state.rollout === 'number') metadata.rollout = state.rollout;
  if (bucket !== undefined) metadata.bucket = bucket;
  if (evaluation.variant.enabled) metadata.variantEnabled = true;
  if (evaluation.variant.payload) metadata.payloadType = evaluation.variant.payload.type;
  return {
    status: 200,
    body: { key: state.key, value: evaluation.value, reason: evaluation.reason, variant: ofrepVariant(evaluation), metadata },
  };
}
