import { useProjects } from '../api/queries.js';
import { chooseProject, useChosenProject } from '../projects/project-choice.js';
import { navigate, type Route } from '../routing/router.js';

/**
 * Which project the console shows: the flag list, flag pages and new flags
 * follow it. The projects listed are those the signed-in person holds a role
 * on (the API lists only those). On a flag page, switching goes to the list.
 */
export function ProjectSwitcher({ route }: { route: Route }) {
  const projects = useProjects();
  const chosen = useChosenProject();
  const keys = (projects.data ?? []).map((project) => project.key);
  // A project in the URL that is not (yet) listed stays selectable, so the select never lies about the filter.
  const options = chosen !== undefined && !keys.includes(chosen) ? [...keys, chosen] : keys;
  return (
    <label className="project-switcher">
      <span className="visually-hidden">Project</span>
      <select
        aria-label="Project"
        data-testid="project-switcher"
        value={chosen ?? ''}
        onChange={(event) => {
          chooseProject(event.target.value === '' ? undefined : event.target.value);
          if (route.page === 'flag') navigate({ page: 'flags' });
        }}
      >
        <option value="">All projects</option>
        {options.map((key) => (
          <option key={key} value={key}>
            {(projects.data ?? []).find((project) => project.key === key)?.name ?? key}
          </option>
        ))}
      </select>
    </label>
  );
}
