export { bucket } from './bucket.js';
export {
  evaluate,
  type EvaluableFlagState,
  type Evaluation,
  type EvaluationContext,
  type EvaluationErrorCode,
  type EvaluationReason,
  type Variant,
} from './evaluate.js';
