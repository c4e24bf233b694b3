import { normalizedHash } from './bucket.js';
import { randomFraction } from './impure-reads.js';
import { allOf, compileEachConstraint, inRanges, parseAddress, parseRange, type ConstraintTest } from './constraints.js';
import { contextValue, defaultStickiness, randomStickiness, userIdOf, type EvaluationContext } from './context.js';
import type { Strategy } from './model.js';
import type { TraceStep } from './trace-step.js';
import { compileVariants, type CompiledVariants } from './variants.js';

/** What a strategy's own rule said (after its constraints and segments held). */
export const RuleOutcome = {
  Off: 0,
  On: 1,
  /** Off because a percentage needed the user's id and the context had none. */
  KeyMissing: 2,
} as const;
export type RuleOutcome = (typeof RuleOutcome)[keyof typeof RuleOutcome];

/**
 * How a strategy decides, for OpenFeature's reason: `static` rules answer the same for
 * everyone (default, 0% or 100% by default stickiness, unknown or disabled strategies),
 * `split` ones by a hash or at random, `targeting` ones by the context's fields.
 */
export type RuleKind = 'static' | 'split' | 'targeting';

/** Where a rule leaves the bucket it computed (for OFREP's metadata). */
export interface RuleTrace {
  bucket?: number;
  /** The percentage of a rollout that needed the user's id and had none. */
  keyMissingAt?: number;
  /**
   * Set only by explain() (explain.ts): every check is written here as it
   * runs. Absent, evaluation takes its ordinary path and writes nothing.
   */
  explain?: TraceStep[];
  /** Where pickVariant leaves the hash it drew (1..total weight), when given a trace. */
  variantHash?: number;
}

type Rule = (context: EvaluationContext, trace: RuleTrace | undefined) => RuleOutcome;

export interface CompiledStrategy {
  source: Strategy;
  constraints: ConstraintTest | undefined;
  /** Each constraint's own test, in order: the very tests `constraints` joins (explain runs them one by one). */
  constraintParts: readonly ConstraintTest[];
  segments: readonly number[];
  rule: Rule;
  kind: RuleKind;
  variants: CompiledVariants | undefined;
}

const off: Rule = () => RuleOutcome.Off;
const on: Rule = () => RuleOutcome.On;

/** Unleash's lists in parameters: comma-separated, spaces around commas ignored. */
const list = (text: string | undefined): string[] => (typeof text === 'string' && text !== '' ? text.split(/\s*,\s*/) : []);

interface CompiledRule {
  rule: Rule;
  kind: RuleKind;
}

function percentageRule(percentage: number, hashOf: (context: EvaluationContext) => string | RuleOutcome, groupId: string): CompiledRule {
  if (!(percentage > 0)) return { rule: off, kind: 'static' };
  return {
    kind: 'split',
    rule: (context, trace) => {
      const id = hashOf(context);
      if (typeof id !== 'string') {
        if (trace && id === RuleOutcome.KeyMissing) trace.keyMissingAt = percentage;
        return id;
      }
      const bucket = normalizedHash(groupId, id, 100);
      if (trace) trace.bucket = bucket;
      return bucket <= percentage ? RuleOutcome.On : RuleOutcome.Off;
    },
  };
}

function flexibleRollout(parameters: Record<string, string>, flagKey: string): CompiledRule {
  const percentage = Number(parameters.rollout);
  const groupId = parameters.groupId || flagKey || '';
  const stickiness = parameters.stickiness || 'default';
  if (stickiness === 'default' || stickiness === 'random') {
    if (percentage >= 100) return { rule: on, kind: 'static' };
    if (stickiness === 'random') return percentageRule(percentage, randomStickiness, groupId);
    // Unleash falls back to a random id here; FlagShip answers TARGETING_KEY_MISSING
    // instead, so a forgotten key does not flip the answer on every request (docs/evaluation.md).
    return percentageRule(percentage, (context) => defaultStickiness(context) ?? RuleOutcome.KeyMissing, groupId);
  }
  const rule = percentageRule(percentage, (context) => contextValue(context, stickiness) || RuleOutcome.Off, groupId);
  // A custom stickiness field must be present even at 100% (Unleash's rule).
  return { ...rule, kind: percentage > 0 ? (percentage >= 100 ? 'targeting' : 'split') : 'static' };
}

