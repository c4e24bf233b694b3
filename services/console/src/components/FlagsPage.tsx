import { useMemo, useState } from 'react';
import { useEnvironments, useFlags, useStaleFlags } from '../api/queries.js';
import type { FlagType } from '../api/types.js';
import { FLAG_TYPE_OPTIONS, filterFlags, type ArchivedFilter } from '../filter/filter-flags.js';
import { CreateFlagForm } from './CreateFlagForm.js';
import { ErrorNote } from './ErrorNote.js';
import { FlagMatrix } from './FlagMatrix.js';

/** Every flag × every environment, searchable and filterable as you type. */
export function FlagsPage() {
  const flags = useFlags();
  const environments = useEnvironments();
  const [search, setSearch] = useState('');
  const [archived, setArchived] = useState<ArchivedFilter>('live');
  const [type, setType] = useState<FlagType | ''>('');
  const [staleOnly, setStaleOnly] = useState(false);
  const [creating, setCreating] = useState(false);
  const stale = useStaleFlags(staleOnly);

  const all = flags.data ?? [];
  const staleKeys = useMemo(() => (staleOnly && stale.data ? new Set(stale.data.keys()) : undefined), [staleOnly, stale.data]);
  const visible = useMemo(
    () => filterFlags(all, { search, archived, type, staleOnly: staleKeys }),
    [all, search, archived, type, staleKeys],
  );

  return (
    <section aria-labelledby="flags-title" className="flags-page">
      <div className="page-head">
        <h1 id="flags-title">Flags</h1>
        <button type="button" className="primary" onClick={() => setCreating((open) => !open)} aria-expanded={creating}>
          New flag
        </button>
      </div>
      {creating && environments.data && <CreateFlagForm environments={environments.data} onDone={() => setCreating(false)} />}
      <div className="toolbar" role="search">
        <label className="visually-hidden" htmlFor="flag-search">
          Search flags
        </label>
        <input
          id="flag-search"
          type="search"
          placeholder="Search flags by key or description"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          autoComplete="off"
        />
        <label>
          Show{' '}
          <select value={archived} onChange={(event) => setArchived(event.target.value as ArchivedFilter)}>
            <option value="live">live flags</option>
            <option value="archived">archived flags</option>
            <option value="all">all flags</option>
          </select>
        </label>
        <label>
          Type{' '}
          <select value={type} onChange={(event) => setType(event.target.value as FlagType | '')}>
            <option value="">any</option>
            {FLAG_TYPE_OPTIONS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={staleOnly} onChange={(event) => setStaleOnly(event.target.checked)} /> stale only
        </label>
        <span className="count" aria-live="polite" data-testid="flag-count">
          {!flags.isSuccess ? 'Loading flags…' : staleOnly && !stale.isSuccess ? 'Finding stale flags…' : `${visible.length} of ${all.length} flags`}
        </span>
      </div>
      <ErrorNote error={flags.error ?? environments.error ?? stale.error} />
      {flags.isSuccess && environments.isSuccess && (
        <FlagMatrix flags={visible} environments={environments.data} staleReasons={staleOnly ? stale.data : undefined} />
      )}
    </section>
  );
}
