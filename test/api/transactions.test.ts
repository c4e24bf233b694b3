import pg from 'pg';
import t from 'tap';
import { isDependencyFailure } from '../../shared/dependency-failures.js';
import { createPool } from '../../shared/db/pool.js';
import { withTransaction } from '../../shared/db/tx.js';
import { DependencyUnavailableError, PreconditionFailedError } from '../../shared/errors.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';

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
    { actor: { type: 'token', id: 'token-id', name: 'someone' } },
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

/** A promise and its resolve, to hand control between two transactions. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

t.test('a deadlock victim is run again and commits; so does the transaction it collided with', async (t) => {
  await env.pool.query(`insert into flag (key) values ('deadlock_a'), ('deadlock_b')`);
  const rival = new pg.Client({ connectionString: env.config.databaseUrl });
  await rival.connect();
  t.teardown(() => rival.end());
  const ourFirstLock = signal();
  const rivalFirstLock = signal();

  let attempts = 0;
  const ours = withTransaction(env.pool, async (client) => {
    attempts += 1;
    // This transaction waits first, so its (shorter) deadlock check fires first: it is the victim.
    await client.query(`set local deadlock_timeout = '100ms'`);
    await client.query(`update flag set description = 'ours' where key = 'deadlock_a'`);
    if (attempts === 1) {
      ourFirstLock.resolve();
      await rivalFirstLock.promise;
    }
    await client.query(`update flag set description = 'ours' where key = 'deadlock_b'`);
    return attempts;
  });
  await ourFirstLock.promise;
  await rival.query('begin');
  await rival.query(`update flag set description = 'rival' where key = 'deadlock_b'`);
  rivalFirstLock.resolve();
  // Blocks on our lock of deadlock_a until PostgreSQL aborts our first attempt.
  await rival.query(`update flag set description = 'rival' where key = 'deadlock_a'`);
  await rival.query('commit');

  t.equal(await ours, 2, 'the work ran twice: the deadlock, then the retry');
  const { rows } = await env.pool.query<{ description: string }>(
    `select description from flag where key in ('deadlock_a', 'deadlock_b') order by key`,
  );
  t.same(rows.map((row) => row.description), ['ours', 'ours'], 'the retry committed after the rival');
});

t.test('serialization failures are retried a bounded number of times, then a 503', async (t) => {
  let attempts = 0;
  const failing = withTransaction(env.pool, async (client) => {
    attempts += 1;
    await client.query(`insert into flag (key) values ('never_committed')`);
    await client.query(`do $$ begin raise exception 'could not serialize' using errcode = 'serialization_failure'; end $$`);
  });
  await t.rejects(failing, DependencyUnavailableError);
  const error = (await failing.catch((caught: unknown) => caught)) as DependencyUnavailableError;
  t.equal(error.status, 503);
  t.equal((error.cause as { code?: string }).code, '40001', 'the last failure is kept as the cause');
  t.equal(attempts, 3, 'three attempts by default');
  t.equal((await env.pool.query(`select 1 from flag where key = 'never_committed'`)).rowCount, 0, 'nothing written');

  attempts = 0;
  await t.rejects(
    withTransaction(env.pool, async (client) => {
      attempts += 1;
      await client.query(`do $$ begin raise exception 'deadlock' using errcode = 'deadlock_detected'; end $$`);
    }, { attempts: 5 }),
    DependencyUnavailableError,
  );
  t.equal(attempts, 5);

  attempts = 0;
  await t.rejects(
    withTransaction(env.pool, async (client) => {
      attempts += 1;
      await client.query(`do $$ begin raise exception 'other' using errcode = 'unique_violation'; end $$`);
    }),
    { code: '23505' },
  );
  t.equal(attempts, 1, 'any other error is not retried');
});

t.test('a statement past its timeout is cancelled by PostgreSQL: a dependency failure, and the connection is kept', async (t) => {
  const quick = createPool(env.config.databaseUrl, env.logger, 1, { dbQueryTimeoutMs: 200 });
  t.teardown(() => quick.end());
  const pid = (await quick.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const slow = withTransaction(quick, (client) => client.query('select pg_sleep(30)'));
  await t.rejects(slow, { code: '57014' });
  t.ok(isDependencyFailure(await slow.catch((error: unknown) => error)), 'answered as a 503');
  const after = (await quick.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  t.equal(after, pid, 'the server answered, so the connection is healthy and reused');
});

t.test('a PostgreSQL that stops answering mid-transaction: the client gives up and discards the connection, with no rollback wait', async (t) => {
  const url = new URL(env.config.databaseUrl);
  const proxy = await new TcpProxy(url.hostname, Number(url.port || 5432)).start();
  const partitioned = createPool(viaProxy(env.config.databaseUrl, proxy.port), env.logger, 1, { dbQueryTimeoutMs: 200, dbConnectTimeoutMs: 300 });
  t.teardown(async () => {
    await partitioned.end().catch(() => undefined);
    await proxy.close();
  });
  await partitioned.query('select 1');
  let failure: unknown;
  await withTransaction(partitioned, async (client) => {
    await client.query(`insert into flag (key) values ('partitioned')`);
    proxy.blackHole();
    await client.query('select 1');
  }).catch((error: unknown) => {
    failure = error;
  });
  t.match(failure, { message: /Query read timeout/ }, "the client's own timeout ended the wait");
  t.ok(isDependencyFailure(failure));
  t.equal(partitioned.totalCount, 0, 'the connection in doubt was thrown away, not returned to the pool');
  proxy.restore();
  t.equal((await env.pool.query(`select 1 from flag where key = 'partitioned'`)).rowCount, 0, 'PostgreSQL rolled the transaction back');
  t.equal((await partitioned.query('select 1 as one')).rows[0].one, 1, 'a new connection works after the partition');
});
