/**
 * The targeting model: Unleash's client-API shapes, so that any Unleash state
 * imports and exports without loss and users keep their buckets. Pure types,
 * no I/O: the server, the notifier and every SDK share them.
 *
 * Field names follow Unleash's `/api/client/features` (v2) wire format except
 * `key` (Unleash's `name`) on a flag, which FlagShip uses everywhere else.
 */

/** Constraint operators FlagShip evaluates. An unknown operator is kept (import is lossless) and never matches. */
export const CONSTRAINT_OPERATORS = [
  'IN',
  'NOT_IN',
  'STR_CONTAINS',
  'STR_STARTS_WITH',
  'STR_ENDS_WITH',
  'NUM_EQ',
  'NUM_GT',
  'NUM_GTE',
  'NUM_LT',
  'NUM_LTE',
  'DATE_AFTER',
  'DATE_BEFORE',
  'SEMVER_EQ',
  'SEMVER_GT',
  'SEMVER_GTE',
  'SEMVER_LT',
  'SEMVER_LTE',
  'REGEX',
  'IN_CIDR',
] as const;
export type ConstraintOperator = (typeof CONSTRAINT_OPERATORS)[number];

/** Strategies FlagShip evaluates. An unknown strategy is kept and never matches (as Unleash SDKs treat it). */
export const STRATEGY_NAMES = [
  'default',
  'flexibleRollout',
  'userWithId',
  'gradualRolloutUserId',
  'gradualRolloutSessionId',
  'gradualRolloutRandom',
  'remoteAddress',
  'applicationHostname',
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface Constraint {
  /** A standard context field (`userId`, `sessionId`, `remoteAddress`, `environment`, `appName`, `currentTime`) or a property name. */
  contextName: string;
  operator: string;
  /** For list operators (IN, NOT_IN, STR_*): the candidates. */
  values?: string[];
  /** For single-value operators (NUM_*, DATE_*, SEMVER_*, REGEX, IN_CIDR uses `values` too, as Unleash does). */
  value?: string;
  inverted?: boolean;
  caseInsensitive?: boolean;
}

export interface VariantPayload {
  type: 'string' | 'number' | 'json' | 'csv' | string;
  value: string;
}

export interface VariantOverride {
  contextName: string;
  values: string[];
}

/** A weighted variant (weights out of 1000 across the list). */
export interface VariantDefinition {
  name: string;
  weight: number;
  /** `fix` keeps its weight; `variable` ones share what is left (Unleash's default). */
  weightType?: 'variable' | 'fix' | string;
  /** Context field hashed to pick the variant (`default`: userId, then sessionId, then random). */
  stickiness?: string;
  payload?: VariantPayload;
  overrides?: VariantOverride[];
}

export interface Strategy {
  name: string;
  /** Unleash keeps every parameter as a string (`rollout: "25"`, `userIds: "a,b"`). */
  parameters?: Record<string, string>;
  constraints?: Constraint[];
  /** Ids of segments; every segment's constraints must hold too. */
  segments?: number[];
  /** Strategy variants win over the flag's own variants when this strategy matched. */
  variants?: VariantDefinition[];
  /** A disabled strategy is kept but never matches. */
  disabled?: boolean;
  /** Optional label shown in the console. */
  title?: string;
  /** Stable id within the state (ramps name the strategy they drive by it). */
  id?: string;
}

/** This flag is on only when `feature` is on (or off, with `enabled: false`), optionally with one of `variants`. */
export interface Dependency {
  feature: string;
  enabled?: boolean;
  variants?: string[];
}

/** A reusable, named list of constraints, referenced by id from strategies. */
export interface Segment {
  id: number;
  name: string;
  description?: string;
  constraints: Constraint[];
}

/** What evaluation reads of one flag in one environment. */
export interface FlagDefinition {
  key: string;
  enabled: boolean;
  strategies: Strategy[];
  variants: VariantDefinition[];
  dependencies: Dependency[];
  impressionData?: boolean;
}
