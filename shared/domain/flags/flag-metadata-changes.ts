import type { Queryable } from '../../db/pool.js';
import type { FlagMetadataChange } from '../../schemas/flags.js';

/*
 * Changes of flags' own fields (description, type, tags, owner), recorded by
 * the flag table's trigger (migration 000031) in the writing transaction,
 * each with that transaction's id. Writers take no lock for readers' sake, so
 * ids need not commit in order; a follower reads in (transaction id, id)
 * order and moves its cursor only past rows of transactions older than every
 * one still running (those rows are final: committed, or never will be).
 * Rows committed beyond that point are handed out at once and remembered, so
 * a change is given once, as soon as it is visible, and none that commits
 * late is skipped.
 */

interface Cursor {
  tx: string;
  id: number;
}

type Row = FlagMetadataChange & { tx: string; final: boolean };

async function readAfter(db: Queryable, cursor: Cursor, limit: number): Promise<Row[]> {
  const { rows } = await db.query<FlagMetadataChange & { id: string; tx: string; final: boolean }>(
    `select id, tx::text as tx, tx < pg_snapshot_xmin(pg_current_snapshot()) as final,
            flag_key as flag, project_key as project, actor, before, after, created_at as "createdAt"
       from flag_metadata_change
      where (tx, id) > ($1::xid8, $2::bigint)
      order by tx, id
      limit $3`,
    [cursor.tx, cursor.id, limit],
  );
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** Follows the flag metadata changes made from its start on, each given once. */
export class FlagMetadataFollower {
  /** Before every row not yet final; rows up to it were all given. */
  private cursor: Cursor;
  /** Rows beyond the cursor already given. */
  private given = new Set<number>();

  private constructor(start: Cursor, private readonly pageSize: number) {
    this.cursor = start;
  }

  /** A follower of what is not yet final now (everything written from now on). */
  static async start(db: Queryable, pageSize = 500): Promise<FlagMetadataFollower> {
    const { rows } = await db.query<{ xmin: string }>(`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`);
    return new FlagMetadataFollower({ tx: rows[0]!.xmin, id: 0 }, pageSize);
  }

  /** The changes visible now and not given before, oldest transaction first. */
  async next(db: Queryable): Promise<FlagMetadataChange[]> {
    const fresh: FlagMetadataChange[] = [];
    const stillOpen = new Set<number>();
    let cursor = this.cursor;
    let scan = this.cursor;
    for (;;) {
      const rows = await readAfter(db, scan, this.pageSize);
      for (const { tx, final, ...change } of rows) {
        if (!this.given.has(change.id)) fresh.push(change);
        // Final rows come first in (tx, id) order: the cursor moves through them only.
        if (final) cursor = { tx, id: change.id };
        else stillOpen.add(change.id);
        scan = { tx, id: change.id };
      }
      if (rows.length < this.pageSize) break;
    }
    this.cursor = cursor;
    this.given = stillOpen;
    return fresh;
  }
}

/**
 * One flag's changes after the change `after`, in id order, at most `limit`.
 * Within one flag, ids follow commit order, so `after` the last id read never
 * skips a change: the trigger writes the row while its transaction holds the
 * flag row's update lock, which it keeps until it commits; any other change
 * of the same flag waits for that lock and takes its id only after.
 */
export async function readFlagMetadataChangesOf(db: Queryable, flagKey: string, after: number, limit: number): Promise<FlagMetadataChange[]> {
  const { rows } = await db.query<FlagMetadataChange>(
    `select id, flag_key as flag, project_key as project, actor, before, after, created_at as "createdAt"
       from flag_metadata_change
      where flag_key = $1 and id > $2
      order by id
      limit $3`,
    [flagKey, after, limit],
  );
  return rows;
}
