import type { Constraint, Dependency, Strategy, VariantDefinition } from '../../../../packages/evaluation/model.js';
import { strategyLabel } from './strategy-names.js';

/** What each constraint operator checks, in people's words (the API keeps Unleash's names). */
const OPERATOR_WORDS: Record<string, string> = {
  IN: 'is one of',
  NOT_IN: 'is none of',
  STR_CONTAINS: 'contains',
  STR_STARTS_WITH: 'starts with',
  STR_ENDS_WITH: 'ends with',
  NUM_EQ: '=',
  NUM_GT: '>',
  NUM_GTE: '≥',
  NUM_LT: '<',
  NUM_LTE: '≤',
  DATE_AFTER: 'is after',
  DATE_BEFORE: 'is before',
  SEMVER_EQ: 'is version',
  SEMVER_GT: 'is a version after',
  SEMVER_GTE: 'is version or after',
  SEMVER_LT: 'is a version before',
  SEMVER_LTE: 'is version or before',
  REGEX: 'matches',
  IN_CIDR: 'is in network',
};

/** A condition in a few words: `email ends with @acme.com`; an operator the console does not know is shown as it is. */
export function constraintWords(constraint: Constraint): string {
  const operator = Object.hasOwn(OPERATOR_WORDS, constraint.operator) ? OPERATOR_WORDS[constraint.operator]! : constraint.operator;
  const values = constraint.values?.join(', ') ?? constraint.value ?? '';
  return `${constraint.inverted ? 'not: ' : ''}${constraint.contextName} ${operator} ${values}`.trim();
}

/** A strategy in a few words: what it does, its percentage, and the conditions it needs. */
export function strategyWords(strategy: Strategy): string {
  const parts = [strategyLabel(strategy.name)];
  const percentage = strategy.parameters?.rollout ?? strategy.parameters?.percentage;
  if (percentage !== undefined) parts[0] += `: ${percentage}%`;
  if (strategy.parameters?.userIds) parts[0] += `: ${strategy.parameters.userIds}`;
  const conditions = [...(strategy.constraints ?? []).map(constraintWords), ...(strategy.segments ?? []).map((id) => `in segment ${id}`)];
  if (conditions.length > 0) parts.push(`when ${conditions.join(' and ')}`);
  if (strategy.variants?.length) parts.push(`with variants ${variantsWords(strategy.variants)}`);
  if (strategy.disabled) parts.push('(paused)');
  return parts.join(' ');
}

/** Variants and their shares: `blue 50%, green 50%`. */
export function variantsWords(variants: VariantDefinition[]): string {
  return variants.map((variant) => `${variant.name} ${variant.weight / 10}%`).join(', ');
}

/** A dependency: `checkout is on` (or off, or with one of its variants). */
export function dependencyWords(dependency: Dependency): string {
  if (dependency.enabled === false) return `${dependency.feature} is off`;
  if (dependency.variants?.length) return `${dependency.feature} is on with ${dependency.variants.join(' or ')}`;
  return `${dependency.feature} is on`;
}
