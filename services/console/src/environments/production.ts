/**
 * The environments the console asks about before changing anything in them.
 * FlagShip has no `protected` flag on environments yet: until it does, this
 * list is the one place that says which are production (compared without case).
 */
export const PRODUCTION_ENVIRONMENTS: readonly string[] = ['prod', 'production'];

export function isProductionEnvironment(key: string): boolean {
  return PRODUCTION_ENVIRONMENTS.includes(key.toLowerCase());
}
