import { CONSTRAINT_OPERATORS, STRATEGY_NAMES } from '../../../../packages/evaluation/model.js';
import type { FlagState, StateConfig } from '../api/types.js';

export { CONSTRAINT_OPERATORS, STRATEGY_NAMES };

export type DraftStrategy = StateConfig['strategies'][number];
export type DraftConstraint = NonNullable<DraftStrategy['constraints']>[number];
export type DraftVariant = NonNullable<StateConfig['variants']>[number];
export type DraftDependency = NonNullable<StateConfig['dependencies']>[number];

/** The editable configuration of a state (what PUT replaces), copied so edits never touch the cache. */
export function draftOf(state: FlagState): StateConfig {
  return structuredClone({
    enabled: state.enabled,
    strategies: state.strategies,
    variants: state.variants,
    dependencies: state.dependencies,
  }) as StateConfig;
}

/** Operators that compare against a list (`values`); the others take one `value`. */
const LIST_OPERATORS = new Set(['IN', 'NOT_IN', 'STR_CONTAINS', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'IN_CIDR']);

export function takesList(operator: string): boolean {
  return LIST_OPERATORS.has(operator);
}

/** The input that fits an operator's value, and an example of it. */
export function valueInput(operator: string): { type: 'text' | 'number'; placeholder: string } {
  if (operator.startsWith('NUM_')) return { type: 'number', placeholder: '42' };
  if (operator.startsWith('DATE_')) return { type: 'text', placeholder: '2030-01-01T00:00:00Z' };
  if (operator.startsWith('SEMVER_')) return { type: 'text', placeholder: '2.3.0' };
  if (operator === 'REGEX') return { type: 'text', placeholder: '^beta-.*$' };
  if (operator === 'IN_CIDR') return { type: 'text', placeholder: '10.0.0.0/8, 192.168.1.7' };
  return { type: 'text', placeholder: 'DE, FR' };
}

/** The parameters each strategy reads (Unleash keeps them all as strings). */
export const STRATEGY_PARAMETERS: Record<string, string[]> = {
  default: [],
  flexibleRollout: ['rollout', 'stickiness', 'groupId'],
  userWithId: ['userIds'],
  gradualRolloutUserId: ['percentage', 'groupId'],
  gradualRolloutSessionId: ['percentage', 'groupId'],
  gradualRolloutRandom: ['percentage'],
  remoteAddress: ['IPs'],
  applicationHostname: ['hostNames'],
};

/** A new strategy of this kind, with Unleash's defaults for a flag. */
export function newStrategy(name: string, flagKey: string): DraftStrategy {
  const defaults: Record<string, Record<string, string>> = {
    flexibleRollout: { rollout: '100', stickiness: 'default', groupId: flagKey },
    gradualRolloutUserId: { percentage: '100', groupId: flagKey },
    gradualRolloutSessionId: { percentage: '100', groupId: flagKey },
    gradualRolloutRandom: { percentage: '100' },
  };
  return { name, parameters: defaults[name] ?? {}, constraints: [], segments: [], variants: [] };
}

/** Splits a comma-separated list into trimmed, non-empty values. */
export function listOf(text: string): string[] {
  return text
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/** Replaces the item at `index` of a list (immutably). */
export function replaceAt<T>(list: T[], index: number, item: T): T[] {
  return list.map((current, at) => (at === index ? item : current));
}

export function removeAt<T>(list: T[], index: number): T[] {
  return list.filter((_, at) => at !== index);
}
