export { bucket, normalizedHash, VARIANT_SEED } from './bucket.js';
export { contextValue, userIdOf, type EvaluationContext } from './context.js';
export { impureReads } from './impure-reads.js';
export { MAX_CONTEXT_VALUE_LENGTH, MAX_PAYLOAD_DEPTH, MAX_REGEX_PROGRAM_SIZE } from './limits.js';
export { definitionOf, definitionsOf, rolloutStrategy, type StateLike } from './definition.js';
export {
  evaluate,
  evaluateShared,
  explain,
  type Explanation,
  isEnabled,
  type Definitions,
  type EvaluatedVariant,
  type Evaluation,
  type EvaluationErrorCode,
  type EvaluationReason,
  type EvaluationValue,
} from './evaluate.js';
export type { RuleTrace } from './strategies.js';
export type { TraceStep } from './trace-step.js';
export type { JsonValue } from './variants.js';
export * from './model.js';
export {
  distributeVariantWeights,
  TOTAL_VARIANT_WEIGHT,
  validateConstraints,
  validateDefinition,
  validateSegment,
  validateVariants,
  type DefinitionInput,
  type DefinitionIssue,
  type DefinitionIssueCode,
  type ValidationOptions,
} from './validate.js';
