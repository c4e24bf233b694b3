import { memo, type CSSProperties } from 'react';
import { stateIn } from '../api/state-in.js';
import type { Environment, Flag } from '../api/types.js';
import { exposureText, rolloutText } from '../words/state-words.js';
import { ProjectContext } from '../session/roles.js';
import { latestTime } from '../words/time-words.js';
import { Link } from './Link.js';
import { StateSwitch } from './StateSwitch.js';
import { When } from './When.js';

interface FlagRowProps {
  flag: Flag;
  staleReasons?: string[];
  environments: Environment[];
  rowIndex: number;
  dataIndex: number;
  top: number;
  columns: CSSProperties;
  /** Measures the row's height, when rows vary (narrow screens). */
  measure?: (element: Element | null) => void;
}

/** One flag: its key, badges, description, owner, tags and when it was last seen, then a switch and the rollout per environment. */
export const FlagRow = memo(function FlagRow({ flag, staleReasons, environments, rowIndex, dataIndex, top, columns, measure }: FlagRowProps) {
  const archived = flag.archivedAt !== null;
  const lastSeen = latestTime(Object.values(flag.environments).map((state) => state.lastSeenAt));
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
        <span className="flag-meta">
          <span className="owner">{flag.owner === null ? <span className="muted">no owner</span> : <>owner {flag.owner}</>}</span>
          {flag.tags.length > 0 && (
            <span className="tags">
              <span className="visually-hidden">tags: </span>
              {flag.tags.map((tag) => (
                <span className="tag" key={tag}>
                  {tag}
                </span>
              ))}
            </span>
          )}
          <span className="last-seen">
            {lastSeen === null ? (
              'never seen'
            ) : (
              <>
                seen <When time={lastSeen} />
              </>
            )}
          </span>
        </span>
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
                <ProjectContext.Provider value={flag.project}>
                  <StateSwitch flagKey={flag.key} state={state} disabled={archived} />
                </ProjectContext.Provider>
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
