import type { Token } from '../../../shared/schemas/tokens.js';

/** The environment an sdk token may read; every sdk token has one (the database enforces it). */
export function sdkEnvironment(token: Token): string {
  if (!token.environment) throw new Error(`sdk token ${token.id} has no environment`);
  return token.environment;
}
