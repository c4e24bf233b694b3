import { evaluate, type EvaluationContext } from '../../../shared/evaluation/index.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import type { UnleashToggle } from '../../../shared/schemas/unleash.js';
import { indexSnapshot } from '../ofrep/flag-index.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';

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

/**
 * Every flag of the snapshot evaluated for one context, the enabled ones in
 * Unleash's frontend shape (the others are left out, as Unleash leaves them out).
 * Each evaluation is counted as usage. `onlyKey`: evaluate that flag alone
 * (its dependencies still read the others).
 */
export function frontendToggles(
  snapshot: Snapshot,
  context: EvaluationContext,
  usage: UsageRecorder | undefined,
  onlyKey?: string,
): UnleashToggle[] {
  const { definitions, states } = indexSnapshot(snapshot);
  const toggles: UnleashToggle[] = [];
  const evaluated = onlyKey === undefined ? snapshot.flags : [states.get(onlyKey)].flatMap((state) => (state ? [state] : []));
  const count = usage?.counter(snapshot.environment);
  for (const state of evaluated) {
    const { enabled, variant } = evaluate(definitions, state.key, context);
    count?.(state.key, enabled, variant.enabled ? variant.name : undefined);
    if (!enabled) continue;
    toggles.push({
      name: state.key,
      enabled,
      variant: {
        name: variant.name,
        enabled: variant.enabled,
        ...(variant.payload ? { payload: variant.payload } : {}),
        feature_enabled: variant.featureEnabled,
      },
      impressionData: false,
    });
  }
  return toggles;
}
