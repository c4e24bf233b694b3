import { listOf, removeAt, replaceAt, type DraftDependency } from '../targeting/draft.js';
import { FieldErrors } from './FieldErrors.js';

/** Other flags this one needs on (or off), optionally with one of their variants. */
export function DependenciesEditor({
  dependencies,
  flagKeys,
  onChange,
  error,
}: {
  dependencies: DraftDependency[];
  flagKeys: string[];
  onChange: (dependencies: DraftDependency[]) => void;
  error: unknown;
}) {
  return (
    <section className="dependencies" aria-label="Dependencies">
      <h3>Dependencies</h3>
      <datalist id="flag-keys">
        {flagKeys.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
      {dependencies.map((dependency, index) => {
        const id = `dependency-${index}`;
        const set = (next: Partial<DraftDependency>) => onChange(replaceAt(dependencies, index, { ...dependency, ...next }));
        return (
          <fieldset key={index} className="dependency" aria-label={`Dependency ${index + 1}`}>
            <legend className="visually-hidden">Dependency {index + 1}</legend>
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${id}-feature`}>Needs flag</label>
                <input id={`${id}-feature`} list="flag-keys" value={dependency.feature} onChange={(event) => set({ feature: event.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-enabled`}>to be</label>
                <select id={`${id}-enabled`} value={dependency.enabled === false ? 'off' : 'on'} onChange={(event) => set({ enabled: event.target.value === 'on' })}>
                  <option value="on">on</option>
                  <option value="off">off</option>
                </select>
              </div>
              <div className="field grow">
                <label htmlFor={`${id}-variants`}>with one of these variants (optional)</label>
                <input
                  id={`${id}-variants`}
                  value={(dependency.variants ?? []).join(', ')}
                  onChange={(event) => set({ variants: listOf(event.target.value) })}
                />
              </div>
              <button type="button" onClick={() => onChange(removeAt(dependencies, index))} aria-label={`Remove dependency ${index + 1}`}>
                Remove
              </button>
            </div>
            <FieldErrors error={error} path={['dependencies', index]} id={`${id}-error`} />
          </fieldset>
        );
      })}
      <button type="button" onClick={() => onChange([...dependencies, { feature: '', enabled: true }])}>
        Add a dependency
      </button>
    </section>
  );
}
