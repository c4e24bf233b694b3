import { requireEnvironment } from '../environments/environment-repository.js';
import { requireFlag } from '../flags/flag-repository.js';
import type { Queryable } from '../../db/pool.js';
import { listFlagUsage } from './usage-repository.js';
import type { FlagUsage } from '../../schemas/usage.js';

const HOUR_MS = 3_600_000;
const DEFAULT_HOURS = 48;

/** How often a flag was evaluated, per environment and hour, over the last `hours` (this hour included). */
export async function readFlagUsage(
  db: Queryable,
  query: { key: string; environment?: string; hours?: number },
  now: Date,
): Promise<FlagUsage> {
  const flag = await requireFlag(db, query.key);
  if (query.environment !== undefined) await requireEnvironment(db, query.environment);
  const since = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - ((query.hours ?? DEFAULT_HOURS) - 1) * HOUR_MS);
  const lastSeenAt: Record<string, string> = {};
  for (const [environment, state] of Object.entries(flag.environments)) {
    if (state.lastSeenAt !== null && (query.environment === undefined || environment === query.environment)) {
      lastSeenAt[environment] = state.lastSeenAt;
    }
  }
  return { key: flag.key, lastSeenAt, hours: await listFlagUsage(db, flag.id, since, query.environment) };
}
