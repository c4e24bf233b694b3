import { compileSegmentParts } from './compile.js';
import { clockNow } from './impure-reads.js';
import { contextValue, defaultStickiness, userIdOf, type EvaluationContext } from './context.js';
import type { Constraint, Segment } from './model.js';
import { RuleOutcome, type CompiledStrategy, type RuleTrace } from './strategies.js';
import type { TraceStep } from './trace-step.js';

/**
 * A strategy's answer as strategyOutcome (evaluate.ts) gives it, with every
 * check written to `steps`: the same compiled tests and rule, run one by one
 * (each constraint and segment, where the ordinary path stops at the first
 * that fails: none has side effects, so the answer is the same). Only
 * explain() comes here.
 */
export function explainedOutcome(
  strategy: CompiledStrategy,
  index: number,
  flagKey: string,
  context: EvaluationContext,
  segments: ReadonlyMap<number, Segment>,
  trace: RuleTrace,
  steps: TraceStep[],
  failed: number,
): number {
  const { source } = strategy;
  const step: TraceStep = { kind: 'strategy', strategy: index, name: String(source.name), held: false };
  if (source.id !== undefined) step.id = source.id;
  if (source.disabled) step.disabled = true;
  steps.push(step);
  let held = explainConstraints(source.constraints, strategy.constraintParts, context, steps, index, undefined);
  for (const id of strategy.segments) {
    const segment = segments.get(id);
    if (!segment) {
      // A segment that does not exist never holds (Unleash's Node SDK).
      steps.push({ kind: 'segment', strategy: index, segment: id, missing: true, held: false });
      held = false;
      continue;
    }
    const segmentStep: TraceStep = { kind: 'segment', strategy: index, segment: id, name: segment.name, held: false };
    steps.push(segmentStep);
    segmentStep.held = explainConstraints(segment.constraints, compileSegmentParts(segment), context, steps, index, id);
    if (!segmentStep.held) held = false;
  }
  if (!held) return failed;
  // The rule leaves its bucket in the trace as on the ordinary path; this
  // step's own is read apart, and an earlier one kept when it sets none.
  const earlier = trace.bucket;
  trace.bucket = undefined;
  const outcome = strategy.rule(context, trace);
  const bucket = trace.bucket;
  if (bucket === undefined) trace.bucket = earlier;
  steps.push(ruleStep(strategy, index, flagKey, context, outcome, bucket));
  step.held = outcome === RuleOutcome.On;
  return outcome;
}

function explainConstraints(
  constraints: readonly (Constraint | null | undefined)[] | undefined,
  parts: readonly ((context: EvaluationContext) => boolean)[],
  context: EvaluationContext,
  steps: TraceStep[],
  strategy: number,
  segment: number | undefined,
): boolean {
  let all = true;
  parts.forEach((test, position) => {
    const constraint = constraints?.[position];
    const held = test(context);
    if (!held) all = false;
    const step: TraceStep = {
      kind: 'constraint',
      strategy,
      contextName: String(constraint?.contextName ?? ''),
      operator: String(constraint?.operator ?? ''),
      contextValue: constraint ? seenValue(constraint, context) : null,
      held,
    };
    if (segment !== undefined) step.segment = segment;
    if (constraint?.values !== undefined) step.values = constraint.values;
    if (constraint?.value !== undefined) step.value = constraint.value;
    if (constraint?.inverted) step.inverted = true;
    if (constraint?.caseInsensitive) step.caseInsensitive = true;
    steps.push(step);
  });
  return all;
}

/** The context value a constraint reads (DATE_* read `currentTime`, now when absent, whatever the contextName). */
function seenValue(constraint: Constraint, context: EvaluationContext): string | null {
  if (constraint.operator === 'DATE_AFTER' || constraint.operator === 'DATE_BEFORE') {
    return new Date(context.currentTime ?? clockNow()).toISOString();
  }
  return contextValue(context, constraint.contextName) ?? null;
}

/** The strategy's own rule: the percentage, stickiness and group id it hashes with, the value it read, the bucket. */
function ruleStep(strategy: CompiledStrategy, index: number, flagKey: string, context: EvaluationContext, outcome: number, bucket: number | undefined): TraceStep {
  const { name, parameters = {} } = strategy.source;
  const percentage = parameters.rollout ?? parameters.percentage;
  const step: TraceStep = { kind: 'rollout', strategy: index, name: String(name), contextValue: null, held: outcome === RuleOutcome.On };
  if (percentage !== undefined) step.percentage = percentage;
  if (name === 'flexibleRollout') {
    const stickiness = parameters.stickiness || 'default';
    step.stickiness = stickiness;
    step.groupId = parameters.groupId || flagKey;
    step.contextValue = (stickiness === 'default' ? defaultStickiness(context) : stickiness === 'random' ? undefined : contextValue(context, stickiness)) ?? null;
  } else if (name === 'gradualRolloutUserId' || name === 'userWithId') {
    step.contextValue = userIdOf(context) ?? null;
  } else if (name === 'gradualRolloutSessionId') {
    step.contextValue = typeof context.sessionId === 'string' ? context.sessionId : null;
  } else if (name === 'remoteAddress') {
    step.contextValue = typeof context.remoteAddress === 'string' ? context.remoteAddress : null;
  }
  if (bucket !== undefined) step.bucket = bucket;
  if (outcome === RuleOutcome.KeyMissing) step.keyMissing = true;
  return step;
}
