import t from 'tap';
import { createPool } from '../../shared/db/pool.js';
import { withTransaction } from '../../shared/db/tx.js';
import { PreconditionFailedError } from '../../shared/errors.js';
import { createTestEnvironment } from '../helpers/environment.js';

const env = await createTestEnvironment(t, 'api-transactions');
// One connection, so "the same connection again" is observable as the same backend pid.
const pool = createPool(env.config.databaseUrl, env.logger, 1);
t.teardown(() => pool.end());
const backendPid = async () => (await pool.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;

t.test('commit: the work is visible after, and the actor reaches the triggers', async (t) => {
  await withTransaction(pool, (client) => client.query(`insert into flag (key) values ('committed')`));
  const { rowCount } = await pool.query(`select 1 from flag where key = 'committed'`);
  t.equal(rowCount, 1);
  const actor = await withTransaction(
    pool,
    async (client) => (await client.query<{ actor: string }>('select flagship_current_actor() as actor')).rows[0]!.actor,
    { actor: 'token:someone' },
  );
  t.equal(actor, 'token:someone');
  const after = (await pool.query<{ actor: string }>('select flagship_current_actor() as actor')).rows[0]!.actor;
  t.equal(after, 'system', 'the actor does not outlive its transaction on a pooled connection');
});

t.test('a refused change rolls back and keeps the healthy connection', async (t) => {
  const pid = await backendPid();
  await t.rejects(
    withTransaction(pool, async (client) => {
      await client.query(`insert into flag (key) values ('rolled_back')`);
      throw new PreconditionFailedError('stale');
    }),
    PreconditionFailedError,
  );
  t.equal((await pool.query(`select 1 from flag where key = 'rolled_back'`)).rowCount, 0, 'nothing written');
  // Regression: every refused change (404/409/412) used to destroy its connection.
  t.equal(await backendPid(), pid, 'the same connection serves the next query');
  t.equal(pool.totalCount, 1);
});

t.test('a connection that dies inside the transaction is discarded, and the pool recovers', async (t) => {
  const pid = await backendPid();
  await t.rejects(
    withTransaction(pool, async (client) => {
      await env.pool.query('select pg_terminate_backend($1)', [pid]);
      await client.query('select 1');
    }),
  );
  const next = await backendPid();
  t.not(next, pid, 'a new connection');
});
