import { useEnvironments, useFlagUsage, useFlags } from '../api/queries.js';
import { FlagTabs } from '../flag-page/FlagTabs.js';
import type { FlagTab } from '../routing/router.js';
import { ProjectContext } from '../session/roles.js';
import { ErrorNote } from './ErrorNote.js';
import { Link } from './Link.js';

/**
 * One flag: its name, project and description above four tabs — targeting per
 * environment, history, usage, settings — the chosen one in the URL.
 */
export function FlagPage({ flagKey, tab = 'targeting' }: { flagKey: string; tab?: FlagTab }) {
  const flags = useFlags();
  const environments = useEnvironments();
  // Asked for with the flags, not once they are in: the Targeting and Usage tabs show it from this one cache entry.
  useFlagUsage(flagKey);
  const flag = flags.data?.find((candidate) => candidate.key === flagKey);

  if (flags.isPending || environments.isPending) return <p>Loading…</p>;
  if (!flag) {
    return (
      <section>
        <ErrorNote error={flags.error ?? environments.error} />
        <h1>No flag “{flagKey}”</h1>
        <Link to={{ page: 'flags' }}>Back to all flags</Link>
      </section>
    );
  }
  return (
    <section aria-labelledby="flag-title" className="flag-page">
      <p className="crumbs">
        <Link to={{ page: 'flags' }}>Flags</Link> /
      </p>
      <h1 id="flag-title">
        {flag.key} {flag.archivedAt !== null && <span className="badge">archived</span>}
      </h1>
      <p className="muted small" data-testid="flag-project">
        Project {flag.project}
        {flag.owner && ` · owner ${flag.owner}`}
      </p>
      {flag.description && <p className="flag-description">{flag.description}</p>}
      <ProjectContext.Provider value={flag.project}>
        <FlagTabs flag={flag} tab={tab} environments={environments.data ?? []} />
      </ProjectContext.Provider>
    </section>
  );
}
