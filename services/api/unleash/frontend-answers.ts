import { evaluate, type Evaluation, type EvaluationContext } from '../../../packages/evaluation/index.js';
import type { FlagState } from '../../../shared/schemas/flags.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import type { UnleashToggle } from '../../../shared/schemas/unleash.js';
import { UsageTally, type ContextAnswer } from '../snapshots/answer-cache.js';
import { bulkEtagOfJson } from '../ofrep/bulk-etag.js';
import { indexSnapshot } from '../client/flag-index.js';
import { forEveryAnswer, jsonPerAnswer } from '../snapshots/snapshot-answers.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { preparedJson } from '../http/prepared-json.js';

const STANDARD_FIELDS = new Set(['userId', 'sessionId', 'remoteAddress', 'environment', 'appName', 'currentTime']);
const PROPERTY_PARAMETER = /^properties\[(.+)\]$/;

/**
 * The context from GET /api/frontend's query, as unleash-proxy-client writes
 * it: standard fields by name, `properties[name]=value`, and (as Unleash does)
 * any other parameter as a property.
 */
export function contextFromQuery(query: Record<string, string>): EvaluationContext {
  const context: EvaluationContext = {};
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    const property = PROPERTY_PARAMETER.exec(name)?.[1];
    if (property !== undefined) properties[property] = value;
    else if (STANDARD_FIELDS.has(name)) context[name] = value;
    else properties[name] = value;
  }
  return Object.keys(properties).length > 0 ? { ...context, properties } : context;
}

/** The caller's address stands in for `remoteAddress` when the context names none (Unleash does the same). */
export function withRemoteAddress(context: EvaluationContext, address: string | undefined): EvaluationContext {
  return context.remoteAddress === undefined && address !== undefined ? { ...context, remoteAddress: address } : context;
}

/** An enabled flag's answer in Unleash's frontend shape. */
function toggleOf(state: FlagState, { enabled, variant }: Pick<Evaluation, 'enabled' | 'variant'>): UnleashToggle {
  return {
    name: state.key,
    enabled,
    variant: {
      name: variant.name,
      enabled: variant.enabled,
      ...(variant.payload ? { payload: variant.payload } : {}),
      feature_enabled: variant.featureEnabled,
    },
    impressionData: false,
  };
}

const toggleJson = jsonPerAnswer(toggleOf, {
  showsBucket: false,
  // A toggle holds only text (a payload's value is its string): this cannot happen, but would answer on without the variant.
  unserialisable: (state) => toggleOf(state, { enabled: true, variant: { name: 'disabled', enabled: false, featureEnabled: true } }),
});

/**
 * `{ toggles }` as JSON bytes and their ETag (a digest): every flag of the
 * snapshot evaluated for one context, the enabled ones in Unleash's frontend
 * shape (the others are left out, as Unleash leaves them out); every
 * evaluation counts as usage.
 */
export function frontendTogglesAnswer(snapshot: Snapshot, context: EvaluationContext): ContextAnswer {
  const tally = new UsageTally();
  const jsonOf = toggleJson(snapshot);
  const toggles: string[] = [];
  forEveryAnswer(snapshot, context, (state, evaluation, bucket, index) => {
    tally.add(state.key, evaluation.enabled, evaluation.variant.enabled ? evaluation.variant.name : undefined);
    if (evaluation.enabled) toggles.push(jsonOf(index, state, evaluation, bucket));
  });
  // What JSON.stringify({ toggles }) writes, the toggles already serialised.
  const json = preparedJson(`{"toggles":[${toggles.join(',')}]}`);
  return { json, etag: bulkEtagOfJson(json.text), tally };
}

/** One flag's toggle when it is on for the context (its dependencies still read the others), counted as usage. */
export function frontendToggle(snapshot: Snapshot, context: EvaluationContext, usage: UsageRecorder | undefined, key: string): UnleashToggle | undefined {
  const { definitions, states } = indexSnapshot(snapshot);
  const state = states.get(key);
  if (!state) return undefined;
  const evaluation = evaluate(definitions, key, context);
  usage?.count(snapshot.environment, key, evaluation.enabled, evaluation.variant.enabled ? evaluation.variant.name : undefined);
  return evaluation.enabled ? toggleOf(state, evaluation) : undefined;
}
