import { useEnvironments, useFlagUsage, useFlags } from '../api/queries.js';
import { stateIn } from '../api/state-in.js';
import { ArchiveFlag } from './ArchiveFlag.js';
import { DescriptionEditor } from './DescriptionEditor.js';
import { EnvironmentCard } from './EnvironmentCard.js';
import { ErrorNote } from './ErrorNote.js';
import { Link } from './Link.js';
import { TypeEditor } from './TypeEditor.js';

/** One flag: its description and type, archive, and per environment its switch, rollout, usage, ramps and how to read it from code. */
export function FlagPage({ flagKey }: { flagKey: string }) {
  const flags = useFlags();
  const environments = useEnvironments();
  const usage = useFlagUsage(flagKey);
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
  const archived = flag.archivedAt !== null;
  return (
    <section aria-labelledby="flag-title" className="flag-page">
      <p className="crumbs">
        <Link to={{ page: 'flags' }}>Flags</Link> /
      </p>
      <div className="page-head">
        <h1 id="flag-title">
          {flag.key} {archived && <span className="badge">archived</span>}
        </h1>
        {!archived && <ArchiveFlag flagKey={flag.key} />}
      </div>
      <DescriptionEditor flag={flag} />
      <TypeEditor flag={flag} />
      <div className="environment-cards">
        {(environments.data ?? []).map((environment) => {
          const state = stateIn(flag, environment.key);
          return state ? <EnvironmentCard key={environment.key} flagKey={flag.key} state={state} archived={archived} usage={usage.data} /> : null;
        })}
      </div>
    </section>
  );
}
