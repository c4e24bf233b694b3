import t from 'tap';
import { withTransaction } from '../../shared/db/tx.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { rampClient } from '../helpers/ramps.js';
import { startTestWorker, waitFor } from '../helpers/worker.js';

/*
 * Every change of a flag state goes through one function
 * (flagship_change_flag_state, through shared/domain/flags/flag-state-service.ts).
 * Seen from outside: PATCH, PUT, the build guide's POST, the Unleash import and
 * a ramp step obey the same rules, worded the same: a ramp whose rollout they
 * move is paused with the one reason text, and an archived flag is refused.
 */
const env = await createTestEnvironment(t, 'api-one-write-path');
const { request } = await startTestApi(t, env);
await startTestWorker(t, env);
const admin = env.adminSecret;
const { createFlag, scheduleRamp, readRamp } = rampClient(request, admin);

/** The one wording of a ramp paused by a change that is not its own step (migration 000012). */
const PAUSE_REASON = /^manual change of the (rollout|configuration) from (\d+|\?)% to (\d+%|a rollout the ramp cannot drive) \(version (\d+)\)$/;

const stateOf = async (key: string) => (await request('GET', `/v1/flags/${key}/environments/prod`, { token: admin })).body;

/** A simple-case configuration at `rollout`, as PUT and an import send it. */
const simpleAt = (key: string, rollout: number) => ({
  name: 'flexibleRollout',
  parameters: { rollout: String(rollout), stickiness: 'default', groupId: key },
});

t.test('PATCH, PUT, the guide and the import pause a ramp they override with the same reason', async (t) => {
  const writers: Record<string, { what: string; write: (key: string) => Promise<{ status: number; text: string }> }> = {
    via_patch: { what: 'rollout', write: (key) => request('PATCH', `/v1/flags/${key}/environments/prod`, { token: admin, body: { rollout: 40 } }) },
    via_put: {
      what: 'configuration',
      write: (key) => request('PUT', `/v1/flags/${key}/environments/prod`, { token: admin, body: { enabled: true, strategies: [simpleAt(key, 40)] } }),
    },
    via_guide: { what: 'rollout', write: (key) => request('POST', `/flags?name=${key}&env=prod&rollout=40`, { token: admin }) },
    via_import: {
      what: 'configuration',
      write: (key) =>
        request('POST', '/v1/import/unleash?environment=prod', {
          token: admin,
          body: { version: 2, features: [{ name: key, enabled: true, strategies: [simpleAt(key, 40)] }] },
        }),
    },
  };
  for (const [key, { what, write }] of Object.entries(writers)) {
    await createFlag(key);
    const ramp = await scheduleRamp(key, [[10, 60_000], [20, 120_000]]);
    const answer = await write(key);
    t.ok(answer.status === 200 || answer.status === 201, `${key}: ${answer.text.slice(0, 200)}`);
    const state = await stateOf(key);
    t.equal(state.rollout, 40, `${key}: the rollout moved`);
    const paused = await readRamp(ramp.id);
    t.equal(paused.status, 'paused', `${key}: the ramp is paused`);
    t.match(paused.stopReason, PAUSE_REASON, `${key}: in the one wording`);
    const [, said, from, to, version] = PAUSE_REASON.exec(paused.stopReason) ?? [];
    t.same([said, from, to, Number(version)], [what, '0', '40%', state.version], `${key}: what moved, from, to, at which version`);
  }
});

t.test("a ramp's own step that finds nothing to drive pauses it, in the same words", async (t) => {
  await createFlag('via_step');
  const ramp = await scheduleRamp('via_step', [[10, 400], [20, 60_000]]);
  // Changed behind the API's back (by SQL): the state is no longer the simple case the ramp drives.
  await withTransaction(
    env.pool,
    (client) =>
      client.query(
        `update flag_state s
            set strategies = s.strategies || jsonb_build_array(jsonb_build_object('id', 'extra', 'name', 'default', 'parameters', '{}'::jsonb))
           from flag f
          where f.id = s.flag_id and f.key = 'via_step' and s.environment_key = 'prod'`,
      ),
    { actor: { type: 'system', id: 'test', name: 'test:sql' } },
  );
  const before = await stateOf('via_step');
  const paused = await waitFor('the step to pause the ramp', async () => {
    const read = await readRamp(ramp.id);
    return read.status === 'paused' && read;
  });
  t.match(paused.stopReason, PAUSE_REASON);
  t.equal(paused.stopReason, `manual change of the configuration from ?% to a rollout the ramp cannot drive (version ${before.version})`);
  t.equal(paused.stoppedBy, `rollout:${ramp.id}`, 'the ramp paused itself');
  t.same(await stateOf('via_step'), before, 'the step wrote nothing to the state');
});

t.test('an archived flag is refused by every writer, and nothing is written', async (t) => {
  await createFlag('retired');
  t.equal((await request('DELETE', '/v1/flags/retired', { token: admin })).status, 200);
  const versionOf = async () => (await env.pool.query<{ version: number }>(`select version from environment where key = 'prod'`)).rows[0]!.version;
  const before = await versionOf();
  const answers = {
    patch: await request('PATCH', '/v1/flags/retired/environments/prod', { token: admin, body: { rollout: 40 } }),
    put: await request('PUT', '/v1/flags/retired/environments/prod', { token: admin, body: { enabled: true, strategies: [simpleAt('retired', 40)] } }),
    guide: await request('POST', '/flags?name=retired&env=prod&rollout=40', { token: admin }),
    import: await request('POST', '/v1/import/unleash?environment=prod', {
      token: admin,
      body: { version: 2, features: [{ name: 'retired', enabled: true, strategies: [simpleAt('retired', 40)] }] },
    }),
  };
  for (const [writer, answer] of Object.entries(answers)) {
    t.equal(answer.status, 409, `${writer}: ${answer.text}`);
    t.match(answer.body.error.message, /'retired' is archived/, `${writer} says why`);
  }
  t.equal(await versionOf(), before, 'nothing written');
});
