import { compileFlag, compileSegment, type CompiledFlag } from './compile.js';
import { interned } from './interned.js';
import type { EvaluationContext } from './context.js';
import type { Dependency, FlagDefinition, Segment, VariantPayload } from './model.js';
import { explainedOutcome } from './explain-strategy.js';
import type { TraceStep } from './trace-step.js';
import { RuleOutcome, type CompiledStrategy, type RuleTrace } from './strategies.js';
import { pickVariant, type CompiledVariants } from './variants.js';
import type { Evaluation, EvaluatedVariant, EvaluationErrorCode, EvaluationReason, EvaluationValue } from './evaluation-result.js';

export type { Evaluation, EvaluatedVariant, EvaluationErrorCode, EvaluationReason, EvaluationValue } from './evaluation-result.js';

/** What evaluation reads: every flag of the environment (dependencies name others) and its segments. */
export interface Definitions {
  flags: ReadonlyMap<string, FlagDefinition>;
  segments: ReadonlyMap<number, Segment>;
}

const SEGMENT_OR_CONSTRAINT_FAILED = -1;

/** The outcome of a flag's enabled check, before variants. */
interface Resolution {
  enabled: boolean;
  /** The strategy that matched (undefined: none did, or the flag has no strategies). */
  strategy: CompiledStrategy | undefined;
  reason: EvaluationReason;
  keyMissing: boolean;
}

/** A strategy's answer: its constraints and segments first, then its own rule. */
function strategyOutcome(
  strategy: CompiledStrategy,
  index: number,
  flagKey: string,
  context: EvaluationContext,
  definitions: Definitions,
  trace: RuleTrace | undefined,
): number {
  if (trace?.explain) return explainedOutcome(strategy, index, flagKey, context, definitions.segments, trace, trace.explain, SEGMENT_OR_CONSTRAINT_FAILED);
  if (strategy.constraints && !strategy.constraints(context)) return SEGMENT_OR_CONSTRAINT_FAILED;
  for (const id of strategy.segments) {
    const segment = definitions.segments.get(id);
    // A segment that does not exist never holds (Unleash's Node SDK).
    if (!segment) return SEGMENT_OR_CONSTRAINT_FAILED;
    const test = compileSegment(segment);
    if (test && !test(context)) return SEGMENT_OR_CONSTRAINT_FAILED;
  }
  return strategy.rule(context, trace);
}

function resolve(definitions: Definitions, flag: CompiledFlag, context: EvaluationContext, trace: RuleTrace | undefined): Resolution {
  const { definition } = flag;
  const steps = trace?.explain;
  if (steps) steps.push({ kind: 'flag', flag: definition.key, enabled: definition.enabled, held: definition.enabled });
  if (!definition.enabled) return { enabled: false, strategy: undefined, reason: 'DISABLED', keyMissing: false };
  if (!dependenciesHold(definitions, definition, context, steps)) return { enabled: false, strategy: undefined, reason: 'DEFAULT', keyMissing: false };
  if (flag.strategies.length === 0) return { enabled: true, strategy: undefined, reason: 'STATIC', keyMissing: false };
  let keyMissing = false;
  let split = false;
  const { strategies } = flag;
  for (let index = 0; index < strategies.length; index += 1) {
    const strategy = strategies[index]!;
    const outcome = strategyOutcome(strategy, index, definition.key, context, definitions, trace);
    if (outcome === RuleOutcome.On) {
      const reason = strategy.kind === 'static' ? 'STATIC' : strategy.kind === 'split' ? 'SPLIT' : 'TARGETING_MATCH';
      return { enabled: true, strategy, reason, keyMissing: false };
    }
    if (outcome === RuleOutcome.KeyMissing) keyMissing = true;
    else if (outcome === RuleOutcome.Off && strategy.kind === 'split') split = true;
  }
  const reason = keyMissing ? 'ERROR' : flag.neverOn ? 'STATIC' : split ? 'SPLIT' : 'DEFAULT';
  return { enabled: false, strategy: undefined, reason, keyMissing };
}

/**
 * Unleash's parent check: every dependency's flag exists and has no dependencies of its
 * own (one level only); it is on (or off, with `enabled: false`), and when `variants` are
 * listed, its variant is one of them.
 */
