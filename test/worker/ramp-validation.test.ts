import t from 'tap';
import { openTestRampQueue } from '../helpers/worker.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

const env = await createTestEnvironment(t, 'worker-validation');
const { request } = await startTestApi(t, env);
const queue = openTestRampQueue(t, env);
const admin = env.adminSecret;

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const path = '/v1/flags/new_ui/environments/prod/rollouts';

await request('POST', '/v1/flags', { token: admin, body: { key: 'new_ui', environments: { prod: { enabled: true, rollout: 0 } } } });
await request('POST', '/v1/flags', { token: admin, body: { key: 'old_ui' } });
await request('DELETE', '/v1/flags/old_ui', { token: admin });
const sdk = await request('POST', '/v1/tokens', { token: admin, body: { name: 'app', kind: 'sdk', environment: 'prod' } });

interface Detail {
  path: string[];
  message: string;
}

const invalidBodies: Array<[what: string, body: unknown, field: string, message: RegExp]> = [
  ['falling rollouts', { steps: [{ rollout: 50, at: inMs(60_000) }, { rollout: 20, at: inMs(120_000) }] }, 'steps.1.rollout', /must rise/],
  ['a repeated rollout', { steps: [{ rollout: 50, at: inMs(60_000) }, { rollout: 50, at: inMs(120_000) }] }, 'steps.1.rollout', /must rise/],
  ['times out of order', { steps: [{ rollout: 10, at: inMs(120_000) }, { rollout: 20, at: inMs(60_000) }] }, 'steps.1.at', /in order/],
  ['a time in the past', { steps: [{ rollout: 10, at: inMs(-1000) }, { rollout: 20, at: inMs(60_000) }] }, 'steps.0.at', /in the future/],
  ['a time two years ahead', { steps: [{ rollout: 10, at: inMs(2 * 366 * 24 * 3600 * 1000) }] }, 'steps.0.at', /within 366 days/],
  ['a time without a zone', { steps: [{ rollout: 10, at: '2030-01-01T12:00:00' }] }, 'steps.0.at', /time zone/],
  ['a rollout over 100', { steps: [{ rollout: 101, at: inMs(60_000) }] }, 'steps.0.rollout', /0 to 100/],
  ['a fractional rollout', { steps: [{ rollout: 12.5, at: inMs(60_000) }] }, 'steps.0.rollout', /whole number/],
  [
    '101 explicit steps',
    { steps: Array.from({ length: 101 }, (_, index) => ({ rollout: index, at: inMs(60_000 + index * 1000) })) },
    'steps',
    /at most 100 steps/,
  ],
  ['101 generated steps', { from: 0, to: 100, step: 1, every: 'PT1M' }, 'step', /at most 100 steps/],
  ['no steps at all', { steps: [] }, 'steps', /at least one step/],
  ['an empty body', {}, '', /either steps/],
  ['both forms', { steps: [{ rollout: 10, at: inMs(60_000) }], from: 0 }, 'from', /not both/],
  ['a generated ramp without every', { from: 10, to: 50, step: 10 }, 'every', /required/],
  ['a duration that is not ISO 8601', { from: 10, to: 50, step: 10, every: 'an hour' }, 'every', /ISO 8601 duration/],
  ['a zero duration', { from: 10, to: 50, step: 10, every: 'PT0S' }, 'every', /at least 0.1 seconds/],
  ['a negative duration', { from: 10, to: 50, step: 10, every: 'PT-1H' }, 'every', /ISO 8601 duration/],
  ['from above to', { from: 60, to: 50, step: 10, every: 'PT1H' }, 'to', /must rise/],
  ['a zero step', { from: 10, to: 50, step: 0, every: 'PT1H' }, 'step', /from 1 to 100/],
  ['a start in the past', { from: 10, to: 50, step: 10, every: 'PT1H', startAt: inMs(-60_000) }, 'startAt', /in the past/],
  ['a generated ramp too long', { from: 10, to: 50, step: 10, every: 'P1Y' }, 'every', /within 366 days/],
  ['an unknown field', { steps: [{ rollout: 10, at: inMs(60_000) }], enabled: true }, '', /enabled/],
];

t.test('invalid ramps: 400 naming the field', async (t) => {
  for (const [what, body, field, message] of invalidBodies) {
    const response = await request('POST', path, { token: admin, body });
    t.equal(response.status, 400, `${what}: 400`);
    t.equal(response.body?.error?.code, 'invalid_request', what);
    const details = (response.body?.error?.details ?? []) as Detail[];
    t.ok(
      details.some((detail) => detail.path.join('.') === field && message.test(detail.message)) ||
        (field === '' && message.test(response.body?.error?.message)),
      `${what}: names ${field || 'the body'} (${response.body?.error?.message})`,
    );
  }
});

t.test('unknown flag or environment: 404; archived flag: 409', async (t) => {
  const body = { steps: [{ rollout: 10, at: inMs(60_000) }] };
  const unknownFlag = await request('POST', '/v1/flags/nope/environments/prod/rollouts', { token: admin, body });
  t.equal(unknownFlag.status, 404);
  t.match(unknownFlag.body.error.message, /flag 'nope'/);
  const unknownEnvironment = await request('POST', '/v1/flags/new_ui/environments/moon/rollouts', { token: admin, body });
  t.equal(unknownEnvironment.status, 404);
  t.match(unknownEnvironment.body.error.message, /environment 'moon'/);
  const archived = await request('POST', '/v1/flags/old_ui/environments/prod/rollouts', { token: admin, body });
  t.equal(archived.status, 409);
  t.match(archived.body.error.message, /archived/);
});

t.test('admin only; ids must be UUIDs; unknown ramps are 404', async (t) => {
  const body = { steps: [{ rollout: 10, at: inMs(60_000) }] };
  t.equal((await request('POST', path, { body })).status, 401);
  t.equal((await request('POST', path, { token: sdk.body.secret, body })).status, 403);
  t.equal((await request('GET', '/v1/rollouts/not-a-uuid', { token: admin })).status, 400);
  const missing = '00000000-0000-4000-8000-000000000000';
  t.equal((await request('GET', `/v1/rollouts/${missing}`, { token: admin })).status, 404);
  for (const action of ['pause', 'resume', 'cancel']) {
    t.equal((await request('POST', `/v1/rollouts/${missing}/${action}`, { token: admin })).status, 404, `${action}: 404`);
  }
  const badReason = await request('POST', `/v1/rollouts/${missing}/pause`, { token: admin, body: { reason: '' } });
  t.equal(badReason.status, 400, 'an empty reason is refused');
});

t.test('nothing was stored, nothing was queued', async (t) => {
  const { rows } = await env.pool.query<{ plans: number; steps: number }>(
    `select (select count(*) from rollout_plan)::int as plans, (select count(*) from rollout_step)::int as steps`,
  );
  t.same(rows[0], { plans: 0, steps: 0 });
  const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
  t.same(Object.values(counts).reduce((sum, count) => sum + count, 0), 0);
  const events = await request('GET', '/v1/events?flag=new_ui&environment=prod', { token: admin });
  t.equal(events.body.events.length, 1, 'only the creation of the flag');
});