function gradualById(parameters: Record<string, string>, read: (context: EvaluationContext) => string | RuleOutcome): CompiledRule {
  const percentage = Number(parameters.percentage);
  const rule = percentageRule(percentage, read, parameters.groupId || '');
  return { ...rule, kind: percentage >= 100 ? 'targeting' : rule.kind };
}

function hostnameOf(context: EvaluationContext): string | undefined {
  if (typeof context.hostname === 'string') return context.hostname;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.HOSTNAME;
}

function compileRule(strategy: Strategy, flagKey: string): CompiledRule {
  const parameters = strategy.parameters ?? {};
  switch (strategy.name) {
    case 'default':
      return { rule: on, kind: 'static' };
    case 'flexibleRollout':
      return flexibleRollout(parameters, flagKey);
    case 'gradualRolloutUserId':
      return gradualById(parameters, (context) => userIdOf(context) ?? RuleOutcome.KeyMissing);
    case 'gradualRolloutSessionId':
      return gradualById(parameters, (context) => (typeof context.sessionId === 'string' && context.sessionId) || RuleOutcome.Off);
    case 'gradualRolloutRandom': {
      const percentage = Number(parameters.percentage);
      if (percentage >= 100) return { rule: on, kind: 'static' };
      if (!(percentage > 0)) return { rule: off, kind: 'static' };
      return { kind: 'split', rule: () => (percentage >= Math.floor(randomFraction() * 100) + 1 ? RuleOutcome.On : RuleOutcome.Off) };
    }
    case 'userWithId': {
      const userIds = new Set(list(parameters.userIds));
      return {
        kind: 'targeting',
        rule: (context) => {
          const userId = userIdOf(context);
          return userId !== undefined && userIds.has(userId) ? RuleOutcome.On : RuleOutcome.Off;
        },
      };
    }
    case 'remoteAddress': {
      const entries = list(parameters.IPs);
      const exact = new Set(entries);
      // Unleash's Node SDK matches ranges as IPv4 only; an exact string match works for any address.
      const ranges = entries.flatMap((entry) => {
        const range = parseRange(entry);
        return range && range[0].kind() === 'ipv4' ? [range] : [];
      });
      return {
        kind: 'targeting',
        rule: (context) => {
          const remote = context.remoteAddress;
          if (typeof remote !== 'string') return RuleOutcome.Off;
          if (exact.has(remote)) return RuleOutcome.On;
          const address = parseAddress(remote);
          return address && inRanges(address, ranges) ? RuleOutcome.On : RuleOutcome.Off;
        },
      };
    }
    case 'applicationHostname': {
      const hostNames = new Set(list(parameters.hostNames?.toLowerCase()));
      return {
        kind: 'targeting',
        rule: (context) => (hostNames.has(hostnameOf(context)?.toLowerCase() ?? '') ? RuleOutcome.On : RuleOutcome.Off),
      };
    }
    default:
      // An unknown strategy is kept and never matches, as Unleash SDKs treat it.
      return { rule: off, kind: 'static' };
  }
}

/** Compiles one strategy of flag `flagKey`: constraints, its rule, its variants. */
export function compileStrategy(strategy: Strategy, flagKey: string): CompiledStrategy {
  const parameters = strategy.parameters ?? {};
  const { rule, kind } = strategy.disabled ? { rule: off, kind: 'static' as const } : compileRule(strategy, flagKey);
  const constraintParts = compileEachConstraint(strategy.constraints);
  const constraints = allOf(constraintParts);
  const segments = Array.isArray(strategy.segments) ? strategy.segments : [];
  const conditional = constraints !== undefined || segments.length > 0;
  const variants = strategy.variants ?? [];
  return {
    source: strategy,
    constraints,
    constraintParts,
    segments,
    rule,
    // A static "on" behind constraints or segments depends on the context after all.
    kind: kind === 'static' && conditional && rule !== off ? 'targeting' : kind,
    // Unleash's Node SDK: the first variant's stickiness, else the strategy's; its groupId as given.
    variants: compileVariants(variants, String(parameters.groupId), variants[0]?.stickiness || parameters.stickiness),
  };
}

/** Whether a compiled strategy can never match (rollout 0, unknown, disabled). */
export const neverMatches = (strategy: CompiledStrategy): boolean => strategy.rule === off;
