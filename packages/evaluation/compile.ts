import { allOf, compileEachConstraint, type ConstraintTest } from './constraints.js';
import type { Evaluation, EvaluationReason } from './evaluation-result.js';
import type { FlagDefinition, Segment } from './model.js';
import { compileStrategy, neverMatches, type CompiledStrategy } from './strategies.js';
import { compileVariants, type CompiledVariants } from './variants.js';

/** A flag definition with everything expensive done once: regexes, semvers, ranges, sets, payloads. */
export interface CompiledFlag {
  definition: FlagDefinition;
  strategies: CompiledStrategy[];
  variants: CompiledVariants | undefined;
  /** Every strategy is one that never matches (0%, unknown, disabled): off for everyone, STATIC. */
  neverOn: boolean;
  /** The flag's answers without a variant, each made once (evaluate.ts interns them). */
  answers: {
    off: Map<EvaluationReason, Evaluation>;
    on: Map<EvaluationReason, Evaluation>;
    /** By the percentage that needed a key (-1: not known). */
    keyMissing: Map<number, Evaluation>;
  };
}

/*
 * Definitions are immutable once loaded (a snapshot, a change), so a compiled form keyed
 * by the object stays valid as long as the object lives, and goes with it.
 */
const compiledFlags = new WeakMap<FlagDefinition, CompiledFlag>();
const compiledSegments = new WeakMap<Segment, CompiledSegment>();

/** A segment's constraints as one test (null: none, it always holds), and each constraint's own test (for explain). */
interface CompiledSegment {
  test: ConstraintTest | null;
  parts: ConstraintTest[];
}

/** The compiled form of a definition, built on first use and kept while the definition lives. */
export function compileFlag(definition: FlagDefinition): CompiledFlag {
  let compiled = compiledFlags.get(definition);
  if (!compiled) {
    const strategies = (Array.isArray(definition.strategies) ? definition.strategies : []).map((strategy) =>
      compileStrategy(strategy, definition.key),
    );
    const variants = Array.isArray(definition.variants) ? definition.variants : [];
    compiled = {
      definition,
      strategies,
      // Unleash's Node SDK: flag variants hash on the flag key, with the first variant's stickiness.
      variants: compileVariants(variants, definition.key, variants[0]?.stickiness),
      neverOn: strategies.length > 0 && strategies.every(neverMatches),
      answers: { off: new Map(), on: new Map(), keyMissing: new Map() },
    };
    compiledFlags.set(definition, compiled);
  }
  return compiled;
}

/** A segment's constraints as one test (null: no constraints, always holds). */
export function compileSegment(segment: Segment): ConstraintTest | null {
  return compiledSegment(segment).test;
}

/** Each constraint of a segment as its own test: the very tests compileSegment joins. */
export function compileSegmentParts(segment: Segment): readonly ConstraintTest[] {
  return compiledSegment(segment).parts;
}

function compiledSegment(segment: Segment): CompiledSegment {
  let compiled = compiledSegments.get(segment);
  if (compiled === undefined) {
    const parts = compileEachConstraint(segment.constraints);
    compiled = { test: allOf(parts) ?? null, parts };
    compiledSegments.set(segment, compiled);
  }
  return compiled;
}
