import { evaluate, type EvaluationContext } from '../../../shared/evaluation/index.js';
import { indexSnapshot } from '../ofrep/flag-index.js';
import {
  ClientEvaluateRequestSchema,
  ClientEvaluationSchema,
  type ClientEvaluation,
} from '../../../shared/schemas/evaluation.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { sdkEnvironment } from '../ofrep/sdk-environment.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';

/** Every flag of the snapshot evaluated for one context, each evaluation counted as usage. */
function evaluateEveryFlag(snapshot: Snapshot, context: EvaluationContext, usage: UsageRecorder | undefined): ClientEvaluation {
  const { definitions } = indexSnapshot(snapshot);
  const count = usage?.counter(snapshot.environment);
  return {
    environment: snapshot.environment,
    version: snapshot.version,
    flags: snapshot.flags.map((state) => {
      // The bucket stays internal here; OFREP's metadata carries it.
      const { bucket: _bucket, ...answer } = evaluate(definitions, state.key, context);
      count?.(state.key, answer.enabled, answer.variant.enabled ? answer.variant.name : undefined);
      return { key: state.key, ...answer };
    }),
  };
}

/** `POST /v1/client/evaluate`: server-side evaluation for apps that do not embed the SDK. */
export function addEvaluateRoutes(table: RouteTable, { snapshots, usage }: ApiDeps): void {
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
    handle: async ({ body, token }) => ({
      body: evaluateEveryFlag(await snapshots.get(sdkEnvironment(token)), body.context, usage),
    }),
    lean: async ({ body, token }) => ({
      status: 200,
      headers: [],
      body: JSON.stringify(evaluateEveryFlag(await snapshots.get(sdkEnvironment(token)), body.context, usage)),
    }),
  });
}
