import { ForbiddenError } from '../../errors.js';

export type Role = 'viewer' | 'editor' | 'admin';
export interface RoleGrant { role: Role; project: string }          // project '*' = every project
export interface Actor {                                            // who made a change (audit)
  type: 'user' | 'token' | 'ramp' | 'schedule' | 'change-request' | 'system';
  id: string; name: string; email?: string;
}
export interface Principal {                                        // who is asking (admin API)
  kind: 'admin-token' | 'user';   // 'user': a session cookie or a personal token
  actor: Actor;
  userId?: string;                // set for 'user'
  tokenId?: string;               // the admin or personal token, if any
  roles: RoleGrant[];             // admin tokens: [{ role: 'admin', project: '*' }]
}

/** Each role includes the ones before it: admin ⊇ editor ⊇ viewer. */
const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/**
 * Whether `p` holds `role` (or a higher one). With a project: a grant on that
 * project or on '*'. Without one: the question is installation-wide, and only
 * a grant on '*' answers it (a project's admin does not manage the installation's users).
 */
export function hasRole(p: Principal, role: Role, project?: string): boolean {
  return p.roles.some(
    (grant) => RANK[grant.role] >= RANK[role] && (grant.project === '*' || (project !== undefined && grant.project === project)),
  );
}

/** Throws the 403 when `p` does not hold `role` (see hasRole for `project`). */
export function requireRole(p: Principal, role: Role, project?: string): void {
  if (hasRole(p, role, project)) return;
  const where = project === undefined ? 'on every project' : `on project '${project}'`;
  throw new ForbiddenError(`this needs the ${role} role ${where}`);
}

/**
 * The projects on which `p` holds `role`: `['*']` with a grant on every
 * project, else the keys of its grants of that role or a higher one (maybe
 * none). What a list across projects shows a person.
 */
export function projectsWithRole(p: Principal, role: Role): readonly string[] {
  const granted = p.roles.filter((grant) => RANK[grant.role] >= RANK[role]);
  if (granted.some((grant) => grant.project === '*')) return ['*'];
  return granted.map((grant) => grant.project).sort();
}
