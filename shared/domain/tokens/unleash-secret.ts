import type { Token } from '../../schemas/tokens.js';
import { seesEveryProject, type ProjectScope } from '../projects/project-scope.js';

/**
 * Unleash's token format, `project:environment.secret`: `*:` for every
 * project, `[]:` for several (as Unleash writes them). Unleash SDKs and
 * tools that read the project and environment from the token see what
 * FlagShip's token is scoped to.
 */
export function unleashFormOfSecret(token: Pick<Token, 'environment' | 'projects'>, secret: string): string {
  return `${unleashProjectPart(token.projects)}:${token.environment}.${secret}`;
}

function unleashProjectPart(projects: ProjectScope): string {
  if (seesEveryProject(projects)) return '*';
  return projects.length === 1 ? projects[0]! : '[]';
}

const UNLEASH_FORM = /^(\*|\[\]|[a-z0-9][a-z0-9_-]{0,49}):([a-z0-9][a-z0-9_-]{0,49})\.(\S+)$/;

export interface UnleashFormSecret {
  project: string;
  environment: string;
  secret: string;
}

/** The parts of an Unleash-format secret, or undefined for a bare one. */
export function parseUnleashFormSecret(presented: string): UnleashFormSecret | undefined {
  const match = UNLEASH_FORM.exec(presented);
  return match ? { project: match[1]!, environment: match[2]!, secret: match[3]! } : undefined;
}

/** Whether the project and environment an Unleash-format secret names are exactly those of its token (else it is not this token's). */
export function unleashFormMatches(parsed: UnleashFormSecret, token: Pick<Token, 'environment' | 'projects'>): boolean {
  return parsed.environment === token.environment && parsed.project === unleashProjectPart(token.projects);
}
