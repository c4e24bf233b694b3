import pg from 'pg';
import t from 'tap';
import { FlagMetadataFollower } from '../../shared/domain/flags/flag-metadata-changes.js';
import { createTestEnvironment } from '../helpers/environment.js';

// Following the flag metadata changes (migration 000031): writers take no
// lock for readers, each change is given once, as soon as it is committed,
// and one whose transaction commits after a later one's is not skipped.

const env = await createTestEnvironment(t, 'flag-metadata-cursor');

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: env.config.databaseUrl });
  await client.connect();
  t.teardown(() => client.end());
  return client;
}

const descriptions = (changes: { flag: string; after: { description?: unknown } }[]) => changes.map((change) => [change.flag, change.after.description]);

t.test('a change committed late is given in its turn, not skipped; opposite orders do not wait on each other', async (t) => {
  await env.pool.query(`insert into flag (key) values ('first'), ('second'), ('third')`);
  // A page of one: the follower pages through what it reads.
  const follower = await FlagMetadataFollower.start(env.pool, 1);
  const early = await connect();
  const late = await connect();

  // `early` writes first (the older transaction) but commits last.
  await early.query('begin');
  await early.query(`update flag set description = 'early' where key = 'first'`);
  await late.query('begin');
  // No global lock: this does not wait for `early`.
  await late.query(`update flag set description = 'late' where key = 'second'`);
  await late.query('commit');

  t.same(descriptions(await follower.next(env.pool)), [['second', 'late']], 'a committed change is given while an older writer is still open');
  t.same(await follower.next(env.pool), [], 'and not again');

  await early.query('commit');
  await env.pool.query(`update flag set description = 'after' where key = 'third'`);
  t.same(descriptions(await follower.next(env.pool)), [['first', 'early'], ['third', 'after']], 'the late commit is not skipped; nothing is given twice');
  t.same(await follower.next(env.pool), [], 'each change is given once');
});
