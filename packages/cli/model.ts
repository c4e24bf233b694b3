/*
 * The shapes the CLI reads from FlagShip's admin API and writes to flag files,
 * and one canonical form of a state's configuration: keys in a fixed order,
 * parameters sorted, empty lists and false flags left out. Exported files are
 * written in it and plans compare in it, so a file changes (and a plan finds
 * a difference) only when the configuration does.
 */

/**
 * @flagship/evaluation's Constraint (its home), copied so the CLI installs
 * without that package: test/cli/support/constraint-shape.ts keeps them equal.
 */
export interface Constraint {
  contextName: string;
  operator: string;
  values?: string[];
  value?: string;
  inverted?: boolean;
  caseInsensitive?: boolean;
}

export interface Variant {
  name: string;
  weight: number;
  weightType?: string;
  stickiness?: string;
  payload?: { type: string; value: string };
  overrides?: Array<{ contextName: string; values: string[] }>;
}

export interface Strategy {
  name: string;
  id?: string;
  title?: string;
  disabled?: boolean;
  parameters?: Record<string, string>;
  constraints?: Constraint[];
  segments?: number[];
  variants?: Variant[];
}

export interface Dependency {
  feature: string;
  enabled?: boolean;
  variants?: string[];
}

/** What PUT takes: a state's whole configuration. */
export interface StateConfig {
  enabled: boolean;
  strategies: Strategy[];
  variants?: Variant[];
  dependencies?: Dependency[];
}

/** A state as the admin API shows it. */
export interface ServerState extends StateConfig {
  key: string;
  environment: string;
  rollout: number | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface ServerFlag {
  key: string;
  description: string;
  type: string;
  archivedAt: string | null;
  /** Present once the server has projects. */
  project?: string;
  environments: Record<string, ServerState>;
}

export interface Segment {
  id: number;
  name: string;
  description: string;
  constraints: Constraint[];
}

export interface Environment {
  key: string;
  version: number;
  /** People change it only through change requests (an admin token writes it directly). */
  protected?: boolean;
}

/** Plain comparison of strings by code unit: the same order on every machine and locale. */
export const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

/** Builds an object with only the defined entries, in the order given. */
function compact<T extends object>(entries: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out as T;
}

export function canonicalConstraint(constraint: Constraint): Constraint {
  return compact<Constraint>({
    contextName: constraint.contextName,
    operator: constraint.operator,
    values: nonEmpty(constraint.values),
    value: constraint.value === '' ? undefined : constraint.value,
    inverted: constraint.inverted || undefined,
    caseInsensitive: constraint.caseInsensitive || undefined,
  });
}

export function canonicalVariant(variant: Variant): Variant {
  return compact<Variant>({
    name: variant.name,
    weight: variant.weight,
    weightType: variant.weightType,
    stickiness: variant.stickiness,
    payload: variant.payload && { type: variant.payload.type, value: variant.payload.value },
    overrides: nonEmpty(variant.overrides?.map((override) => ({ contextName: override.contextName, values: override.values }))),
  });
}

export function canonicalStrategy(strategy: Strategy): Strategy {
  const parameters = Object.entries(strategy.parameters ?? {}).sort(([a], [b]) => byCodeUnit(a, b));
  return compact<Strategy>({
    name: strategy.name,
    id: strategy.id,
    title: strategy.title || undefined,
    disabled: strategy.disabled || undefined,
    parameters: parameters.length > 0 ? Object.fromEntries(parameters.map(([key, value]) => [key, String(value)])) : undefined,
    constraints: nonEmpty(strategy.constraints?.map(canonicalConstraint)),
    segments: nonEmpty(strategy.segments),
    variants: nonEmpty(strategy.variants?.map(canonicalVariant)),
  });
}

export function canonicalState(state: StateConfig): StateConfig {
  return compact<StateConfig>({
    enabled: state.enabled,
    strategies: (state.strategies ?? []).map(canonicalStrategy),
    variants: nonEmpty(state.variants?.map(canonicalVariant)),
    dependencies: nonEmpty(
      state.dependencies?.map((dependency) =>
        compact<Dependency>({ feature: dependency.feature, enabled: dependency.enabled === false ? false : undefined, variants: nonEmpty(dependency.variants) }),
      ),
    ),
  });
}

export function canonicalSegment(segment: Segment): Segment {
  return { id: segment.id, name: segment.name, description: segment.description, constraints: segment.constraints.map(canonicalConstraint) };
}

/**
 * The current state as the desired one would be compared with it: where the
 * file leaves a strategy's id out (a strategy someone added by hand), the
 * server's id at that position does not count as a difference.
 */
export function comparableCurrent(current: StateConfig, desired: StateConfig): StateConfig {
  const canonical = canonicalState(current);
  return {
    ...canonical,
    strategies: canonical.strategies.map((strategy, index) => {
      const wanted = desired.strategies[index];
      if (!wanted || wanted.id !== undefined) return strategy;
      const { id: _id, ...rest } = strategy;
      return rest;
    }),
  };
}

export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
