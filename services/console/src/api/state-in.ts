import type { AdminFlagState, Flag } from './types.js';

/**
 * The flag's state in `environment`, if it has one. Environment names are the
 * user's: `flag.environments.constructor` is Object's when the flag has no
 * state there, so only the record's own entries count.
 */
export function stateIn(flag: Pick<Flag, 'environments'>, environment: string): AdminFlagState | undefined {
  return Object.hasOwn(flag.environments, environment) ? flag.environments[environment] : undefined;
}
