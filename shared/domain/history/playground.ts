import { definitionsOf, evaluateShared, explain, type EvaluationContext, type RuleTrace, type TraceStep } from '../../../packages/evaluation/index.js';
import type { FlagEvaluation } from '../../schemas/evaluation.js';
import type { Snapshot } from '../../schemas/snapshots.js';

export interface PlaygroundAnswer extends FlagEvaluation {
  trace?: TraceStep[];
}

export interface PlaygroundResult {
  environment: string;
  version: number;
  flags: PlaygroundAnswer[];
}

/**
 * Each flag of `snapshot` (or only `flags`, in that order) evaluated for
 * `context` with the evaluation the SDKs and `/v1/client/evaluate` run
 * (evaluateShared), so each answer is theirs: `{ key, ...answer }`. With
 * `explain`, explain() runs the same code with a trace to write to, and the
 * trace goes beside the answer. A key the snapshot does not hold answers
 * FLAG_NOT_FOUND, as evaluation does.
 */
export function playground(snapshot: Snapshot, context: EvaluationContext, options: { flags?: string[]; explain?: boolean } = {}): PlaygroundResult {
  const definitions = definitionsOf(snapshot.flags, snapshot.segments);
  const keys = options.flags ?? snapshot.flags.map((flag) => flag.key);
  const trace: RuleTrace = {};
  const answers = keys.map((key): PlaygroundAnswer => {
    if (!options.explain) return { key, ...evaluateShared(definitions, key, context, trace) };
    const explained = explain(definitions, key, context);
    return { key, ...explained.evaluation, trace: explained.trace };
  });
  return { environment: snapshot.environment, version: snapshot.version, flags: answers };
}
