import { createContext, useContext } from 'react';
import type { Me } from '../api/client.js';

type Role = Me['roles'][number]['role'];
const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/**
 * Whether who is signed in holds `role` on every project, or with `project`
 * on that one (a grant on it or on every project), as the API checks it;
 * admin tokens are admin.
 */
export function can(me: Me, role: Role, project?: string): boolean {
  return me.roles.some((grant) => (grant.project === '*' || grant.project === project) && RANK[grant.role] >= RANK[role]);
}

/** Who is signed in, for the pages that hide what their role cannot do. */
export const MeContext = createContext<Me | undefined>(undefined);

/**
 * The project of what is shown (a flag's page, a row of the flag list): the
 * controls inside ask for their role on it, as the API does, so an editor of
 * one project can change its flags. Outside one, a role is asked for on every
 * project.
 */
export const ProjectContext = createContext<string | undefined>(undefined);

/**
 * Whether the signed-in person may do what needs `role`, on `project` or else
 * on the surrounding ProjectContext's (true outside a MeContext: the API still decides).
 */
export function useCan(role: Role, project?: string): boolean {
  const me = useContext(MeContext);
  const surrounding = useContext(ProjectContext);
  return me === undefined || can(me, role, project ?? surrounding);
}

/** `role` tested per project, for a list of projects (true for each outside a MeContext: the API still decides). */
export function useCanOn(role: Role): (project: string) => boolean {
  const me = useContext(MeContext);
  return (project) => me === undefined || can(me, role, project);
}
