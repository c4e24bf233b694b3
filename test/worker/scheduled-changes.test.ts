import pg from 'pg';
import t, { type Test } from 'tap';
import { startScheduleWorker } from '../../services/worker/schedules/schedule-worker.js';
import { applyDueChangeRequest } from '../../shared/domain/change-requests/change-request-service.js';
import { createPool } from '../../shared/db/pool.js';
import { createLogger } from '../../shared/logger.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { deleteRedisKeys } from '../helpers/redis.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { spawnWorkerProcess, waitFor } from '../helpers/worker.js';

/*
 * Scheduled changes are held by PostgreSQL and applied by the worker at their
 * time, once, whole: with the worker killed, Redis flushed, two workers racing
 * and PostgreSQL cut in the middle of the apply. Each request changes several
 * flags, so "once and whole" is checked as: its events, one per flag, all at
 * one version, and nothing else of it anywhere.
 */
const LATE_LIMIT_MS = 1000;

const env = await createTestEnvironment(t, 'scheduled-changes');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const reviewer = (await request('POST', '/v1/tokens', { token: admin, body: { name: 'reviewer', kind: 'admin' } })).body.secret as string;
const silent = createLogger('silent');

async function createFlags(prefix: string, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, index) => `${prefix}_${index}`);
  for (const key of keys) {
    const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: false }, dev: { enabled: false } } } });
    if (created.status !== 201) throw new Error(created.text);
  }
  return keys;
}

/** A schedule in dev (unprotected): the flags switched on at `at`. */
async function schedule(keys: string[], at: Date): Promise<string> {
  const created = await request('POST', '/v1/schedules', {
    token: admin,
    body: { environment: 'dev', at: at.toISOString(), changes: keys.map((flag) => ({ flag, set: { enabled: true } })) },
  });
  if (created.status !== 201) throw new Error(created.text);
  return created.body.id as string;
}

interface Outcome {
  state: string;
  lateMs: number;
  /** Versions its events took, each once. */
  versions: number[];
  events: number;
}

async function outcomeOf(id: string): Promise<Outcome> {
  const { rows } = await env.pool.query<Outcome>(
    `select r.state,
            extract(epoch from (r.applied_at - r.scheduled_at)) * 1000 as "lateMs",
            coalesce((select array_agg(distinct e.version::int) from change_event e where e.change_request_id = r.id), '{}') as versions,
            (select count(*)::int from change_event e where e.change_request_id = r.id) as events
       from change_request r where r.id = $1`,
    [id],
  );
  return { ...rows[0]!, lateMs: Number(rows[0]!.lateMs) };
}

async function waitApplied(id: string, timeoutMs = 30_000): Promise<Outcome> {
  return waitFor(`change request ${id} to be applied`, async () => {
    const outcome = await outcomeOf(id);
    return outcome.state === 'applied' ? outcome : undefined;
  }, timeoutMs);
}

function assertOnceAndWhole(t: Test, outcome: Outcome, changes: number): void {
  t.equal(outcome.events, changes, 'one event per change: applied once');
  t.equal(outcome.versions.length, 1, 'all of them at one version: applied whole');
}

async function enabledCount(keys: string[], environment: string): Promise<number> {
  const { rows } = await env.pool.query<{ n: number }>(
    `select count(*)::int as n from flag_state s join flag f on f.id = s.flag_id where f.key = any($1) and s.environment_key = $2 and s.enabled`,
    [keys, environment],
  );
  return rows[0]!.n;
}