function dependenciesHold(definitions: Definitions, definition: FlagDefinition, context: EvaluationContext, steps: TraceStep[] | undefined): boolean {
  const dependencies = definition.dependencies;
  if (!Array.isArray(dependencies) || dependencies.length === 0) return true;
  for (const dependency of dependencies) {
    const parent = definitions.flags.get(dependency.feature);
    if (!parent || (Array.isArray(parent.dependencies) && parent.dependencies.length > 0)) {
      if (steps) steps.push({ ...dependencyStep(dependency), ...(parent ? { nested: true } : { missing: true }), held: false });
      return false;
    }
    const compiledParent = compileFlag(parent);
    if (dependency.enabled === false) {
      const parentEnabled = resolve(definitions, compiledParent, context, undefined).enabled;
      if (steps) steps.push({ ...dependencyStep(dependency), parentEnabled, held: !parentEnabled });
      if (parentEnabled) return false;
      continue;
    }
    if (Array.isArray(dependency.variants) && dependency.variants.length > 0) {
      const { variant } = answer(definitions, compiledParent, context);
      const held = variant.featureEnabled && dependency.variants.includes(variant.name);
      if (steps) steps.push({ ...dependencyStep(dependency), parentEnabled: variant.featureEnabled, parentVariant: variant.name, held });
      if (!held) return false;
      continue;
    }
    const parentEnabled = resolve(definitions, compiledParent, context, undefined).enabled;
    if (steps) steps.push({ ...dependencyStep(dependency), parentEnabled, held: parentEnabled });
    if (!parentEnabled) return false;
  }
  return true;
}

/** What a dependency asks of its parent, for the trace. */
function dependencyStep(dependency: Dependency): Extract<TraceStep, { kind: 'dependency' }> {
  if (dependency.enabled === false) return { kind: 'dependency', flag: dependency.feature, expected: 'disabled', held: false };
  if (Array.isArray(dependency.variants) && dependency.variants.length > 0) {
    return { kind: 'dependency', flag: dependency.feature, expected: 'variant', variants: dependency.variants, held: false };
  }
  return { kind: 'dependency', flag: dependency.feature, expected: 'enabled', held: false };
}

const disabledVariant = (featureEnabled: boolean): EvaluatedVariant => ({ name: 'disabled', enabled: false, featureEnabled });

function chosenVariant(variants: CompiledVariants | undefined, context: EvaluationContext, trace?: RuleTrace) {
  if (!variants) return undefined;
  const pick = pickVariant(variants, context, trace);
  return pick && { variants, ...pick };
}

/** Frozen, with its variant: interned answers are shared by every caller that gets them. */
const frozen = (evaluation: Evaluation): Evaluation => {
  Object.freeze(evaluation.variant);
  return Object.freeze(evaluation);
};

/**
 * The answer, without its bucket (that goes to `trace`). The same answer is the
 * same frozen object each time (interned on the compiled flag or variants),
 * so a caller that shapes answers (a route's JSON) can shape each one once.
 */
function answer(definitions: Definitions, flag: CompiledFlag, context: EvaluationContext, trace?: RuleTrace): Evaluation {
  const resolution = resolve(definitions, flag, context, trace);
  if (!resolution.enabled) {
    if (!resolution.keyMissing) {
      return interned(flag.answers.off, resolution.reason, () =>
        frozen({ enabled: false, variant: disabledVariant(false), value: false, reason: resolution.reason }),
      );
    }
    const at = trace?.keyMissingAt;
    return interned(flag.answers.keyMissing, at ?? -1, () => {
      const rollout = at === undefined ? 'by percentage' : `to ${at}%`;
      return frozen({
        enabled: false,
        variant: disabledVariant(false),
        value: false,
        reason: resolution.reason,
        errorCode: 'TARGETING_KEY_MISSING',
        errorMessage: `flag ${flag.definition.key} is rolled out ${rollout}: a context key (targetingKey, key or userId) or a sessionId is needed to pick the user's bucket`,
      });
    });
  }
  // Strategy variants win over the flag's own when the matching strategy has any that apply.
  const steps = trace?.explain;
  const pick = steps
    ? explainedVariant(resolution.strategy, flag, context, trace!, steps)
    : (chosenVariant(resolution.strategy?.variants, context) ?? chosenVariant(flag.variants, context));
  if (!pick) {
    return interned(flag.answers.on, resolution.reason, () =>
      frozen({ enabled: true, variant: disabledVariant(true), value: true, reason: resolution.reason }),
    );
  }
  const reason: EvaluationReason = pick.by === 'override' ? 'TARGETING_MATCH' : pick.variants.weighted > 1 ? 'SPLIT' : resolution.reason;
  return interned(pick.variants.answers[pick.index]!, reason, () => {
    const definition = pick.variants.definitions[pick.index]!;
    const variant: EvaluatedVariant = { name: definition.name, enabled: true, featureEnabled: true };
    if (definition.payload) variant.payload = definition.payload;
    const payload = pick.variants.payloads[pick.index];
    if (payload && !payload.ok) {
      return frozen({ enabled: true, variant, value: true, reason: 'ERROR', errorCode: 'PARSE_ERROR', errorMessage: payload.message });
    }
    return frozen({ enabled: true, variant, value: payload ? payload.value : true, reason });
  });
}

