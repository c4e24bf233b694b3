import type { Constraint, Strategy, VariantDefinition } from '../../packages/evaluation/model.js';

/*
 * The targeted flag the targeting measures evaluate: one flexibleRollout strategy with 3
 * constraints (an email domain, a semver, a plan) and a segment (a country list), and 3
 * weighted variants with string, json and number payloads. The same definition goes to
 * FlagShip (over REST) and to unleash-client (from FlagShip's snapshot).
 */

export const TARGETING_ENVIRONMENT = 'bench-targeting';

export const SEGMENT = {
  name: 'bench-europe',
  description: 'bench: a country list',
  constraints: [{ contextName: 'country', operator: 'IN', values: ['DE', 'FR', 'NL', 'SE', 'ES', 'IT'] }] satisfies Constraint[],
};

export function targetedConfig(key: string, segmentId: number) {
  const strategy: Strategy = {
    name: 'flexibleRollout',
    parameters: { rollout: '80', stickiness: 'default', groupId: key },
    constraints: [
      { contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com', '@example.org'], caseInsensitive: true },
      { contextName: 'appVersion', operator: 'SEMVER_GTE', value: '2.3.0' },
      { contextName: 'plan', operator: 'IN', values: ['pro', 'enterprise'] },
    ],
    segments: [segmentId],
  };
  const variants: VariantDefinition[] = [
    { name: 'blue', weight: 500, weightType: 'variable', stickiness: 'default', payload: { type: 'string', value: 'blue' } },
    { name: 'green', weight: 300, weightType: 'variable', stickiness: 'default', payload: { type: 'json', value: '{"color":"green","size":2}' } },
    { name: 'red', weight: 200, weightType: 'variable', stickiness: 'default', payload: { type: 'number', value: '42' } },
  ];
  return { enabled: true, strategies: [strategy], variants, dependencies: [] };
}

/** The attributes of one generated user: most pass every constraint, some fail one. */
export interface TargetedUser {
  userId: string;
  email: string;
  appVersion: string;
  plan: string;
  country: string;
}

const pick = <T>(values: readonly T[], index: number): T => values[index % values.length]!;

/** `count` users, deterministic, ASCII (so both hash the same bytes), spread over passing and failing attributes. */
export function targetedUsers(count: number): TargetedUser[] {
  return Array.from({ length: count }, (_, index) => ({
    userId: `user-${index}-${(index * 2654435761) % 4294967296}`,
    email: pick(['ada@ACME.com', 'bob@example.org', 'eve@gmail.com', 'kim@acme.com', 'lee@example.org'], index),
    appVersion: pick(['2.3.0', '2.10.1', '3.0.0-beta.1', '2.2.9', '4.1.7'], index >> 3),
    plan: pick(['pro', 'enterprise', 'free', 'pro'], index >> 5),
    country: pick(['DE', 'FR', 'US', 'SE', 'NL', 'JP', 'IT'], index >> 7),
  }));
}