t.test('a worker killed between approval and the time: another applies it, once, on time; a restarted one catches up', async (t) => {
  const keys = await createFlags('killed', 4);
  await request('PATCH', '/v1/environments/prod', { token: admin, body: { protected: true } });
  // The doomed one is a real process (killed with SIGKILL); the one that goes on runs in this process.
  const doomed = await spawnWorkerProcess(t, env, 'services/worker/main.ts', {}, 'ramp worker started');
  const survivorPool = createPool(env.config.databaseUrl, silent);
  let survivor = startScheduleWorker({ pool: survivorPool, logger: silent });
  t.teardown(async () => {
    await survivor.close();
    await survivorPool.end();
  });
  const at = new Date(Date.now() + 3000);
  const opened = await request('POST', '/v1/change-requests', {
    token: admin,
    body: { environment: 'prod', title: 'at nine', scheduledAt: at.toISOString(), changes: keys.map((flag) => ({ flag, set: { enabled: true } })) },
  });
  t.equal(opened.status, 201, opened.text);
  const approved = await request('POST', `/v1/change-requests/${opened.body.id}/approve`, { token: reviewer });
  t.equal(approved.body.state, 'scheduled', 'approved before its time: scheduled');
  await doomed.kill('SIGKILL');
  const outcome = await waitApplied(opened.body.id, 60_000);
  assertOnceAndWhole(t, outcome, keys.length);
  t.ok(outcome.lateMs >= 0 && outcome.lateMs <= LATE_LIMIT_MS, `applied ${outcome.lateMs.toFixed(0)} ms after its time (at most ${LATE_LIMIT_MS})`);
  t.equal(await enabledCount(keys, 'prod'), keys.length);
  const { rows } = await env.pool.query<{ actor: unknown }>(`select distinct actor from change_event where change_request_id = $1`, [opened.body.id]);
  t.match(rows, [{ actor: { type: 'change-request', id: opened.body.id, name: 'at nine', appliedBy: { type: 'system', name: 'scheduler' } } }], 'recorded as the change request, applied by the scheduler');

  // Every worker killed before the time: the first one to start afterwards applies it, once.
  const later = await createFlags('restarted', 2);
  const id = await schedule(later, new Date(Date.now() + 1000));
  await survivor.close();
  await waitFor('the time to pass', async () => (await env.pool.query(`select 1 from change_request where id = $1 and scheduled_at < now()`, [id])).rowCount === 1);
  t.equal((await outcomeOf(id)).state, 'scheduled', 'no worker: still scheduled, nothing lost');
  survivor = startScheduleWorker({ pool: survivorPool, logger: silent });
  assertOnceAndWhole(t, await waitApplied(id, 60_000), later.length);
});

t.test('Redis flushed between scheduling and the time: applied once, on time (PostgreSQL holds the schedule)', async (t) => {
  const keys = await createFlags('flushed', 3);
  const pool = createPool(env.config.databaseUrl, silent);
  const worker = startScheduleWorker({ pool, logger: silent });
  t.teardown(async () => {
    await worker.close();
    await pool.end();
  });
  const id = await schedule(keys, new Date(Date.now() + 2500));
  await deleteRedisKeys(env.config.redisPrefix);
  const outcome = await waitApplied(id);
  assertOnceAndWhole(t, outcome, keys.length);
  t.ok(outcome.lateMs >= 0 && outcome.lateMs <= LATE_LIMIT_MS, `applied ${outcome.lateMs.toFixed(0)} ms after its time`);
  const { rows } = await env.pool.query<{ actor: unknown }>(`select distinct actor from change_event where change_request_id = $1`, [id]);
  t.same(rows, [{ actor: { type: 'schedule', id, name: 'Scheduled change' } }], 'recorded as the schedule');
});

t.test('two workers racing: each schedule applied exactly once', async (t) => {
  const pools = [createPool(env.config.databaseUrl, silent), createPool(env.config.databaseUrl, silent)];
  const workers = pools.map((pool) => startScheduleWorker({ pool, logger: silent, pollMs: 20 }));
  t.teardown(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all(pools.map((pool) => pool.end()));
  });
  const devVersion = async () => (await env.pool.query<{ version: number }>(`select version::int from environment where key = 'dev'`)).rows[0]!.version;
  const before = await devVersion();
  const flagSets: string[][] = [];
  for (let index = 0; index < 6; index += 1) flagSets.push(await createFlags(`race${index}`, 2));
  // Two due at each of three instants, 400 ms apart: both workers race for every pair. (A burst due at
  // one instant in one environment is applied one version after another, each apply after the last.)
  const first = Date.now() + 3000;
  const ids: string[] = [];
  for (const [index, keys] of flagSets.entries()) ids.push(await schedule(keys, new Date(first + Math.floor(index / 2) * 400)));
  const scheduled = await devVersion();
  for (const id of ids) {
    const outcome = await waitApplied(id);
    assertOnceAndWhole(t, outcome, 2);
    t.ok(outcome.lateMs <= LATE_LIMIT_MS, `applied ${outcome.lateMs.toFixed(0)} ms after its time`);
  }
  // Whatever either worker had under way is finished after one more round of each.
  await Promise.all(workers.map((worker) => worker.runNow()));
  const { rows: records } = await env.pool.query<{ id: string; state: string; applies: number; conflicts: number }>(
    `select r.id, r.state,
            (select count(*)::int from change_request_event e where e.change_request_id = r.id and e.type = 'change-request.applied') as applies,
            (select count(*)::int from change_request_event e where e.change_request_id = r.id and e.type = 'change-request.conflicted') as conflicts
       from change_request r where r.id = any($1::uuid[])`,
    [ids],
  );
  t.same(records.map(({ state, applies, conflicts }) => ({ state, applies, conflicts })), ids.map(() => ({ state: 'applied', applies: 1, conflicts: 0 })), 'each applied by one worker only, never tried again');
  const after = await devVersion();
  t.equal(after - scheduled, ids.length, 'one version per schedule, no more');
  t.ok(scheduled > before);

  // The same due request taken by both at the same instant: one applies it, the other finds it done.
  await Promise.all(workers.map((worker) => worker.close()));
  const id = await schedule(await createFlags('same_instant', 2), new Date(Date.now() + 500));
  await waitFor('it to be due', async () => (await env.pool.query(`select 1 from change_request where id = $1 and scheduled_at < now()`, [id])).rowCount === 1);
  const outcomes = await Promise.all(pools.map((pool) => applyDueChangeRequest(pool, id)));
  t.same(outcomes.map((outcome) => outcome.kind).sort(), ['applied', 'skipped'], 'exactly one of two simultaneous applies');
  assertOnceAndWhole(t, await outcomeOf(id), 2);
});

