import type { Token } from '../../../shared/schemas/tokens.js';

/** The environment an sdk or frontend token may read; every such token has one (the database enforces it). */
export function sdkEnvironment(token: Token): string {
  if (!token.environment) throw new Error(`${token.kind} token ${token.id} has no environment`);
  return token.environment;
}
