import { removeAt, replaceAt, type DraftVariant } from '../targeting/draft.js';
import { FieldErrors, hasFieldError } from './FieldErrors.js';

const PAYLOAD_TYPES = ['string', 'number', 'json', 'csv'];

/** The state's variants: weights out of 1000 (fixed, or sharing what is left), each with an optional payload. */
export function VariantsEditor({ variants, onChange, error }: { variants: DraftVariant[]; onChange: (variants: DraftVariant[]) => void; error: unknown }) {
  const total = variants.reduce((sum, variant) => sum + (Number.isFinite(variant.weight) ? variant.weight : 0), 0);
  return (
    <section className="variants" aria-label="Variants">
      <h3>Variants {variants.length > 0 && <span className="muted small">weights total {total} of 1000</span>}</h3>
      <FieldErrors error={error} path={['variants']} id="variants-error" exact />
      {variants.map((variant, index) => {
        const id = `variant-${index}`;
        const set = (next: Partial<DraftVariant>) => onChange(replaceAt(variants, index, { ...variant, ...next }));
        return (
          <fieldset key={index} className="variant" aria-label={`Variant ${index + 1}`}>
            <legend className="visually-hidden">Variant {index + 1}</legend>
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${id}-name`}>Variant {index + 1} name</label>
                <input id={`${id}-name`} value={variant.name} onChange={(event) => set({ name: event.target.value })} aria-invalid={hasFieldError(error, ['variants', index, 'name'])} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-weight`}>Weight (of 1000)</label>
                <input
                  id={`${id}-weight`}
                  type="number"
                  className="narrow"
                  value={Number.isFinite(variant.weight) ? variant.weight : ''}
                  onChange={(event) => set({ weight: event.target.value === '' ? Number.NaN : Number(event.target.value) })}
                  aria-invalid={hasFieldError(error, ['variants', index, 'weight'])}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-weight-type`}>Weight type</label>
                <select id={`${id}-weight-type`} value={variant.weightType ?? 'variable'} onChange={(event) => set({ weightType: event.target.value as 'fix' | 'variable' })}>
                  <option value="variable">variable</option>
                  <option value="fix">fix</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-payload-type`}>Payload type</label>
                <select
                  id={`${id}-payload-type`}
                  value={variant.payload?.type ?? ''}
                  onChange={(event) => set({ payload: event.target.value === '' ? undefined : { type: event.target.value, value: variant.payload?.value ?? '' } })}
                >
                  <option value="">none</option>
                  {PAYLOAD_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {type}
                    </option>
                  ))}
                </select>
              </div>
              {variant.payload && (
                <div className="field grow">
                  <label htmlFor={`${id}-payload`}>Payload</label>
                  <input id={`${id}-payload`} value={variant.payload.value} onChange={(event) => set({ payload: { type: variant.payload!.type, value: event.target.value } })} />
                </div>
              )}
              <button type="button" onClick={() => onChange(removeAt(variants, index))} aria-label={`Remove variant ${index + 1}`}>
                Remove
              </button>
            </div>
            <FieldErrors error={error} path={['variants', index]} id={`${id}-error`} />
          </fieldset>
        );
      })}
      <button type="button" onClick={() => onChange([...variants, { name: '', weight: variants.length === 0 ? 1000 : 0, weightType: 'variable' }])}>
        Add a variant
      </button>
    </section>
  );
}
