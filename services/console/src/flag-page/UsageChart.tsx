import { useId } from 'react';
import type { UsageSlot } from './usage-hours.js';

const WIDTH = 480;
const HEIGHT = 120;

const hourText = (hour: string) => new Date(hour).toLocaleString(undefined, { weekday: 'short', hour: 'numeric' });

/**
 * One environment's evaluations per hour as bars (on stacked over off); the
 * picture is one image with a summary for screen readers, and the table
 * beside it (UsageTable) has every figure.
 */
export function UsageChart({ environment, slots }: { environment: string; slots: UsageSlot[] }) {
  const titleId = useId();
  const busiest = Math.max(0, ...slots.map((slot) => slot.yes + slot.no));
  const highest = Math.max(1, busiest);
  const on = slots.reduce((sum, slot) => sum + slot.yes, 0);
  const off = slots.reduce((sum, slot) => sum + slot.no, 0);
  const barWidth = WIDTH / slots.length;
  const first = slots[0]?.hour;
  const last = slots.at(-1)?.hour;
  return (
    <figure className="usage-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} preserveAspectRatio="none">
        <title id={titleId}>
          {`Evaluations per hour in ${environment}, last ${slots.length} hours: ${on.toLocaleString()} on, ${off.toLocaleString()} off; the busiest hour had ${busiest.toLocaleString()}`}
        </title>
        <line x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="usage-axis" />
        {slots.map((slot, index) => {
          const yesHeight = (slot.yes / highest) * (HEIGHT - 4);
          const noHeight = (slot.no / highest) * (HEIGHT - 4);
          const x = index * barWidth + barWidth * 0.15;
          return (
            <g key={slot.hour}>
              {slot.no > 0 && <rect className="usage-off" x={x} width={barWidth * 0.7} y={HEIGHT - noHeight} height={noHeight} />}
              {slot.yes > 0 && <rect className="usage-on" x={x} width={barWidth * 0.7} y={HEIGHT - noHeight - yesHeight} height={yesHeight} />}
            </g>
          );
        })}
      </svg>
      {first && last && (
        <figcaption className="usage-range small muted">
          <span>{hourText(first)}</span>
          <span>
            <span className="key-on" aria-hidden="true" /> on <span className="key-off" aria-hidden="true" /> off
          </span>
          <span>{hourText(last)}</span>
        </figcaption>
      )}
    </figure>
  );
}
