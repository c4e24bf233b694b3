import {
  archiveFlag,
  insertFlag,
  listCrossProjectReferences,
  listFlags,
  lockFlag,
  moveFlag,
  projectOfFlag,
  requireFlag,
  updateFlag,
} from './flag-repository.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { z } from 'zod';
import type { CreateFlag, Flag, FlagMetadataChangePage, FlagPageSchema, ListFlagsQuerySchema, UpdateFlag } from '../../schemas/flags.js';
import { DEFAULT_PROJECT, requireProjectForUse } from '../projects/project-service.js';
import { cancelRampsOfArchivedFlag } from '../ramps/ramp-service.js';
import { DEFAULT_STALE_DAYS, findStaleFlags } from './stale-flags.js';
import type { Actor } from '../people/principal.js';
import { readFlagMetadataChangesOf } from './flag-metadata-changes.js';

const DEFAULT_PAGE_SIZE = 50;
const DEFAULT_METADATA_PAGE_SIZE = 100;

export { requireFlag };

type FlagPage = z.infer<typeof FlagPageSchema>;
type FlagPageQuery = z.infer<typeof ListFlagsQuerySchema>;

/** A page of flags by key, of `projects` (`['*']`: every project), optionally only those of a tag or an owner; with `stale`, only live flags that look stale. */
export async function readFlagPage(pool: Pool, query: Omit<FlagPageQuery, 'project'>, now: Date, projects: readonly string[]): Promise<FlagPage> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (query.stale === 'true') {
    if (query.archived !== undefined && query.archived !== 'false') {
      throw new ValidationError('invalid query: stale=true lists live flags only; leave out archived', [
        { in: 'query', path: ['archived'], message: 'cannot be combined with stale=true' },
      ]);
    }
    return findStaleFlags((after, size) => listFlags(pool, { after, limit: size, archived: 'false', projects, tag: query.tag, owner: query.owner }), {
      after: query.after,
      limit,
      now,
      staleDays: query.staleDays ?? DEFAULT_STALE_DAYS,
    });
  }
  const flags = await listFlags(pool, {
    after: query.after,
    limit,
    archived: query.archived ?? 'false',
    projects,
    tag: query.tag,
    owner: query.owner,
  });
  return { flags, nextAfter: flags.length === limit ? flags[flags.length - 1]!.key : null };
}

/** Creates a flag with its state in every environment, each recorded as a change by `actor`. */
export async function createFlag(pool: Pool, input: CreateFlag, actor: Actor): Promise<Flag> {
  return withTransaction(
    pool,
    async (client) => {
      await requireProjectForUse(client, input.project ?? DEFAULT_PROJECT, ['project']);
      return insertFlag(client, input);
    },
    { actor },
  );
}

/**
 * Edits a flag's description, type, tags or owner, and moves it to another project. A
 * move is a change of every state (one event per environment, pushed like
 * any change; sockets that cannot see the new project get a removal). It is
 * refused (409) while the flag uses a segment of another project, depends on
 * a flag of another project, or a live flag of another project depends on
 * it: a token sees one project's flags and segments, so a flag must not need
 * what its project's tokens cannot see.
 */
export async function editFlag(pool: Pool, key: string, change: UpdateFlag, actor: Actor): Promise<Flag> {
  return withTransaction(
    pool,
    async (client) => {
      const flag = await lockFlag(client, key);
      if (!flag) throw new NotFoundError(`flag '${key}' does not exist`);
      if (change.project !== undefined && change.project !== flag.project) {
        await requireProjectForUse(client, change.project, ['project']);
        const ties = await listCrossProjectReferences(client, flag.id, change.project);
        if (ties.length > 0) {
          const described = ties.map((tie) =>
            tie.what === 'segment'
              ? `it uses segment ${tie.name} ('${tie.segmentName}') of project '${tie.project}'`
              : tie.what === 'dependency'
                ? `it depends on '${tie.name}' of project '${tie.project}'`
                : `'${tie.name}' of project '${tie.project}' depends on it`,
          );
          throw new ConflictError(`flag '${key}' cannot move to project '${change.project}': ${described.join('; ')}`, { references: ties });
        }
        await moveFlag(client, flag.id, change.project);
      }
      const { project: _moved, ...ownFields } = change;
      if (Object.values(ownFields).every((value) => value === undefined)) return requireFlag(client, key);
      return updateFlag(client, key, ownFields);
    },
    { actor },
  );
}

/** Archives a flag and cancels its active ramps in the same transaction (they would otherwise run until their next timer). */
export async function archiveFlagAndItsRamps(pool: Pool, flagKey: string, actor: Actor): Promise<Flag> {
  return withTransaction(
    pool,
    async (client) => {
      await cancelRampsOfArchivedFlag(client, flagKey);
      return archiveFlag(client, flagKey);
    },
    { actor },
  );
}

/**
 * A page of the changes of a flag's own fields (description, type, tags,
 * owner), oldest first, after the change `after`; the flag archived or not.
 */
export async function readFlagMetadataChangePage(pool: Pool, key: string, query: { after?: number; limit?: number }): Promise<FlagMetadataChangePage> {
  if ((await projectOfFlag(pool, key)) === undefined) throw new NotFoundError(`flag '${key}' does not exist`);
  const after = query.after ?? 0;
  const limit = query.limit ?? DEFAULT_METADATA_PAGE_SIZE;
  // One more than asked: whether a next page exists, without a second query.
  const rows = await readFlagMetadataChangesOf(pool, key, after, limit + 1);
  const changes = rows.slice(0, limit);
  const cursor = changes.at(-1)?.id ?? after;
  return { changes, nextAfter: rows.length > limit ? cursor : null, cursor };
}
