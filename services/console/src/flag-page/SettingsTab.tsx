import type { Flag } from '../api/types.js';
import { ArchiveFlag } from '../components/ArchiveFlag.js';
import { DescriptionEditor } from '../components/DescriptionEditor.js';
import { LabelsEditor } from '../components/LabelsEditor.js';
import { TypeEditor } from '../components/TypeEditor.js';
import { useCan } from '../session/roles.js';
import { MoveFlag } from './MoveFlag.js';

/** What the flag is, apart from its states: description, type, owner and tags, project (and moving it), and archiving it. */
export function SettingsTab({ flag }: { flag: Flag }) {
  // On the flag's project (the page's ProjectContext); a move also needs it on the project it goes to (MoveFlag lists those).
  const canEdit = useCan('editor');
  const archived = flag.archivedAt !== null;
  return (
    <>
      <DescriptionEditor flag={flag} />
      <TypeEditor flag={flag} />
      <LabelsEditor flag={flag} />
      <section className="flag-project" aria-labelledby="project-title">
        <h2 id="project-title">Project</h2>
        <p data-testid="settings-project">
          In <strong>{flag.project}</strong>
        </p>
        {!archived && canEdit && <MoveFlag flag={flag} />}
      </section>
      {!archived && canEdit && (
        <section className="danger-zone" aria-labelledby="archive-title">
          <h2 id="archive-title">Archive</h2>
          <p className="muted small">SDKs stop seeing an archived flag in every environment, and its ramps are cancelled. It cannot be undone.</p>
          <ArchiveFlag flagKey={flag.key} />
        </section>
      )}
    </>
  );
}
