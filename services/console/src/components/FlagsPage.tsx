import { useMemo, useState } from 'react';
import { useEnvironments, useFlags, useStaleFlags } from '../api/queries.js';
import type { FlagType } from '../api/types.js';
import { FLAG_TYPE_OPTIONS, NO_OWNER, filterFlags, tagsAndOwners, type ArchivedFilter, type StatusFilter } from '../filter/filter-flags.js';
import { useUrlFilters } from '../filter/url-filters.js';
import { CreateFlagForm } from './CreateFlagForm.js';
import { ErrorNote } from './ErrorNote.js';
import { FlagMatrix } from './FlagMatrix.js';
import { FlagsEmpty } from './FlagsEmpty.js';
import { useCan } from '../session/roles.js';
import { useChosenProject } from '../projects/project-choice.js';

/** Every flag × every environment, with filters that combine and live in the URL. */
export function FlagsPage() {
  const project = useChosenProject();
  // A new flag goes in the chosen project, else in `default`.
  const canEdit = useCan('editor', project ?? 'default');
  const flags = useFlags();
  const environments = useEnvironments();
  const [filters, setFilters] = useUrlFilters();
  const [creating, setCreating] = useState(false);
  // Read once the flags are in (it pages through them all on the server): every stale flag gets its badge.
  const stale = useStaleFlags(flags.isSuccess);

  const everyProject = flags.data ?? [];
  const all = useMemo(() => (project === undefined ? everyProject : everyProject.filter((flag) => flag.project === project)), [everyProject, project]);
  const choices = useMemo(() => tagsAndOwners(all), [all]);
  const staleKeys = useMemo(() => (filters.stale ? new Set(stale.data?.keys() ?? []) : undefined), [filters.stale, stale.data]);
  const visible = useMemo(
    () =>
      filterFlags(all, {
        search: filters.search,
        archived: filters.archived,
        type: filters.type,
        tag: filters.tag,
        owner: filters.owner,
        status: filters.status,
        staleOnly: staleKeys,
      }),
    [all, filters, staleKeys],
  );
  const filtered = visible.length !== all.length || filters.archived !== 'live';
  const clearFilters = () => setFilters({ search: '', tag: '', owner: '', status: '', type: '', archived: 'live', stale: false });

  return (
    <section aria-labelledby="flags-title" className="flags-page">
      <div className="page-head">
        <h1 id="flags-title">Flags</h1>
        {canEdit && (
          <button type="button" className="primary" onClick={() => setCreating((open) => !open)} aria-expanded={creating}>
            New flag
          </button>
        )}
      </div>
      {canEdit && creating && environments.data && <CreateFlagForm environments={environments.data} project={project} onDone={() => setCreating(false)} />}
      <div className="toolbar" role="search" aria-label="Filter flags">
        <label className="visually-hidden" htmlFor="flag-search">
          Search flags
        </label>
        <input
          id="flag-search"
          type="search"
          placeholder="Search by key, description, owner or tag"
          value={filters.search}
          onChange={(event) => setFilters({ search: event.target.value })}
          autoComplete="off"
        />
        <span className="filter">
          <label htmlFor="filter-tag">Tag</label>{' '}
          <select id="filter-tag" value={filters.tag} onChange={(event) => setFilters({ tag: event.target.value })}>
            <option value="">any</option>
            {choices.tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </span>
        <span className="filter">
          <label htmlFor="filter-owner">Owner</label>{' '}
          <select id="filter-owner" value={filters.owner} onChange={(event) => setFilters({ owner: event.target.value })}>
            <option value="">anyone</option>
            <option value={NO_OWNER}>nobody yet</option>
            {choices.owners.map((owner) => (
              <option key={owner} value={owner}>
                {owner}
              </option>
            ))}
          </select>
        </span>
        <span className="filter">
          <label htmlFor="filter-status">Status</label>{' '}
          <select id="filter-status" value={filters.status} onChange={(event) => setFilters({ status: event.target.value as StatusFilter })}>
            <option value="">any</option>
            {(environments.data ?? []).flatMap((environment) => [
              <option key={`on:${environment.key}`} value={`on:${environment.key}`}>
                on in {environment.key}
              </option>,
              <option key={`off:${environment.key}`} value={`off:${environment.key}`}>
                off in {environment.key}
              </option>,
            ])}
          </select>
        </span>
        <span className="filter">
          <label htmlFor="filter-type">Type</label>{' '}
          <select id="filter-type" value={filters.type} onChange={(event) => setFilters({ type: event.target.value as FlagType | '' })}>
            <option value="">any</option>
            {FLAG_TYPE_OPTIONS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </span>
        <span className="filter">
          <label htmlFor="filter-show">Show</label>{' '}
          <select id="filter-show" value={filters.archived} onChange={(event) => setFilters({ archived: event.target.value as ArchivedFilter })}>
            <option value="live">live flags</option>
            <option value="archived">archived flags</option>
            <option value="all">all flags</option>
          </select>
        </span>
        <label>
          <input type="checkbox" checked={filters.stale} onChange={(event) => setFilters({ stale: event.target.checked })} /> stale only
        </label>
        <span className="count" aria-live="polite" data-testid="flag-count">
          {!flags.isSuccess ? 'Loading flags…' : filters.stale && !stale.isSuccess ? 'Finding stale flags…' : `${visible.length} of ${all.length} flags`}
        </span>
        {filtered && (
          <button type="button" className="link-button" onClick={clearFilters}>
            Clear filters
          </button>
        )}
      </div>
      <ErrorNote error={flags.error ?? environments.error ?? stale.error} />
      {flags.isSuccess && environments.isSuccess && (
        <FlagMatrix
          flags={visible}
          environments={environments.data}
          staleReasons={stale.data}
          empty={<FlagsEmpty noFlagsYet={all.length === 0} canCreate={canEdit} onCreate={() => setCreating(true)} onClear={clearFilters} />}
        />
      )}
    </section>
  );
}
