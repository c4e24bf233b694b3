import type { OidcRoleGrant, OidcRoleMapping } from '../../config/oidc.js';

/** The claim's value: `groups`, or a dotted path into nested claims (`realm_access.roles`) when no claim has the dotted name. */
function claimValue(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The groups a claim lists: an array of strings, or one string. */
export function groupsOf(claims: Record<string, unknown>, roleClaim: string): string[] {
  const value = claimValue(claims, roleClaim);
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  return [];
}

const RANK = { viewer: 0, editor: 1, admin: 2 } as const;

/**
 * The roles a person's groups give under FLAGSHIP_OIDC_ROLE_MAP (each matching
 * entry counts, groups compared exactly; on one project the highest role wins,
 * as a user holds one role per project), else the default role, else none
 * (the person is refused).
 */
export function rolesFromGroups(
  groups: readonly string[],
  roleMap: readonly OidcRoleMapping[],
  defaultRole: OidcRoleGrant | undefined,
): OidcRoleGrant[] {
  const held = new Set(groups);
  const grants = new Map<string, OidcRoleGrant>();
  for (const mapping of roleMap) {
    if (!held.has(mapping.group)) continue;
    const current = grants.get(mapping.project);
    if (!current || RANK[mapping.role] > RANK[current.role]) grants.set(mapping.project, { role: mapping.role, project: mapping.project });
  }
  if (grants.size === 0 && defaultRole) return [{ ...defaultRole }];
  return [...grants.values()];
}
