import type { Segment } from '../api/types.js';
import { STRATEGY_NAMES, STRATEGY_PARAMETERS, newStrategy, removeAt, replaceAt, type DraftStrategy } from '../targeting/draft.js';
import { parameterLabel, strategyLabel } from '../words/strategy-names.js';
import { ConstraintEditor } from './ConstraintEditor.js';
import { FieldErrors } from './FieldErrors.js';

/** One strategy: its kind and parameters, its constraints and the segments it requires. */
export function StrategyEditor({
  strategy,
  index,
  flagKey,
  segments,
  onChange,
  onRemove,
  error,
}: {
  strategy: DraftStrategy;
  index: number;
  flagKey: string;
  segments: Segment[];
  onChange: (strategy: DraftStrategy) => void;
  onRemove: () => void;
  error: unknown;
}) {
  const path = ['strategies', index];
  const id = `strategy-${index}`;
  const constraints = strategy.constraints ?? [];
  const chosen = strategy.segments ?? [];
  const parameters = STRATEGY_PARAMETERS[strategy.name] ?? Object.keys(strategy.parameters ?? {});
  const setParameter = (name: string, value: string) => onChange({ ...strategy, parameters: { ...strategy.parameters, [name]: value } });

  return (
    <section className="strategy card" aria-label={`Strategy ${index + 1}`}>
      <header className="field-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Strategy {index + 1}</label>
          <select
            id={`${id}-name`}
            value={strategy.name}
            onChange={(event) => onChange({ ...newStrategy(event.target.value, flagKey), id: strategy.id, constraints, segments: chosen })}
          >
            {STRATEGY_NAMES.map((name) => (
              <option key={name} value={name}>
                {strategyLabel(name)}
              </option>
            ))}
          </select>
        </div>
        {parameters.map((name) => (
          <div className="field" key={name}>
            <label htmlFor={`${id}-${name}`}>{parameterLabel(name)}</label>
            <input
              id={`${id}-${name}`}
              value={String(strategy.parameters?.[name] ?? '')}
              onChange={(event) => setParameter(name, event.target.value)}
              className={name === 'rollout' || name === 'percentage' ? 'narrow' : undefined}
              inputMode={name === 'rollout' || name === 'percentage' ? 'numeric' : undefined}
            />
          </div>
        ))}
        <button type="button" onClick={onRemove} aria-label={`Remove strategy ${index + 1}`}>
          Remove strategy
        </button>
      </header>
      <FieldErrors error={error} path={[...path, 'parameters']} id={`${id}-parameters-error`} />
      <FieldErrors error={error} path={path} id={`${id}-error`} exact />
      <FieldErrors error={error} path={[...path, 'name']} id={`${id}-name-error`} />
      {constraints.map((constraint, at) => (
        <ConstraintEditor
          key={at}
          constraint={constraint}
          label={`Constraint ${at + 1} of strategy ${index + 1}`}
          path={[...path, 'constraints', at]}
          error={error}
          onChange={(next) => onChange({ ...strategy, constraints: replaceAt(constraints, at, next) })}
          onRemove={() => onChange({ ...strategy, constraints: removeAt(constraints, at) })}
        />
      ))}
      <button
        type="button"
        onClick={() => onChange({ ...strategy, constraints: [...constraints, { contextName: '', operator: 'IN', values: [] }] })}
      >
        Add a constraint
      </button>
      {segments.length > 0 && (
        <fieldset className="checks" aria-label={`Segments of strategy ${index + 1}`}>
          <legend>Segments (all must hold)</legend>
          {segments.map((segment) => (
            <label key={segment.id}>
              <input
                type="checkbox"
                checked={chosen.includes(segment.id)}
                onChange={(event) =>
                  onChange({ ...strategy, segments: event.target.checked ? [...chosen, segment.id] : chosen.filter((known) => known !== segment.id) })
                }
              />{' '}
              {segment.name}
            </label>
          ))}
        </fieldset>
      )}
      <FieldErrors error={error} path={[...path, 'segments']} id={`${id}-segments-error`} />
    </section>
  );
}
