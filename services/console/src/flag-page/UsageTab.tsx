import { USAGE_HOURS, useFlagUsage } from '../api/queries.js';
import { stateIn } from '../api/state-in.js';
import type { Environment, Flag } from '../api/types.js';
import { EnvironmentUsage } from '../components/EnvironmentUsage.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { localTimeText } from '../words/time-words.js';
import { UsageChart } from './UsageChart.js';
import { usageSlots, type UsageSlot } from './usage-hours.js';

/**
 * How often the flag was evaluated, per environment and hour over the last
 * USAGE_HOURS (GET /v1/flags/{key}/usage, read again every 10 s): a chart and
 * the same figures as a table.
 */
export function UsageTab({ flag, environments }: { flag: Flag; environments: Environment[] }) {
  const usage = useFlagUsage(flag.key);
  if (usage.isPending) return <p>Loading…</p>;
  return (
    <div className="usage-tab">
      <ErrorNote error={usage.error} />
      <p className="muted small">
        Counted from SDK reports (Unleash SDKs, our SDK's usage reports) and the API's own evaluations; an SDK reports about once a minute.
      </p>
      {environments.map((environment) => {
        const slots = usageSlots(usage.data, environment.key, USAGE_HOURS);
        return (
          <section key={environment.key} className="card usage-environment" aria-labelledby={`usage-${environment.key}`} data-environment={environment.key}>
            <h2 id={`usage-${environment.key}`}>{environment.key}</h2>
            <EnvironmentUsage environment={environment.key} usage={usage.data} lastSeenAt={stateIn(flag, environment.key)?.lastSeenAt ?? null} />
            <UsageChart environment={environment.key} slots={slots} />
            <UsageTable environment={environment.key} slots={slots} />
          </section>
        );
      })}
    </div>
  );
}

/** The chart's figures: every hour with an evaluation, newest first. */
function UsageTable({ environment, slots }: { environment: string; slots: UsageSlot[] }) {
  const counted = slots.filter((slot) => slot.yes + slot.no > 0).reverse();
  if (counted.length === 0) {
    return <p className="muted small">No evaluations in {environment} in the last {USAGE_HOURS} hours: once an app reads the flag here, its hours appear.</p>;
  }
  return (
    <table className="table usage-table">
      <caption className="visually-hidden">Evaluations per hour in {environment}</caption>
      <thead>
        <tr>
          <th scope="col">Hour starting</th>
          <th scope="col">On</th>
          <th scope="col">Off</th>
        </tr>
      </thead>
      <tbody>
        {counted.map((slot) => (
          <tr key={slot.hour}>
            <td>{localTimeText(slot.hour)}</td>
            <td>{slot.yes.toLocaleString()}</td>
            <td>{slot.no.toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
