import type { FlagState } from '../api/types.js';
import { strategyLabel } from '../words/strategy-names.js';

/** A state's targeting in a few words: each strategy with its constraints, the variants and dependencies. */
export function TargetingSummary({ state }: { state: FlagState }) {
  if (state.rollout !== null && state.variants.length === 0 && state.dependencies.length === 0) return null;
  return (
    <ul className="targeting-summary small" aria-label={`Targeting in ${state.environment}`}>
      {state.strategies.map((strategy, index) => (
        <li key={strategy.id ?? index}>
          <strong>{strategyLabel(strategy.name)}</strong>
          {strategy.parameters?.rollout !== undefined && ` ${strategy.parameters.rollout}%`}
          {(strategy.constraints ?? []).map((constraint, at) => (
            <span key={at} className="badge">
              {constraint.contextName} {constraint.inverted ? 'not ' : ''}
              {constraint.operator} {constraint.values?.join(', ') ?? constraint.value}
            </span>
          ))}
          {(strategy.segments ?? []).length > 0 && <span className="badge">segments {strategy.segments!.join(', ')}</span>}
        </li>
      ))}
      {state.variants.length > 0 && <li>variants: {state.variants.map((variant) => `${variant.name} (${variant.weight})`).join(', ')}</li>}
      {state.dependencies.length > 0 && <li>needs: {state.dependencies.map((dependency) => dependency.feature).join(', ')}</li>}
    </ul>
  );
}
