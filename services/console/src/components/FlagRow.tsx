import { memo, type CSSProperties } from 'react';
import { stateIn } from '../api/state-in.js';
import type { Environment, Flag } from '../api/types.js';
import { exposureText, rolloutText } from '../words/state-words.js';
import { Link } from './Link.js';
import { StateSwitch } from './StateSwitch.js';

interface FlagRowProps {
  flag: Flag;
  staleReasons?: string[];
  environments: Environment[];
  rowIndex: number;
  dataIndex: number;
  top: number;
  columns: CSSProperties;
  measure: (element: Element | null) => void;
}

/** One flag: its key and description, then a switch and the rollout per environment. */
export const FlagRow = memo(function FlagRow({ flag, staleReasons, environments, rowIndex, dataIndex, top, columns, measure }: FlagRowProps) {
  const archived = flag.archivedAt !== null;
  return (
    <div
      className={`matrix-row${archived ? ' archived' : ''}`}
      role="row"
      aria-rowindex={rowIndex}
      data-index={dataIndex}
      data-flag={flag.key}
      ref={measure}
      style={{ ...columns, position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${top}px)` }}
    >
      <span role="rowheader" className="flag-name">
        <Link to={{ page: 'flag', key: flag.key }}>{flag.key}</Link>
        {flag.type !== 'release' && <span className="badge">{flag.type}</span>}
        {archived && <span className="badge">archived</span>}
        {staleReasons && staleReasons.length > 0 && (
          <span className="badge stale" title={staleReasons.join('\n')}>
            stale: {staleReasons[0]}
          </span>
        )}
        {flag.description && <span className="description">{flag.description}</span>}
      </span>
      {environments.map((environment) => {
        const state = stateIn(flag, environment.key);
        return (
          <span role="cell" key={environment.key} className="cell">
            <span className="cell-env" aria-hidden="true">
              {environment.key}
            </span>
            {state ? (
              <>
                <StateSwitch flagKey={flag.key} state={state} disabled={archived} />
                <span className="rollout" title={state.enabled ? `Rollout in ${environment.key}` : `Off in ${environment.key}; when switched on: ${rolloutText(state.rollout)}`}>
                  {exposureText(state)}
                </span>
              </>
            ) : (
              <span className="muted">—</span>
            )}
          </span>
        );
      })}
    </div>
  );
});
