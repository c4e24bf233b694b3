import { snapshotOfToken } from '../snapshots/token-snapshot.js';
import type { EvaluationContext } from '../../../packages/evaluation/index.js';
import { ClientEvaluateRequestSchema, ClientEvaluationSchema, type FlagEvaluation } from '../../../shared/schemas/evaluation.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { sdkEnvironment } from './sdk-environment.js';
import { forEveryAnswer, jsonPerAnswer } from '../snapshots/snapshot-answers.js';
import type { Token } from '../../../shared/schemas/tokens.js';
import { UsageTally, type AnswerCache, type ContextAnswer } from '../snapshots/answer-cache.js';
import { preparedJson } from '../http/prepared-json.js';

/** One flag of the answer: its key and evaluate()'s answer (the bucket stays internal here; OFREP's metadata carries it). */
const entryJson = jsonPerAnswer((state, evaluation) => ({ key: state.key, ...evaluation }), {
  showsBucket: false,
  unserialisable: (state, message): FlagEvaluation => ({
    key: state.key,
    enabled: false,
    variant: { name: 'disabled', enabled: false, featureEnabled: false },
    value: false,
    reason: 'ERROR',
    errorCode: 'PARSE_ERROR',
    errorMessage: message,
  }),
});

/** Every flag of the snapshot evaluated for one context, as JSON bytes, and the usage it counts. */
function evaluateEveryFlag(snapshot: Snapshot, context: EvaluationContext): ContextAnswer {
  const tally = new UsageTally();
  const entryOf = entryJson(snapshot);
  const entries: string[] = [];
  forEveryAnswer(snapshot, context, (state, evaluation, bucket, index) => {
    tally.add(state.key, evaluation.enabled, evaluation.variant.enabled ? evaluation.variant.name : undefined);
    entries.push(entryOf(index, state, evaluation, bucket));
  });
  // What JSON.stringify({ environment, version, flags }) writes, the flags already serialised.
  const json = preparedJson(`{"environment":${JSON.stringify(snapshot.environment)},"version":${snapshot.version},"flags":[${entries.join(',')}]}`);
  return { json, tally };
}

/** `POST /v1/client/evaluate`: server-side evaluation for apps that do not embed the SDK. */
export function addEvaluateRoutes(table: RouteTable, { snapshots, usage, answers }: ApiDeps & { answers: AnswerCache }): void {
  /** The token's environment evaluated for the context (kept, or computed), counted as usage. */
  const evaluated = async (token: Token, context: EvaluationContext) => {
    const snapshot = await snapshotOfToken(snapshots, token);
    const answer = answers.answer('evaluate', snapshot, JSON.stringify(context), () => evaluateEveryFlag(snapshot, context));
    answer.tally.countInto(usage, snapshot.environment);
    return answer.json;
  };
  addRoute(table, {
    method: 'post',
    path: '/v1/client/evaluate',
    summary: "Every flag of the token's environment, evaluated for one context",
    description:
      "Evaluates every live flag of the sdk token's environment for the context, with the same function the SDK runs locally: for apps that do not embed the SDK.",
    tags: ['client'],
    auth: 'sdk',
    body: ClientEvaluateRequestSchema,
    example: { context: { key: 'user-42' } },
    responses: {
      200: { description: "Each flag's value, variant and reason, as the SDK computes them", schema: ClientEvaluationSchema },
    },
    // The snapshot is the one the notifier keeps current: no query per flag.
    handle: async ({ body, token }) => ({ json: await evaluated(token, body.context) }),
    lean: async ({ body, token }) => ({ status: 200, headers: [], body: await evaluated(token, body.context) }),
  });
}
