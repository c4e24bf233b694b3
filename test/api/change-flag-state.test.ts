import pg from 'pg';
import t from 'tap';
import { insertFlag } from '../../shared/domain/flags/flag-repository.js';
import { createPool } from '../../shared/db/pool.js';
import { insertRamp } from '../../shared/domain/ramps/ramp-repository.js';
import { withOneStatement, withTransaction } from '../../shared/db/tx.js';
import { isConnectionInDoubt } from '../../shared/dependency-failures.js';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../shared/errors.js';
import type { StateChange } from '../../shared/schemas/flags.js';
import { changeFlagState, type StateChangeOptions } from '../../shared/domain/flags/flag-state-service.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import type { Actor } from '../../shared/domain/people/principal.js';
import { rampActor } from '../../shared/domain/ramps/ramp-actor.js';

// The write path of PATCH and ramp steps: one call of flagship_change_flag_state
// (migration 000012), its own transaction, mapped to answers by changeFlagState.
const env = await createTestEnvironment(t, 'change-flag-state');
// One connection, so "the same connection again" is observable.
const pool = createPool(env.config.databaseUrl, env.logger, 1);
t.teardown(() => pool.end());

const ACTOR: Actor = { type: 'token', id: 'token-id', name: 'someone' };
const ACTOR_LABEL = 'token:someone';
const change = (key: string, body: StateChange, options: StateChangeOptions = {}) =>
  withOneStatement(pool, (db) => changeFlagState(db, key, 'prod', body, { actor: ACTOR, ...options }));

async function createFlag(key: string, rollout = 10): Promise<void> {
  await withTransaction(env.pool, (client) => insertFlag(client, { key, environments: { prod: { rollout } } }));
}

/** What a refused change must leave as it was: the environment's version and its log. */
async function writtenSoFar(): Promise<{ version: number; events: number }> {
  const { rows } = await env.pool.query<{ version: number; events: number }>(
    `select (select version from environment where key = 'prod') as version,
            (select count(*)::int from change_event where environment_key = 'prod') as events`,
  );
  return rows[0]!;
}

t.test('each refusal names its cause and writes nothing', async (t) => {
  await createFlag('refused');
  await createFlag('stateless');
  await env.pool.query(`delete from flag_state where environment_key = 'prod' and flag_id = (select id from flag where key = 'stateless')`);
  await createFlag('archived');
  await withTransaction(env.pool, (client) => client.query(`update flag set archived_at = now() where key = 'archived'`));
  await createFlag('targeted');
  await withTransaction(env.pool, (client) =>
    changeFlagState(client, 'targeted', 'prod', { config: {
      enabled: true,
      strategies: [
        { id: 'beta', name: 'userWithId', parameters: { userIds: 'ann' } },
        { id: 'everyone', name: 'flexibleRollout', parameters: { rollout: '5', stickiness: 'default', groupId: 'targeted' } },
      ],
      variants: [],
      dependencies: [],
    } }),
  );
  const before = await writtenSoFar();

  await t.rejects(change('nope', { enabled: true }), new NotFoundError("flag 'nope' does not exist"));
  await t.rejects(
    withOneStatement(pool, (db) => changeFlagState(db, 'refused', 'mars', { enabled: true }, { actor: ACTOR })),
    new NotFoundError("environment 'mars' does not exist"),
  );
  await t.rejects(change('stateless', { enabled: true }), new NotFoundError("flag 'stateless' has no state in 'prod'"));
  await t.rejects(change('archived', { enabled: true }), ConflictError);
  await t.rejects(change('archived', { enabled: true }), { status: 409, message: /'archived' is archived/ });
  const refusedVersion = (await env.pool.query<{ version: number }>(
    `select s.version from flag_state s join flag f on f.id = s.flag_id where f.key = 'refused' and s.environment_key = 'prod'`,
  )).rows[0]!.version;
  const stale = await change('refused', { rollout: 50 }, { expectedVersion: refusedVersion - 1 }).catch((error: unknown) => error);
  t.type(stale, PreconditionFailedError);
  t.match(stale, { status: 412, details: { currentVersion: refusedVersion } });
  const unnamed = await change('targeted', { rollout: 50 }).catch((error: unknown) => error);
  t.type(unnamed, ValidationError, 'not the simple case and no strategyId');
  t.match(unnamed, { status: 400, details: [{ path: ['strategyId'] }] });
  await t.rejects(change('targeted', { rollout: 50, strategyId: 'nope' }), { status: 400, message: /no strategy with id 'nope'/ });
  await t.rejects(change('targeted', { rollout: 50, strategyId: 'beta' }), { status: 400, message: /userWithId strategy/ });

  t.same(await writtenSoFar(), before, 'no version taken, no event written');
});

