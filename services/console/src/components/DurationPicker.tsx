import { DURATION_UNITS, type DurationUnit } from '../ramps/iso-duration.js';

/** "Every 1 hours": a number and a unit, which the form sends as an ISO 8601 duration (PT1H). */
export function DurationPicker({
  id,
  label,
  amount,
  unit,
  onChange,
  describedBy,
}: {
  id: string;
  label: string;
  amount: string;
  unit: DurationUnit;
  onChange: (amount: string, unit: DurationUnit) => void;
  describedBy?: string;
}) {
  return (
    <fieldset className="duration-picker" aria-describedby={describedBy}>
      <legend>{label}</legend>
      <input
        id={`${id}-amount`}
        type="number"
        min={0}
        step="any"
        className="narrow"
        aria-label={`${label} (number)`}
        value={amount}
        onChange={(event) => onChange(event.target.value, unit)}
      />
      <select aria-label={`${label} (unit)`} value={unit} onChange={(event) => onChange(amount, event.target.value as DurationUnit)}>
        {DURATION_UNITS.map((candidate) => (
          <option key={candidate.unit} value={candidate.unit}>
            {candidate.label}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
