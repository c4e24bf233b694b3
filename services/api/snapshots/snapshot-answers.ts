import { evaluateShared, type Evaluation, type EvaluationContext, type RuleTrace } from '../../../packages/evaluation/index.js';
import type { FlagState } from '../../../shared/schemas/flags.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import { indexSnapshot } from '../client/flag-index.js';
import { memoPerSnapshot } from '../../../shared/domain/snapshots/snapshot-memo.js';

/** One flag's answer: the shared evaluation (evaluateShared), its bucket if a percentage took part, the flag's place in the snapshot. */
export type AnswerVisitor = (state: FlagState, evaluation: Evaluation, bucket: number | undefined, index: number) => void;

/** Every flag of the snapshot evaluated for one context, in the snapshot's order. */
export function forEveryAnswer(snapshot: Snapshot, context: EvaluationContext, visit: AnswerVisitor): void {
  const { definitions } = indexSnapshot(snapshot);
  const trace: RuleTrace = {};
  const { flags } = snapshot;
  for (let index = 0; index < flags.length; index += 1) {
    const state = flags[index]!;
    const evaluation = evaluateShared(definitions, state.key, context, trace);
    visit(state, evaluation, trace.bucket, index);
  }
}

/** A route's JSON for one flag's answer, given the flag's place in the snapshot. */
export type AnswerJson = (index: number, state: FlagState, evaluation: Evaluation, bucket: number | undefined) => string;

/**
 * `shape`'s JSON, made once per snapshot, flag and distinct answer, and per
 * bucket when `showsBucket`. Evaluation is cheap next to JSON.stringify, and a
 * flag gives few distinct answers (each is one shared object, see
 * evaluateShared), so an evaluating route joins strings it made before
 * instead of serialising a hundred objects per request. The tables are bounded
 * by what the definitions can answer (reasons × variants, × 100 buckets) and
 * go with their snapshot.
 */
export function jsonPerAnswer(
  shape: (state: FlagState, evaluation: Evaluation, bucket: number | undefined) => unknown,
  { showsBucket, unserialisable }: { showsBucket: boolean; unserialisable: (state: FlagState, message: string) => unknown },
): (snapshot: Snapshot) => AnswerJson {
  /*
   * One flag's answer that JSON.stringify throws on (a value nested too deep for its
   * stack, stored before payload depth was checked) becomes that flag's error: the
   * rest of the answer stays a 200.
   */
  const serialised = (state: FlagState, evaluation: Evaluation, bucket: number | undefined): string => {
    try {
      return JSON.stringify(shape(state, evaluation, bucket));
    } catch (error) {
      return JSON.stringify(unserialisable(state, `flag ${state.key}: its answer cannot be serialised (${(error as Error).message})`));
    }
  };
  return memoPerSnapshot((snapshot) => {
    const tables = snapshot.flags.map(() => new Map<Evaluation, string[]>());
    return (index, state, evaluation, bucket) => {
      const table = tables[index]!;
      let byBucket = table.get(evaluation);
      if (byBucket === undefined) table.set(evaluation, (byBucket = []));
      const slot = showsBucket ? (bucket ?? 0) : 0;
      return (byBucket[slot] ??= serialised(state, evaluation, showsBucket ? bucket : undefined));
    };
  });
}