t.test('asking for what is already there writes nothing', async (t) => {
  await createFlag('same', 30);
  const before = await writtenSoFar();
  const result = await change('same', { enabled: false, rollout: 30 });
  t.equal(result.changed, false);
  t.match(result.state, { key: 'same', enabled: false, rollout: 30 });
  t.same(await writtenSoFar(), before);
});

t.test('a change is one version and one event naming the actor, who does not outlive the statement', async (t) => {
  await createFlag('moved', 10);
  const before = await writtenSoFar();
  const result = await change('moved', { enabled: true, rollout: 60 });
  t.equal(result.changed, true);
  t.match(result.state, { enabled: true, rollout: 60, version: before.version + 1, updatedBy: ACTOR_LABEL });
  t.same(await writtenSoFar(), { version: before.version + 1, events: before.events + 1 });
  const { rows } = await env.pool.query(
    `select actor, before->>'rollout' as "from", after->>'rollout' as "to" from change_event where environment_key = 'prod' and version = $1`,
    [result.state.version],
  );
  t.same(rows, [{ actor: ACTOR, from: '10', to: '60' }]);
  const after = (await pool.query<{ actor: string }>('select flagship_current_actor() as actor')).rows[0]!.actor;
  t.equal(after, 'system', 'the same pooled connection no longer carries the actor');

  const unnamed = await withOneStatement(pool, (db) => changeFlagState(db, 'moved', 'prod', { enabled: false }));
  t.equal(unnamed.state.updatedBy, 'system', 'no actor given: the system');
});

async function scheduleRamp(key: string, strategyId?: string): Promise<string> {
  const ramp = await withTransaction(env.pool, (client) =>
    insertRamp(client, {
      flagKey: key,
      environment: 'prod',
      strategyId,
      steps: [{ rollout: 90, plannedAt: new Date(Date.now() + 3_600_000).toISOString() }],
      createdBy: { type: 'token', id: 'planner-id', name: 'planner' },
    }),
  );
  return ramp.id;
}

async function rampOf(id: string) {
  const { rows } = await env.pool.query<{ status: string; stopReason: string | null; stoppedBy: string | null }>(
    `select status, stop_reason as "stopReason", stopped_by as "stoppedBy" from rollout_plan where id = $1`,
    [id],
  );
  return rows[0]!;
}

t.test('a manual change of the rollout a ramp drives pauses it, saying why; other changes leave it running', async (t) => {
  await createFlag('two-rollouts');
  await withTransaction(env.pool, (client) =>
    changeFlagState(client, 'two-rollouts', 'prod', { config: {
      enabled: true,
      strategies: [
        { id: 'staff', name: 'flexibleRollout', parameters: { rollout: '20', stickiness: 'default', groupId: 'staff' } },
        { id: 'everyone', name: 'flexibleRollout', parameters: { rollout: '5', stickiness: 'default', groupId: 'two-rollouts' } },
      ],
      variants: [],
      dependencies: [],
    } }),
  );
  const ramp = await scheduleRamp('two-rollouts', 'everyone');

  await change('two-rollouts', { rollout: 30, strategyId: 'staff' });
  t.equal((await rampOf(ramp)).status, 'scheduled', 'moving another strategy leaves the ramp alone');
  await change('two-rollouts', { enabled: false });
  t.equal((await rampOf(ramp)).status, 'scheduled', 'switching the flag off leaves the ramp alone');
  await change('two-rollouts', { rollout: 5, strategyId: 'everyone' });
  t.equal((await rampOf(ramp)).status, 'scheduled', 'a rollout already there is no change');
  await t.rejects(change('two-rollouts', { rollout: 50, strategyId: 'everyone' }, { expectedVersion: 1 }), PreconditionFailedError);
  t.equal((await rampOf(ramp)).status, 'scheduled', 'a refused change pauses nothing');

  const moved = await change('two-rollouts', { rollout: 50, strategyId: 'everyone' });
  t.same(await rampOf(ramp), {
    status: 'paused',
    stopReason: `manual change of the rollout from 5% to 50% (version ${moved.state.version})`,
    stoppedBy: ACTOR_LABEL,
  });
  t.same(moved.state.strategies.map((strategy) => strategy.parameters?.rollout), ['30', '50'], 'only the named strategy moved');
});

t.test("a ramp's own step does not pause it; the simple case's manual change does", async (t) => {
  await createFlag('simple', 0);
  const ramp = await scheduleRamp('simple');
  const step = await withTransaction(
    env.pool,
    (client) => changeFlagState(client, 'simple', 'prod', { rollout: 10 }, { rampPlanId: ramp }),
    { actor: rampActor(ramp) },
  );
  t.match(step.state, { rollout: 10, updatedBy: `rollout:${ramp}` }, 'inside a transaction, its actor');
  t.equal((await rampOf(ramp)).status, 'scheduled');
  const manual = await change('simple', { rollout: 15 });
  t.match(await rampOf(ramp), { status: 'paused', stopReason: `manual change of the rollout from 10% to 15% (version ${manual.state.version})` });
});

