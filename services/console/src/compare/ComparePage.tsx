import { useQueryClient } from '@tanstack/react-query';
import { useContext, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import { useApi } from '../api/api-context.js';
import { queryKeys, useEnvironments, useFlags } from '../api/queries.js';
import { stateIn } from '../api/state-in.js';
import type { AdminFlagState, Environment, Flag } from '../api/types.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { Link } from '../components/Link.js';
import { useProductionGuard } from '../confirm/confirm-context.js';
import { isProductionEnvironment } from '../environments/production.js';
import { environmentDifferences, type FieldDifference } from '../diff/environment-diff.js';
import { useChosenProject } from '../projects/project-choice.js';
import { can, MeContext } from '../session/roles.js';
import { isChangeRequest, promoteFlags } from './promote-api.js';
import { readPair, writePair } from './compare-url.js';

interface Compared {
  flag: Flag;
  from: AdminFlagState;
  to: AdminFlagState;
  differences: FieldDifference[];
}

/** What the page says after a promote: written, or proposed in a change request. */
type Done = { kind: 'written'; count: number; version: number | null } | { kind: 'proposed'; id: string; title: string; count: number };

/**
 * Two environments side by side for the chosen project: every live flag whose
 * state differs, part by part in people's words, the identical ones counted and
 * folded away; pick flags and promote them from one to the other as ONE change
 * (one environment version), or ONE change request where the target is protected.
 */
export function ComparePage() {
  const api = useApi();
  const client = useQueryClient();
  const me = useContext(MeContext);
  const project = useChosenProject();
  const flags = useFlags();
  const environments = useEnvironments();
  const keys = (environments.data ?? []).map((environment) => environment.key);
  const [pair, setPair] = useState(() => readPair(location.search));
  const from = keys.includes(pair.from ?? '') ? pair.from! : defaultFrom(keys);
  const to = keys.includes(pair.to ?? '') ? pair.to! : defaultTo(keys, from);
  const target = environments.data?.find((environment) => environment.key === to);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<Done>();
  const guard = useProductionGuard(to);
  // The pair shown stays in the address (defaults included, and after the project switcher rewrote it), so the link shares this view.
  useEffect(() => {
    if (from !== '' && to !== '') writePair({ from, to });
  }, [from, to, project]);

  const choose = (change: { from?: string; to?: string }) => {
    const next = { from, to, ...change };
    setPair(next);
    writePair(next);
    setPicked(new Set());
    setDone(undefined);
    setError(undefined);
  };

  const { differing, identical } = useMemo(() => compare(flags.data ?? [], project, from, to), [flags.data, project, from, to]);
  const mayPromote = (flag: Flag) => me === undefined || can(me, 'editor', flag.project);
  const selectable = differing.filter((entry) => mayPromote(entry.flag));
  // Only what is still shown as differing is promoted (a flag made equal meanwhile drops out).
  const chosen = selectable.filter((entry) => picked.has(entry.flag.key));
  const allPicked = selectable.length > 0 && chosen.length === selectable.length;

  const toggle = (key: string, on: boolean) =>
    setPicked((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  const promote = async () => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const outcome = await promoteFlags(api, to, {
        from,
        flags: chosen.map((entry) => entry.flag.key),
        // The versions shown of both sides: a state changed on either since (someone else's write, a ramp step) refuses it all with 412.
        expectedVersions: Object.fromEntries(chosen.map((entry) => [entry.flag.key, entry.to.version])),
        sourceVersions: Object.fromEntries(chosen.map((entry) => [entry.flag.key, entry.from.version])),
      });
      setDone(
        isChangeRequest(outcome)
          ? { kind: 'proposed', id: outcome.id, title: outcome.title, count: chosen.length }
          : { kind: 'written', count: chosen.length, version: outcome.version },
      );
      setPicked(new Set());
      await Promise.all([client.invalidateQueries({ queryKey: queryKeys.flags }), client.invalidateQueries({ queryKey: queryKeys.environments })]);
    } catch (caught) {
      setError(caught);
      // A state changed since the page showed it: show the current ones, the choice kept.
      if (caught instanceof ApiError && caught.status === 412) void client.invalidateQueries({ queryKey: queryKeys.flags });
    } finally {
      setBusy(false);
    }
  };
  const onPromote = () => {
    const what = `promoting ${chosen.length} ${chosen.length === 1 ? 'flag' : 'flags'} from ${from}`;
    // A protected target only proposes: nothing changes until reviewers approve.
    if (target?.protected) void promote();
    else guard(what, () => void promote());
  };

  return (
    <section aria-labelledby="compare-title" className="compare-page">
      <div className="page-head">
        <h1 id="compare-title">Compare environments</h1>
      </div>
      <div className="toolbar" role="group" aria-label="Environments to compare">
        <EnvironmentSelect id="compare-from" label="From" value={from} environments={environments.data ?? []} onChange={(key) => choose({ from: key })} />
        <button type="button" onClick={() => choose({ from: to, to: from })} aria-label="Swap the two environments">
          ⇄ Swap
        </button>
        <EnvironmentSelect id="compare-to" label="To" value={to} environments={environments.data ?? []} onChange={(key) => choose({ to: key })} />
      </div>
      <ErrorNote error={flags.error ?? environments.error} />
      {flags.isPending || environments.isPending ? (
        <p>Loading…</p>
      ) : from === to ? (
        <p className="muted">Choose two different environments to compare.</p>
      ) : (
        <>
          <p role="status" className="compare-summary">
            {differing.length === 0
              ? `Every flag${project ? ` of ${project}` : ''} is the same in ${from} and ${to}.`
              : `${differing.length} ${differing.length === 1 ? 'flag differs' : 'flags differ'} between ${from} and ${to}; ${identical.length} ${identical.length === 1 ? 'is' : 'are'} the same.`}
          </p>
          {target?.protected && differing.length > 0 && (
            <p className="hint">
              {to} is protected: promoting opens one change request with every flag you pick; it applies, as one change, once approved.
            </p>
          )}
          {selectable.length > 1 && (
            <label className="compare-pick-all">
              <input
                type="checkbox"
                checked={allPicked}
                onChange={(event) => setPicked(new Set(event.target.checked ? selectable.map((entry) => entry.flag.key) : []))}
              />{' '}
              Pick every flag that differs ({selectable.length})
            </label>
          )}
          {differing.length > 0 && (
            <div className="compare-scroll">
            <table className="compare-table" aria-label={`Flags that differ between ${from} and ${to}`}>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Pick</span>
                  </th>
                  <th scope="col">Flag</th>
                  <th scope="col">What differs</th>
                  <th scope="col">In {from}</th>
                  <th scope="col">In {to}</th>
                </tr>
              </thead>
              <tbody>
                {differing.map((entry) => (
                  <FlagRows key={entry.flag.key} entry={entry} picked={picked.has(entry.flag.key)} mayPick={mayPromote(entry.flag)} onPick={(on) => toggle(entry.flag.key, on)} />
                ))}
              </tbody>
            </table>
            </div>
          )}
          {selectable.length > 0 && (
            <div className="form-actions compare-actions">
              <button type="button" className="primary" disabled={busy || chosen.length === 0} onClick={onPromote}>
                {target?.protected ? `Propose promoting selected (${chosen.length}) to ${to}` : `Promote selected (${chosen.length}) to ${to}`}
              </button>
              <span className="muted small">Copies each picked flag's state in {from} to {to}, all as one change.</span>
            </div>
          )}
          {done?.kind === 'written' && (
            <p role="status">
              {done.version === null
                ? `Nothing to change: the ${done.count === 1 ? 'flag was' : 'flags were'} already the same in ${to}.`
                : `Promoted ${done.count} ${done.count === 1 ? 'flag' : 'flags'} from ${from} to ${to} as one change (environment version ${done.version}).`}
            </p>
          )}
          {done?.kind === 'proposed' && (
            <p role="status">
              {to} is protected: change request <Link to={{ page: 'change-request', id: done.id }}>{done.title}</Link> opened with {done.count}{' '}
              {done.count === 1 ? 'flag' : 'flags'}; it applies once approved.
            </p>
          )}
          <ErrorNote error={error} />
          {error instanceof ApiError && error.status === 412 && (
            <p className="hint">Nothing was promoted: the comparison now shows the current states, your choice kept. Check them and promote again.</p>
          )}
          {identical.length > 0 && (
            <details className="compare-identical">
              <summary>
                {identical.length} {identical.length === 1 ? 'flag is' : 'flags are'} the same in both
              </summary>
              <ul className="small">
                {identical.map((flag) => (
                  <li key={flag.key}>
                    <Link to={{ page: 'flag', key: flag.key }}>{flag.key}</Link>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

function EnvironmentSelect({ id, label, value, environments, onChange }: { id: string; label: string; value: string; environments: Environment[]; onChange: (key: string) => void }) {
  return (
    <span className="filter">
      <label htmlFor={id}>{label}</label>{' '}
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {environments.map((environment) => (
          <option key={environment.key} value={environment.key}>
            {environment.key}
            {environment.protected ? ' (protected)' : ''}
          </option>
        ))}
      </select>
    </span>
  );
}

/** One flag: a row per part that differs, the flag's checkbox and key spanning them. */
function FlagRows({ entry, picked, mayPick, onPick }: { entry: Compared; picked: boolean; mayPick: boolean; onPick: (on: boolean) => void }) {
  const span = entry.differences.length;
  return (
    <>
      {entry.differences.map((difference, index) => (
        <tr key={difference.field} data-flag={entry.flag.key}>
          {index === 0 && (
            <td rowSpan={span}>
              {mayPick ? (
                <input type="checkbox" aria-label={`Pick ${entry.flag.key}`} checked={picked} onChange={(event) => onPick(event.target.checked)} />
              ) : (
                <span className="muted small" title="You are not an editor of this flag's project">—</span>
              )}
            </td>
          )}
          {index === 0 && (
            <th scope="row" rowSpan={span}>
              <Link to={{ page: 'flag', key: entry.flag.key }}>{entry.flag.key}</Link>
              {entry.flag.project !== 'default' && <span className="badge">{entry.flag.project}</span>}
            </th>
          )}
          <td>{difference.label}</td>
          <td>{difference.from}</td>
          <td>{difference.to}</td>
        </tr>
      ))}
    </>
  );
}

/** The live flags of `project` (every project: undefined), split into those whose states differ between the two environments and the rest. */
function compare(flags: Flag[], project: string | undefined, from: string, to: string): { differing: Compared[]; identical: Flag[] } {
  const differing: Compared[] = [];
  const identical: Flag[] = [];
  for (const flag of flags) {
    if (flag.archivedAt !== null || (project !== undefined && flag.project !== project)) continue;
    const source = stateIn(flag, from);
    const target = stateIn(flag, to);
    if (!source || !target) continue;
    const differences = environmentDifferences(source, target);
    if (differences.length === 0) identical.push(flag);
    else differing.push({ flag, from: source, to: target, differences });
  }
  return { differing, identical };
}

/** Staging when there is one, else the first environment. */
function defaultFrom(keys: string[]): string {
  return keys.includes('staging') ? 'staging' : (keys[0] ?? '');
}

/** Production when there is one (and it is not `from`), else another environment than `from`. */
function defaultTo(keys: string[], from: string): string {
  const production = keys.find((key) => isProductionEnvironment(key) && key !== from);
  return production ?? keys.find((key) => key !== from) ?? from;
}
