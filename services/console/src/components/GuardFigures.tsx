import type { Ramp } from '../api/types.js';

type Guard = Ramp['guards'][number];

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);

const DECISION_WORDS: Record<Guard['decision'], string> = {
  pending: 'not looked at yet',
  'too-few-exposures': 'waiting for exposures',
  'no-breach': 'holding',
  breach: 'breached',
};

/** A ramp's guards with what the worker last saw: each arm's events per exposure, the ratio, the evidence, the decision. */
export function GuardFigures({ guards }: { guards: Ramp['guards'] }) {
  if (guards.length === 0) return null;
  return (
    <table className="guard-figures small" aria-label="Guards">
      <thead>
        <tr>
          <th>guard</th>
          <th>flag on</th>
          <th>flag off</th>
          <th>ratio</th>
          <th>evidence</th>
          <th>decision</th>
        </tr>
      </thead>
      <tbody>
        {guards.map((guard, index) => (
          <tr key={index} data-decision={guard.decision}>
            <td>
              {guard.event} ≤ {guard.maxRatio}× ({guard.action}, {guard.minExposures} exposures)
            </td>
            <td>
              {guard.treatment.events}/{guard.treatment.exposures} = {percent(guard.treatment.rate)}
            </td>
            <td>
              {guard.control.events}/{guard.control.exposures} = {percent(guard.control.rate)}
            </td>
            <td>{guard.ratio === null ? '—' : `${guard.ratio.toFixed(2)}×`}</td>
            <td title="mixture likelihood ratio; a breach needs the threshold">
              {guard.evidence.toPrecision(3)} / {guard.threshold}
            </td>
            <td>{DECISION_WORDS[guard.decision]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
