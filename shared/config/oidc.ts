import { isIP } from 'node:net';
import { z } from 'zod';

const ROLES = ['viewer', 'editor', 'admin'] as const;
type OidcRole = (typeof ROLES)[number];

/** A role on a project (`*`: every project); the same shape as principal.ts's RoleGrant. */
export interface OidcRoleGrant {
  role: OidcRole;
  project: string;
}

/** One `group=role[@project]` entry of FLAGSHIP_OIDC_ROLE_MAP. */
export interface OidcRoleMapping extends OidcRoleGrant {
  group: string;
}

/** OpenID Connect sign-in, when FLAGSHIP_OIDC_ISSUER is set. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE alone, no client authentication). */
  clientSecret: string | undefined;
  /** The ID token or userinfo claim that lists the person's groups. */
  roleClaim: string;
  roleMap: readonly OidcRoleMapping[];
  /** What a person whose groups map to no role gets; absent: they are refused. */
  defaultRole: OidcRoleGrant | undefined;
  /** `{FLAGSHIP_PUBLIC_URL}/auth/oidc/callback`, registered at the identity provider. */
  redirectUri: string;
}

// As user_role_grant.project takes them.
const PROJECT = /^(\*|[a-z0-9][a-z0-9_-]{0,49})$/;

/** `editor` or `editor@web`: a role, on every project unless one is named. */
function parseGrant(text: string): OidcRoleGrant | string {
  const [role, project = '*', ...rest] = text.split('@');
  if (!ROLES.includes(role as OidcRole)) return `'${role}' is not a role (viewer, editor or admin)`;
  if (rest.length > 0 || !PROJECT.test(project)) return `'${project}' is not a project key (lowercase letters, digits, _ and -, up to 50; or * for every project)`;
  return { role: role as OidcRole, project };
}

/** `ff-admins=admin,web=editor@web` → one mapping per entry; spaces around entries are ignored. */
export const OidcRoleMapSchema = z.string().transform((value, ctx): OidcRoleMapping[] => {
  const mappings: OidcRoleMapping[] = [];
  for (const entry of value.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const equals = entry.lastIndexOf('=');
    const group = entry.slice(0, equals).trim();
    if (equals <= 0 || group === '') {
      ctx.addIssue({ code: 'custom', message: `'${entry}' is not group=role or group=role@project` });
      continue;
    }
    const grant = parseGrant(entry.slice(equals + 1).trim());
    if (typeof grant === 'string') ctx.addIssue({ code: 'custom', message: `'${entry}': ${grant}` });
    else mappings.push({ group, ...grant });
  }
  return mappings;
});

export const OidcDefaultRoleSchema = z.string().transform((value, ctx) => {
  const grant = parseGrant(value.trim());
  if (typeof grant === 'string') {
    ctx.addIssue({ code: 'custom', message: `${grant}; give role or role@project` });
    return z.NEVER;
  }
  return grant;
});

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

/**
 * The issuer: https, or http on a loopback address only (a laptop, a test):
 * anywhere else the ID tokens and the client secret would cross the network in clear.
 */
export const OidcIssuerSchema = z.string().superRefine((value, ctx) => {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL starting with https://' });
    return;
  }
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol === 'http:' && isLoopback(parsed.hostname)) return;
  ctx.addIssue({
    code: 'custom',
    message: parsed.protocol === 'http:'
      ? `must start with https:// (http:// is accepted only on a loopback address such as 127.0.0.1 or localhost, not ${parsed.hostname})`
      : 'must be a URL starting with https://',
  });
});

export interface OidcVariables {
  FLAGSHIP_OIDC_ISSUER?: string | undefined;
  FLAGSHIP_OIDC_CLIENT_ID?: string | undefined;
  FLAGSHIP_OIDC_CLIENT_SECRET?: string | undefined;
  FLAGSHIP_OIDC_ROLE_CLAIM: string;
  FLAGSHIP_OIDC_ROLE_MAP: OidcRoleMapping[];
  FLAGSHIP_OIDC_DEFAULT_ROLE?: OidcRoleGrant | undefined;
  FLAGSHIP_PUBLIC_URL?: string | undefined;
}

/** The OIDC settings as a whole, or the problems that stop them working together (each naming its variable). */
export function oidcConfigFrom(vars: OidcVariables): { config: OidcConfig | undefined; problems: string[] } {
  const problems: string[] = [];
  if (vars.FLAGSHIP_OIDC_ISSUER === undefined) {
    for (const name of ['FLAGSHIP_OIDC_CLIENT_ID', 'FLAGSHIP_OIDC_CLIENT_SECRET', 'FLAGSHIP_OIDC_DEFAULT_ROLE'] as const) {
      if (vars[name] !== undefined) problems.push(`${name}: is set but FLAGSHIP_OIDC_ISSUER is not: set both, or neither`);
    }
    if (vars.FLAGSHIP_OIDC_ROLE_MAP.length > 0) {
      problems.push('FLAGSHIP_OIDC_ROLE_MAP: is set but FLAGSHIP_OIDC_ISSUER is not: set both, or neither');
    }
    return { config: undefined, problems };
  }
  if (vars.FLAGSHIP_OIDC_CLIENT_ID === undefined) {
    problems.push('FLAGSHIP_OIDC_CLIENT_ID: is required with FLAGSHIP_OIDC_ISSUER (the client id registered at the identity provider)');
  }
  if (vars.FLAGSHIP_PUBLIC_URL === undefined) {
    problems.push('FLAGSHIP_PUBLIC_URL: is required with FLAGSHIP_OIDC_ISSUER (the callback is {FLAGSHIP_PUBLIC_URL}/auth/oidc/callback)');
  }
  if (vars.FLAGSHIP_OIDC_ROLE_MAP.length === 0 && vars.FLAGSHIP_OIDC_DEFAULT_ROLE === undefined) {
    problems.push('FLAGSHIP_OIDC_ROLE_MAP: is required with FLAGSHIP_OIDC_ISSUER unless FLAGSHIP_OIDC_DEFAULT_ROLE is set (else nobody could sign in)');
  }
  if (problems.length > 0) return { config: undefined, problems };
  return {
    problems,
    config: Object.freeze({
      issuer: vars.FLAGSHIP_OIDC_ISSUER,
      clientId: vars.FLAGSHIP_OIDC_CLIENT_ID!,
      clientSecret: vars.FLAGSHIP_OIDC_CLIENT_SECRET,
      roleClaim: vars.FLAGSHIP_OIDC_ROLE_CLAIM,
      roleMap: Object.freeze(vars.FLAGSHIP_OIDC_ROLE_MAP.map((mapping) => Object.freeze(mapping))),
      defaultRole: vars.FLAGSHIP_OIDC_DEFAULT_ROLE && Object.freeze(vars.FLAGSHIP_OIDC_DEFAULT_ROLE),
      redirectUri: `${vars.FLAGSHIP_PUBLIC_URL!.replace(/\/+$/, '')}/auth/oidc/callback`,
    }),
  };
}
