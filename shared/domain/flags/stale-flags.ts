import type { Strategy } from '../../../packages/evaluation/model.js';
import type { FlagType } from '../../schemas/usage.js';

const DAY_MS = 24 * 3_600_000;

/** Unleash's expected lifetimes per flag type, in days; null: a flag of this type may live for ever. */
export const EXPECTED_LIFETIME_DAYS: Record<FlagType, number | null> = {
  release: 40,
  experiment: 40,
  operational: 7,
  'kill-switch': null,
  permission: null,
};

export type StaleRule = 'past-lifetime' | 'not-evaluated' | 'unchanged-everywhere';

export interface StaleReason {
  rule: StaleRule;
  message: string;
}

/** What the rules read of one environment's state. */
export interface StaleStateView {
  enabled: boolean;
  strategies: Strategy[];
  updatedAt: string;
  /** When the flag was last evaluated in this environment; null: never. */
  lastSeenAt: string | null;
}

export interface StaleFlagView {
  key: string;
  type: FlagType;
  createdAt: string;
  environments: Record<string, StaleStateView>;
}

/** Strategies that give everyone the same answer: 'on' for all, 'off' for all, or undefined (it depends on who asks). */
function uniformAnswer(state: StaleStateView): 'on' | 'off' | undefined {
  if (!state.enabled) return 'off';
  const live = state.strategies.filter((strategy) => !strategy.disabled);
  // Unleash: an enabled flag without strategies is on for everyone.
  if (live.length === 0) return state.strategies.length === 0 ? 'on' : 'off';
  let allZero = true;
  for (const strategy of live) {
    const unconditional = (strategy.constraints ?? []).length === 0 && (strategy.segments ?? []).length === 0;
    const percent = strategyPercent(strategy);
    if (unconditional && percent === 100) return 'on';
    if (percent !== 0) allZero = false;
  }
  return allZero ? 'off' : undefined;
}

/** The share of users a strategy lets through by itself: 100 for `default`, its rollout for rollouts, else undefined. */
function strategyPercent(strategy: Strategy): number | undefined {
  const parameters = strategy.parameters ?? {};
  if (strategy.name === 'default') return 100;
  const raw = strategy.name === 'flexibleRollout' ? parameters.rollout : strategy.name.startsWith('gradualRollout') ? parameters.percentage : undefined;
  if (raw === undefined || !/^\d{1,3}$/.test(raw)) return undefined;
  return Number(raw);
}

function days(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/**
 * Why a flag looks stale at `now`, by three rules: it is older than its type's
 * expected lifetime; nothing evaluated it in any environment for `staleDays`;
 * or every environment gave everyone the same answer (100 % or 0 %) and none
 * changed for `staleDays`. An empty list: not stale.
 */
export function staleReasons(flag: StaleFlagView, now: Date, staleDays: number): StaleReason[] {
  const reasons: StaleReason[] = [];
  const age = now.getTime() - Date.parse(flag.createdAt);
  const lifetime = EXPECTED_LIFETIME_DAYS[flag.type];
  if (lifetime !== null && age > lifetime * DAY_MS) {
    reasons.push({
      rule: 'past-lifetime',
      message: `a ${flag.type} flag is expected to live ${lifetime} days; this one is ${days(age)} days old`,
    });
  }

  const window = staleDays * DAY_MS;
  const seen = Object.values(flag.environments).flatMap((state) => (state.lastSeenAt ? [Date.parse(state.lastSeenAt)] : []));
  const lastSeen = seen.length > 0 ? Math.max(...seen) : undefined;
  if (lastSeen === undefined ? age > window : now.getTime() - lastSeen > window) {
    reasons.push({
      rule: 'not-evaluated',
      message:
        lastSeen === undefined
          ? `never evaluated in any environment since it was created ${days(age)} days ago`
          : `not evaluated in any environment for ${days(now.getTime() - lastSeen)} days (last ${new Date(lastSeen).toISOString()})`,
    });
  }

  const states = Object.entries(flag.environments);
  const answers = states.map(([environment, state]) => [environment, uniformAnswer(state)] as const);
  const lastChange = Math.max(...states.map(([, state]) => Date.parse(state.updatedAt)));
  if (states.length > 0 && answers.every(([, answer]) => answer !== undefined) && now.getTime() - lastChange > window) {
    const summary = answers.map(([environment, answer]) => `${answer === 'on' ? '100' : '0'} % in ${environment}`).join(', ');
    reasons.push({
      rule: 'unchanged-everywhere',
      message: `the same answer for everyone (${summary}), unchanged for ${days(now.getTime() - lastChange)} days`,
    });
  }
  return reasons;
}

/** Default for `staleDays`: a month without an evaluation, or with one answer for everyone. */
export const DEFAULT_STALE_DAYS = 30;

export interface StaleFlagPage<F> {
  flags: Array<F & { staleReasons: StaleReason[] }>;
  nextAfter: string | null;
}

/**
 * One page of stale flags: reads live flags a page at a time from `after` and
 * keeps those with a reason until `limit` are found. nextAfter is the last key
 * looked at, so the next page goes on from there.
 */
export async function findStaleFlags<F extends StaleFlagView>(
  listPage: (after: string | undefined, limit: number) => Promise<F[]>,
  options: { after?: string; limit: number; now: Date; staleDays: number },
): Promise<StaleFlagPage<F>> {
  const found: Array<F & { staleReasons: StaleReason[] }> = [];
  let after = options.after;
  for (;;) {
    const page = await listPage(after, options.limit);
    for (const flag of page) {
      after = flag.key;
      const reasons = staleReasons(flag, options.now, options.staleDays);
      if (reasons.length > 0) found.push({ ...flag, staleReasons: reasons });
      if (found.length === options.limit) return { flags: found, nextAfter: flag.key };
    }
    if (page.length < options.limit) return { flags: found, nextAfter: null };
  }
}