/** answer()'s variant pick, written to the trace: the same choice, with the hash it drew. */
function explainedVariant(strategy: CompiledStrategy | undefined, flag: CompiledFlag, context: EvaluationContext, trace: RuleTrace, steps: TraceStep[]) {
  trace.variantHash = undefined;
  const fromStrategy = chosenVariant(strategy?.variants, context, trace);
  const pick = fromStrategy ?? chosenVariant(flag.variants, context, trace);
  if (pick) {
    const step: TraceStep = {
      kind: 'variant',
      source: fromStrategy ? 'strategy' : 'flag',
      name: pick.variants.definitions[pick.index]!.name,
      by: pick.by,
      totalWeight: pick.variants.totalWeight,
      held: true,
    };
    if (fromStrategy && strategy) step.strategy = flag.strategies.indexOf(strategy);
    if (pick.by === 'hash' && trace.variantHash !== undefined) step.hash = trace.variantHash;
    steps.push(step);
  }
  return pick;
}

/** An answer with its fields in the order answer() writes them (spreading a frozen object is several times slower). */
function copyOf(shared: Evaluation): Evaluation {
  const { name, enabled, payload, featureEnabled } = shared.variant;
  const variant: EvaluatedVariant = { name, enabled, featureEnabled };
  if (payload !== undefined) variant.payload = payload;
  const evaluation: Evaluation = { enabled: shared.enabled, variant, value: shared.value, reason: shared.reason };
  if (shared.errorCode !== undefined) evaluation.errorCode = shared.errorCode;
  if (shared.errorMessage !== undefined) evaluation.errorMessage = shared.errorMessage;
  return evaluation;
}

const FLAG_NOT_FOUND: Evaluation = frozen({
  enabled: false,
  variant: disabledVariant(false),
  value: false,
  reason: 'ERROR',
  errorCode: 'FLAG_NOT_FOUND',
  errorMessage: 'flag not found in this environment',
});

/**
 * evaluate() without the copy: the answer is a frozen object, the same one
 * each time the flag answers the same (per compiled definition), and its
 * bucket, if a percentage took part, is left in `trace.bucket` (one trace
 * can serve a whole request: each call resets it). For callers that shape many answers per request (the
 * API's evaluating routes serialise each distinct answer once).
 */
export function evaluateShared(definitions: Definitions, key: string, context: EvaluationContext, trace: RuleTrace): Evaluation {
  trace.bucket = undefined;
  trace.keyMissingAt = undefined;
  const definition = definitions.flags.get(key);
  if (!definition) return FLAG_NOT_FOUND;
  return answer(definitions, compileFlag(definition), context, trace);
}

/**
 * Evaluates one flag for one context (docs/evaluation.md): Unleash's isEnabled and
 * getVariant in one answer, with a typed value and OpenFeature's reason. Pure: the API,
 * OFREP and the SDK give the same answer. A key not in `definitions` is off with FLAG_NOT_FOUND.
 */
export function evaluate(definitions: Definitions, key: string, context: EvaluationContext = {}): Evaluation {
  const trace: RuleTrace = {};
  const shared = evaluateShared(definitions, key, context, trace);
  // A copy the caller owns: the shared answer is frozen and reused.
  const evaluation = copyOf(shared);
  if (trace.bucket !== undefined) evaluation.bucket = trace.bucket;
  return evaluation;
}

/** One flag's answer and how it came about (packages/evaluation/trace-step.ts). */
export interface Explanation {
  /** The answer evaluateShared gives (shared and frozen: the same object the ordinary path returns). */
  evaluation: Evaluation;
  /** The bucket, if a percentage took part (as evaluate() reports it). */
  bucket: number | undefined;
  trace: TraceStep[];
}

/**
 * evaluateShared() with every check written down: the flag's switch, each
 * dependency, each strategy with each constraint and segment (the context
 * value it saw, whether it held), the bucket and percentage, the variant pick.
 * The same code decides: the ordinary path, with a trace to write to.
 */
export function explain(definitions: Definitions, key: string, context: EvaluationContext = {}): Explanation {
  const steps: TraceStep[] = [];
  const trace: RuleTrace = { explain: steps };
  const evaluation = evaluateShared(definitions, key, context, trace);
  return { evaluation, bucket: trace.bucket, trace: steps };
}

/** Unleash's isEnabled alone (no variant is picked): the hot path of local evaluation. */
export function isEnabled(definitions: Definitions, key: string, context: EvaluationContext = {}): boolean {
  const definition = definitions.flags.get(key);
  return definition !== undefined && resolve(definitions, compileFlag(definition), context, undefined).enabled;
}
