import { CONSTRAINT_OPERATORS, listOf, takesList, valueInput, type DraftConstraint } from '../targeting/draft.js';
import { FieldErrors, hasFieldError } from './FieldErrors.js';

const CONTEXT_FIELDS = ['userId', 'sessionId', 'remoteAddress', 'environment', 'appName', 'currentTime'];

/** One condition: a context field, an operator, and a value typed for that operator. */
export function ConstraintEditor({
  constraint,
  onChange,
  onRemove,
  error,
  path,
  label,
}: {
  constraint: DraftConstraint;
  onChange: (constraint: DraftConstraint) => void;
  onRemove: () => void;
  error: unknown;
  path: Array<string | number>;
  label: string;
}) {
  const id = path.join('-');
  const list = takesList(constraint.operator);
  const input = valueInput(constraint.operator);
  const setOperator = (operator: string) => {
    // Moving between list and single-value operators carries the value across.
    if (takesList(operator) && !list) onChange({ ...constraint, operator, values: listOf(constraint.value ?? ''), value: undefined });
    else if (!takesList(operator) && list) onChange({ ...constraint, operator, value: (constraint.values ?? [])[0] ?? '', values: undefined });
    else onChange({ ...constraint, operator });
  };
  return (
    <fieldset className="constraint" aria-label={label} data-path={path.join('.')}>
      <legend className="visually-hidden">{label}</legend>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-context`}>Context field</label>
          <input
            id={`${id}-context`}
            list="context-fields"
            value={constraint.contextName}
            onChange={(event) => onChange({ ...constraint, contextName: event.target.value })}
            aria-invalid={hasFieldError(error, [...path, 'contextName'])}
          />
          <datalist id="context-fields">
            {CONTEXT_FIELDS.map((field) => (
              <option key={field} value={field} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={`${id}-operator`}>Operator</label>
          <select id={`${id}-operator`} value={constraint.operator} onChange={(event) => setOperator(event.target.value)}>
            {CONSTRAINT_OPERATORS.map((operator) => (
              <option key={operator} value={operator}>
                {operator}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={`${id}-value`}>{list ? 'Values (comma-separated)' : 'Value'}</label>
          <input
            id={`${id}-value`}
            type={input.type}
            placeholder={input.placeholder}
            value={list ? (constraint.values ?? []).join(', ') : (constraint.value ?? '')}
            onChange={(event) =>
              onChange(list ? { ...constraint, values: listOf(event.target.value) } : { ...constraint, value: event.target.value })
            }
            aria-invalid={hasFieldError(error, path)}
            aria-describedby={`${id}-error`}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={constraint.inverted ?? false} onChange={(event) => onChange({ ...constraint, inverted: event.target.checked })} /> not
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={constraint.caseInsensitive ?? false}
            onChange={(event) => onChange({ ...constraint, caseInsensitive: event.target.checked })}
          />{' '}
          ignore case
        </label>
        <button type="button" onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </div>
      <FieldErrors error={error} path={path} id={`${id}-error`} />
    </fieldset>
  );
}
