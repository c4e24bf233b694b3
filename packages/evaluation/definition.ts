import type { Definitions } from './evaluate.js';
import type { Dependency, FlagDefinition, Segment, Strategy, VariantDefinition } from './model.js';

/**
 * A stored flag state as far as evaluation reads it: the targeting fields when the state has
 * them, else the simple form `{ enabled, rollout }` (one flexibleRollout strategy).
 */
export interface StateLike {
  key: string;
  enabled: boolean;
  /** The simple form's percentage; null (or absent) when the state has strategies instead. */
  rollout?: number | null;
  strategies?: Strategy[];
  variants?: VariantDefinition[];
  dependencies?: Dependency[];
  impressionData?: boolean;
}

/** The one strategy the simple form stands for: flexibleRollout, default stickiness, the flag key as group id. */
export function rolloutStrategy(key: string, rollout: number): Strategy {
  return { name: 'flexibleRollout', parameters: { rollout: String(rollout), stickiness: 'default', groupId: key }, constraints: [] };
}

const definitions = new WeakMap<StateLike, FlagDefinition>();

/**
 * The definition evaluate() reads for a state, made once per state object (so its compiled
 * form is cached too). A state with `strategies` is taken as it is; one with only `rollout`
 * becomes rolloutStrategy(key, rollout).
 */
export function definitionOf(state: StateLike): FlagDefinition {
  let definition = definitions.get(state);
  if (!definition) {
    definition = {
      key: state.key,
      enabled: state.enabled,
      strategies: state.strategies ?? (typeof state.rollout === 'number' ? [rolloutStrategy(state.key, state.rollout)] : []),
      variants: state.variants ?? [],
      dependencies: state.dependencies ?? [],
    };
    if (state.impressionData !== undefined) definition.impressionData = state.impressionData;
    definitions.set(state, definition);
  }
  return definition;
}

/** Definitions over a list of states and segments (e.g. one snapshot), indexed by key and id. */
export function definitionsOf(states: readonly StateLike[], segments: readonly Segment[] = []): Definitions {
  return {
    flags: new Map(states.map((state) => [state.key, definitionOf(state)])),
    segments: new Map(segments.map((segment) => [segment.id, segment])),
  };
}
