import { archiveFlag, insertFlag, listFlags, requireFlag, updateFlag } from './flag-repository.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { ValidationError } from '../../errors.js';
import type { z } from 'zod';
import type { CreateFlag, Flag, FlagPageSchema, ListFlagsQuerySchema } from '../../schemas/flags.js';
import { cancelRampsOfArchivedFlag } from '../ramps/ramp-service.js';
import { DEFAULT_STALE_DAYS, findStaleFlags } from './stale-flags.js';

const DEFAULT_PAGE_SIZE = 50;

export { requireFlag, updateFlag };

type FlagPage = z.infer<typeof FlagPageSchema>;
type FlagPageQuery = z.infer<typeof ListFlagsQuerySchema>;

/** A page of flags by key; with `stale`, only live flags past their type's expected lifetime. */
export async function readFlagPage(pool: Pool, query: FlagPageQuery, now: Date): Promise<FlagPage> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (query.stale === 'true') {
    if (query.archived !== undefined && query.archived !== 'false') {
      throw new ValidationError('invalid query: stale=true lists live flags only; leave out archived', [
        { in: 'query', path: ['archived'], message: 'cannot be combined with stale=true' },
      ]);
    }
    return findStaleFlags((after, size) => listFlags(pool, { after, limit: size, archived: 'false' }), {
      after: query.after,
      limit,
      now,
      staleDays: query.staleDays ?? DEFAULT_STALE_DAYS,
    });
  }
  const flags = await listFlags(pool, { after: query.after, limit, archived: query.archived ?? 'false' });
  return { flags, nextAfter: flags.length === limit ? flags[flags.length - 1]!.key : null };
}

/** Creates a flag with its state in every environment, each recorded as a change by `actor`. */
export async function createFlag(pool: Pool, input: CreateFlag, actor: string): Promise<Flag> {
  return withTransaction(pool, (client) => insertFlag(client, input), { actor });
}

/** Archives a flag and cancels its active ramps in the same transaction (they would otherwise run until their next timer). */
export async function archiveFlagAndItsRamps(pool: Pool, flagKey: string, actor: string): Promise<Flag> {
  return withTransaction(
    pool,
    async (client) => {
      await cancelRampsOfArchivedFlag(client, flagKey);
      return archiveFlag(client, flagKey);
    },
    { actor },
  );
}
