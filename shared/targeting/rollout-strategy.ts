import { randomUUID } from 'node:crypto';
import type { Strategy } from '../evaluation/model.js';
import { ValidationError } from '../errors.js';
import type { FlagState } from '../schemas/flags.js';

/** The one strategy of the simple case (as the migration and new environments write it in SQL). */
export function simpleRolloutStrategy(flagKey: string, rollout: number): Strategy {
  return {
    id: randomUUID(),
    name: 'flexibleRollout',
    parameters: { rollout: String(rollout), stickiness: 'default', groupId: flagKey },
    constraints: [],
    segments: [],
    variants: [],
  };
}

/** The strategy a rollout change or a ramp drives: the named one, else the simple case's only one. */
export function rolloutTarget(state: FlagState, strategyId: string | undefined, field = 'strategyId'): Strategy {
  if (strategyId !== undefined) {
    const strategy = state.strategies.find((candidate) => candidate.id === strategyId);
    if (!strategy) {
      throw new ValidationError(`flag '${state.key}' in '${state.environment}' has no strategy with id '${strategyId}'`, [
        { path: [field], message: 'no strategy of this state has this id' },
      ]);
    }
    if (strategy.name !== 'flexibleRollout') {
      throw new ValidationError(`strategy '${strategyId}' is a ${strategy.name} strategy; only a flexibleRollout has a rollout`, [
        { path: [field], message: 'must name a flexibleRollout strategy' },
      ]);
    }
    return strategy;
  }
  if (state.rollout === null) {
    throw new ValidationError(
      `flag '${state.key}' in '${state.environment}' is not a simple rollout (it has ${state.strategies.length} strategies, ` +
        'or constraints, segments or strategy variants): name the flexibleRollout strategy to change with strategyId, ' +
        'or replace the whole configuration with PUT',
      [{ path: [field], message: 'required: the state is not the simple case' }],
    );
  }
  return state.strategies[0]!;
}

/** The strategy's rollout percentage as Unleash keeps it (a string parameter), when it is a whole number. */
export function rolloutOf(strategy: Strategy): number | undefined {
  const text = strategy.parameters?.rollout;
  return text !== undefined && /^(100|[1-9]?[0-9])$/.test(text) ? Number(text) : undefined;
}