t.test('PostgreSQL cut in the middle of an apply: nothing half-written, then applied once', async (t) => {
  const keys = await createFlags('cut', 3);
  const proxy = await new TcpProxy('127.0.0.1', 5432).start();
  t.teardown(() => proxy.close());
  const pool = createPool(viaProxy(env.config.databaseUrl, proxy.port), silent);
  pool.on('error', () => undefined);
  const worker = startScheduleWorker({ pool, logger: silent, pollMs: 50 });
  t.teardown(async () => {
    await worker.close();
    await pool.end().catch(() => undefined);
  });
  const id = await schedule(keys, new Date(Date.now() + 3000));
  // Hold the last flag's state: the apply writes the first two, then waits on it.
  const blocker = new pg.Client({ connectionString: env.config.databaseUrl });
  await blocker.connect();
  t.teardown(() => blocker.end());
  const { rows: [held] } = await blocker.query<{ pid: number }>('select pg_backend_pid() as pid');
  await blocker.query('begin');
  await blocker.query(`select 1 from flag_state s join flag f on f.id = s.flag_id where f.key = $1 and s.environment_key = 'dev' for update of s`, [keys[2]]);
  // The apply takes its locks before its first write (docs/change-requests.md, lock order): it waits on the held one.
  const applying = await waitFor('the apply to be waiting on the held state', async () => {
    const { rows } = await env.pool.query<{ pid: number }>(
      `select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))`,
      [held!.pid],
    );
    return rows[0]?.pid;
  });
  t.equal(await enabledCount(keys, 'dev'), 0, 'nothing visible while it is under way');
  proxy.reset();
  await blocker.query('rollback');
  // The cut transaction rolled back: nothing of it, and the request still scheduled.
  await waitFor('the cut apply to be gone', async () => {
    const { rows } = await env.pool.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where pid = $1 and state <> 'idle'`, [applying]);
    return rows[0]!.n === 0;
  });
  t.equal((await outcomeOf(id)).events, 0, 'no event of the cut apply');
  proxy.restore();
  const { rows: [back] } = await env.pool.query<{ at: string }>(`select clock_timestamp()::text as at`);
  const outcome = await waitApplied(id);
  assertOnceAndWhole(t, outcome, keys.length);
  t.equal(await enabledCount(keys, 'dev'), keys.length, 'all of it, once PostgreSQL is back');
  // Late by the cut itself (the test held it), and then by at most a second once PostgreSQL is back.
  const { rows: [applied] } = await env.pool.query<{ ms: number }>(
    `select (extract(epoch from (applied_at - $2::timestamptz)) * 1000)::float8 as ms from change_request where id = $1`,
    [id, back!.at],
  );
  const afterBackMs = Math.round(applied!.ms);
  t.ok(afterBackMs <= LATE_LIMIT_MS, `applied ${afterBackMs} ms after PostgreSQL was back (at most ${LATE_LIMIT_MS})`);
});

t.test('a schedule cancelled before its time never applies', async (t) => {
  const keys = await createFlags('cancelled', 2);
  const id = await schedule(keys, new Date(Date.now() + 60_000));
  const cancelled = await request('DELETE', `/v1/schedules/${id}`, { token: admin });
  t.equal(cancelled.body.state, 'cancelled');
  const listed = await request('GET', '/v1/schedules?environment=dev&flag=cancelled_0', { token: admin });
  t.match(listed.body.schedules, [{ id, state: 'cancelled' }]);
  const past = await request('POST', '/v1/schedules', { token: admin, body: { environment: 'dev', at: new Date(Date.now() - 1000).toISOString(), changes: [{ flag: keys[0], set: { enabled: true } }] } });
  t.equal(past.status, 400);
  t.match(JSON.stringify(past.body.error.details), /"at"/);
});
