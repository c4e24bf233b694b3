import type { Pool, Queryable } from '../../db/pool.js';
import { deleteSegment, findSegment, insertSegment, listSegmentUses, listSegments, lockSegment, updateSegment } from './segment-repository.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { CreateSegment, UpdateSegment } from '../../schemas/targeting-input.js';
import type { StoredSegment } from '../../schemas/targeting.js';
import { assertConstraintsFit } from '../flags/size-limits.js';
import { DEFAULT_PROJECT, requireProjectForUse } from '../projects/project-service.js';
import type { Actor } from '../people/principal.js';

/*
 * Segments belong to a project (only its flags may use them, so a token of
 * some projects is sent exactly the segments its flags can use) and to every
 * environment: each change is a change event in every environment
 * (the segment table's trigger), so connected SDKs evaluate every flag using
 * it with the new constraints from that version on. Each change is its own
 * transaction, recorded as made by `actor`.
 */

export { listSegments };

export async function requireSegment(db: Queryable, id: number): Promise<StoredSegment> {
  const segment = await findSegment(db, id);
  if (!segment) throw new NotFoundError(`segment ${id} does not exist`);
  return segment;
}

export async function createSegment(pool: Pool, input: CreateSegment, actor: Actor): Promise<StoredSegment> {
  assertConstraintsFit(input.constraints);
  return withTransaction(
    pool,
    async (client) => {
      await requireProjectForUse(client, input.project ?? DEFAULT_PROJECT, ['project']);
      return insertSegment(client, input);
    },
    { actor },
  );
}

async function requireLockedSegment(client: Queryable, id: number): Promise<StoredSegment> {
  const segment = await lockSegment(client, id);
  if (!segment) throw new NotFoundError(`segment ${id} does not exist`);
  return segment;
}

export async function changeSegment(pool: Pool, id: number, change: UpdateSegment, actor: Actor): Promise<StoredSegment> {
  if (change.constraints) assertConstraintsFit(change.constraints);
  return withTransaction(
    pool,
    async (client) => {
      const before = await requireLockedSegment(client, id);
      return updateSegment(client, id, {
        name: change.name ?? before.name,
        description: change.description ?? before.description,
        constraints: change.constraints ?? before.constraints,
      });
    },
    { actor },
  );
}

/**
 * Deletes a segment no live flag uses (409 naming the flags otherwise). The
 * segment's row lock is taken first: a state referencing it holds a key-share
 * lock on it until commit, so the check below sees every committed use.
 */
export async function removeSegment(pool: Pool, id: number, actor: Actor): Promise<StoredSegment> {
  return withTransaction(pool, (client) => removeUnusedSegment(client, id), { actor });
}

async function removeUnusedSegment(client: Queryable, id: number): Promise<StoredSegment> {
  const segment = await requireLockedSegment(client, id);
  const uses = await listSegmentUses(client, id);
  if (uses.length > 0) {
    const flags = [...new Set(uses.map((use) => use.flag))];
    throw new ConflictError(
      `segment ${id} ('${segment.name}') is used by ${flags.map((flag) => `'${flag}'`).join(', ')}: remove it from their strategies first`,
      { usedBy: uses },
    );
  }
  await deleteSegment(client, id);
  return { ...segment, deleted: true };
}