t.test('withOneStatement: one statement only; an aborted one runs again', async (t) => {
  await t.rejects(
    withOneStatement(pool, async (db) => {
      await db.query('select 1');
      await db.query('select 2');
    }),
    /second statement/,
  );
  let attempts = 0;
  const rolledBack = await withOneStatement(pool, async (db) => {
    attempts += 1;
    if (attempts === 1) {
      await db.query(`do $$ begin raise exception 'deadlock' using errcode = 'deadlock_detected'; end $$`);
    }
    return (await db.query<{ ok: number }>('select 1 as ok')).rows[0]!.ok;
  });
  t.equal(rolledBack, 1);
  t.equal(attempts, 2, 'a deadlock victim is run again');
});

/** Holds the prod environment's row lock, so a change blocks in its version trigger, after it locked the state. */
async function holdEnvironmentLock(): Promise<{ release(): Promise<void> }> {
  const rival = new pg.Client({ connectionString: env.config.databaseUrl });
  await rival.connect();
  await rival.query('begin');
  await rival.query(`select 1 from environment where key = 'prod' for no key update`);
  return {
    async release() {
      await rival.query('rollback');
      await rival.end();
    },
  };
}

async function blockedChangeBackend(): Promise<number> {
  for (;;) {
    const { rows } = await env.pool.query<{ pid: number }>(
      `select pid from pg_stat_activity where wait_event_type = 'Lock' and query like '%flagship_change_flag_state%'`,
    );
    if (rows[0]) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rolloutOf(key: string): Promise<string> {
  const { rows } = await env.pool.query<{ rollout: string }>(
    `select s.strategies->0->'parameters'->>'rollout' as rollout from flag_state s join flag f on f.id = s.flag_id
      where f.key = $1 and s.environment_key = 'prod'`,
    [key],
  );
  return rows[0]!.rollout;
}

t.test('a session that ends mid-call leaves nothing of the change, and the pool recovers', async (t) => {
  await createFlag('interrupted', 10);
  const ramp = await scheduleRamp('interrupted');
  const before = await writtenSoFar();
  const lock = await holdEnvironmentLock();
  // Caught at once: it fails while this test is still terminating its session.
  const call = change('interrupted', { rollout: 70 }).catch((error: unknown) => error);
  // The call has locked the ramp and the state and waits for the environment's version.
  const pid = await blockedChangeBackend();
  await env.pool.query('select pg_terminate_backend($1)', [pid]);
  const failure = await call;
  t.ok(failure instanceof Error, 'the call fails');
  await lock.release();

  t.same(await writtenSoFar(), before, 'no version, no event');
  t.equal(await rolloutOf('interrupted'), '10', 'the state as it was');
  t.equal((await rampOf(ramp)).status, 'scheduled', 'the ramp not paused');
  const next = await change('interrupted', { rollout: 70 });
  t.equal(next.changed, true, 'the next call, on a new connection, writes');
  t.equal((await rampOf(ramp)).status, 'paused');
});

t.test('a connection reset mid-call: the caller hears of the doubt, and the change is whole or absent', async (t) => {
  await createFlag('reset', 10);
  const url = new URL(env.config.databaseUrl);
  const proxy = await new TcpProxy(url.hostname, Number(url.port || 5432)).start();
  const proxied = createPool(viaProxy(env.config.databaseUrl, proxy.port), env.logger, 1);
  t.teardown(async () => {
    await proxied.end();
    await proxy.close();
  });
  const before = await writtenSoFar();
  const lock = await holdEnvironmentLock();
  const call = withOneStatement(proxied, (db) => changeFlagState(db, 'reset', 'prod', { rollout: 70 }, { actor: ACTOR })).catch(
    (error: unknown) => error,
  );
  await blockedChangeBackend();
  proxy.reset();
  const failure = await call;
  t.ok(isConnectionInDoubt(failure), 'a connection in doubt: never run again by withOneStatement');
  await lock.release();
  // PostgreSQL finishes (or aborts) the statement on its own; wait for it to be done.
  while ((await env.pool.query(`select 1 from pg_stat_activity where query like '%flagship_change_flag_state%' and state = 'active' and pid <> pg_backend_pid()`)).rowCount) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  const after = await writtenSoFar();
  const rollout = await rolloutOf('reset');
  if (after.version === before.version) {
    t.same(after, before, 'absent: no version, no event');
    t.equal(rollout, '10');
  } else {
    t.same(after, { version: before.version + 1, events: before.events + 1 }, 'whole: one version with its event');
    t.equal(rollout, '70');
  }
  proxy.restore();
  const next = await withOneStatement(proxied, (db) => changeFlagState(db, 'reset', 'prod', { rollout: 80 }, { actor: ACTOR }));
  t.equal(next.state.rollout, 80, 'the pool replaced the connection');
});
