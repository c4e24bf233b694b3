import type { StrategyName } from '../../../../packages/evaluation/model.js';

/**
 * What each Unleash strategy does, in people's words. The API and SDKs keep
 * Unleash's names (`flexibleRollout`); the console shows these and keeps the
 * name only as the option's value.
 */
const STRATEGY_LABELS: Record<StrategyName, string> = {
  default: 'On for everyone',
  flexibleRollout: 'A percentage of users',
  userWithId: 'Only these users',
  gradualRolloutUserId: 'A percentage, chosen by user id (legacy)',
  gradualRolloutSessionId: 'A percentage, chosen by session (legacy)',
  gradualRolloutRandom: 'A random percentage of requests (legacy)',
  remoteAddress: 'Only these IP addresses',
  applicationHostname: 'Only on these hosts',
};

/** The parameters' names as a form shows them. */
const PARAMETER_LABELS: Record<string, string> = {
  rollout: 'Rollout %',
  percentage: 'Percentage %',
  stickiness: 'Stickiness',
  groupId: 'Group id',
  userIds: 'User ids (comma-separated)',
  IPs: 'IP addresses (comma-separated)',
  hostNames: 'Host names (comma-separated)',
};

/** A strategy's label; a name the console does not know (from an import, say) is shown as it is. */
export function strategyLabel(name: string): string {
  return Object.hasOwn(STRATEGY_LABELS, name) ? STRATEGY_LABELS[name as StrategyName] : name;
}

export function parameterLabel(name: string): string {
  return Object.hasOwn(PARAMETER_LABELS, name) ? PARAMETER_LABELS[name]! : name;
}
