import pg from 'pg';
import t from 'tap';
import { applyChanges, CopiedStateMovedError } from '../../shared/domain/change-requests/apply-changes.js';
import { currentVersions } from '../../shared/domain/change-requests/change-request-repository.js';
import { insertFlag } from '../../shared/domain/flags/flag-repository.js';
import { changeSegment, createSegment } from '../../shared/domain/segments/segment-service.js';
import { withTransaction } from '../../shared/db/tx.js';
import type { Actor } from '../../shared/domain/people/principal.js';
import { createTestEnvironment } from '../helpers/environment.js';

// Lock order (docs/change-requests.md, "Lock order"): applying a change request
// that changes a flag and a segment, and a segment PATCH, at the same time, many
// times: PostgreSQL must never have to break a deadlock (40P01) between them.
// withTransaction retries a deadlock, so the writes themselves succeed either
// way: the database's own count of deadlocks (pg_stat_database) tells.
const env = await createTestEnvironment(t, 'lock-order');
const ACTOR: Actor = { type: 'token', id: 'lock-order', name: 'lock-order' };
const ROUNDS = 40;
const APPLICATION = 'flagship-lock-order-test';

async function deadlocksSoFar(): Promise<number> {
  const { rows } = await env.pool.query<{ deadlocks: string }>(`select deadlocks from pg_stat_database where datname = current_database()`);
  return Number(rows[0]!.deadlocks);
}

/** Waits (bounded) until the test's own backends have ended, so that they have reported their deadlocks. */
async function ownBackendsGone(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await env.pool.query<{ open: number }>(`select count(*)::int as open from pg_stat_activity where application_name = $1`, [APPLICATION]);
    if (rows[0]!.open === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

t.test('a change request applying a flag and a segment never deadlocks with segment PATCHes', async (t) => {
  const { rows: environments } = await env.pool.query<{ key: string }>(`select key from environment order by key`);
  t.ok(environments.length >= 2, 'a segment change takes every environment: there must be more than one');
  const target = environments[environments.length - 1]!.key;
  await withTransaction(env.pool, (client) => insertFlag(client, { key: 'lock_order', environments: { [target]: { rollout: 0 } } }));
  const shared = await createSegment(env.pool, { name: 'shared', description: '', constraints: [] }, ACTOR);
  const other = await createSegment(env.pool, { name: 'other', description: '', constraints: [] }, ACTOR);
  const before = await deadlocksSoFar();

  // Its own connections, so that their backends (which report their deadlocks when they end) are known.
  const pool = new pg.Pool({ connectionString: env.config.databaseUrl, max: 6, application_name: APPLICATION });
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      await Promise.all([
        withTransaction(pool, (client) =>
          applyChanges(client, target, null, [
            { flag: 'lock_order', set: { patch: { rollout: round % 100 } } },
            { segment: shared.id, set: { description: `request ${round}` } },
          ]),
        ),
        changeSegment(pool, shared.id, { name: `shared ${round}` }, ACTOR),
        changeSegment(pool, other.id, { name: `other ${round}` }, ACTOR),
      ]);
    }
  } finally {
    await pool.end();
  }
  // A backend sends its statistics as it exits: wait (bounded) until ours have.
  await ownBackendsGone();
  t.equal(await deadlocksSoFar() - before, 0, 'PostgreSQL broke no deadlock');
  const { rows } = await env.pool.query<{ name: string; description: string }>(`select name, description from segment where id = $1`, [shared.id]);
  t.same(rows[0], { name: `shared ${ROUNDS - 1}`, description: `request ${ROUNDS - 1}` }, 'every write landed');
});

t.test('promotes in opposite directions (each locking the states it copies FOR SHARE) never deadlock', async (t) => {
  const { rows: environments } = await env.pool.query<{ key: string }>(`select key from environment order by key`);
  const [a, b] = [environments[0]!.key, environments[environments.length - 1]!.key];
  const flags = ['lo_1', 'lo_2', 'lo_3'];
  for (const key of flags) await withTransaction(env.pool, (client) => insertFlag(client, { key, environments: { [a]: { rollout: 0 }, [b]: { rollout: 0 } } }));
  const before = await deadlocksSoFar();
  const pool = new pg.Pool({ connectionString: env.config.databaseUrl, max: 4, application_name: APPLICATION });
  /** A promote from `from` to `to` as the promote service runs it: the states copied at the versions read just before. */
  const promote = async (from: string, to: string, round: number) => {
    const read = await currentVersions(pool, from, flags.map((flag) => `flag:${flag}`));
    const versions = Object.fromEntries(flags.map((flag) => [flag, read[`flag:${flag}`]!]));
    return withTransaction(
      pool,
      (client) => applyChanges(client, to, null, flags.map((flag) => ({ flag, set: { patch: { rollout: round % 100 } } })), undefined, { environment: from, versions }),
      { actor: ACTOR },
    );
  };
  let moved = 0;
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      const outcomes = await Promise.allSettled([promote(a, b, round), promote(b, a, round)]);
      for (const outcome of outcomes) {
        // The other promote wrote a state this one copies between its read and its lock: refused, as it should be.
        if (outcome.status === 'rejected' && outcome.reason instanceof CopiedStateMovedError) moved += 1;
        else if (outcome.status === 'rejected') throw outcome.reason;
      }
    }
  } finally {
    await pool.end();
  }
  await ownBackendsGone();
  t.equal(await deadlocksSoFar() - before, 0, `PostgreSQL broke no deadlock (${moved} promotes refused for a moved source)`);
});
