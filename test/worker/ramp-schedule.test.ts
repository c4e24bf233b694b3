import t from 'tap';
import { io } from 'socket.io-client';
import { SOCKET_PROTOCOL_VERSION, type FlagStateChange } from '../../shared/schemas/socket.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { flagEvents, listenForChanges, startTestWorker, waitFor } from '../helpers/worker.js';

const env = await createTestEnvironment(t, 'worker-schedule');
const { request } = await startTestApi(t, env);
const worker = await startTestWorker(t, env);
const notifier = await startTestNotifier(t, env);
const notifications = await listenForChanges(t, env);
const admin = env.adminSecret;

/** A running app's view: a Socket.IO client on prod that records every flags:change. */
async function connectApp(): Promise<FlagStateChange[]> {
  const token = await request('POST', '/v1/tokens', { token: admin, body: { name: 'app', kind: 'sdk', environment: 'prod' } });
  const socket = io(notifier.url, { forceNew: true, transports: ['websocket'], reconnection: false, auth: { token: token.body.secret, protocol: SOCKET_PROTOCOL_VERSION } });
  t.teardown(() => socket.close());
  const changes: FlagStateChange[] = [];
  socket.on('flags:change', (change) => {
    if ('flag' in change) changes.push(change);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('flags:synced', () => resolve());
    socket.once('connect_error', reject);
  });
  return changes;
}
const appChanges = await connectApp();

async function createFlag(key: string, rollout: number): Promise<void> {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true, rollout } } } });
  if (created.status !== 201) throw new Error(`could not create flag ${key}: ${created.text}`);
}

async function waitForStatus(id: string, status: string) {
  return waitFor(`ramp ${id} to be ${status}`, async () => {
    const ramp = await request('GET', `/v1/rollouts/${id}`, { token: admin });
    return ramp.body.status === status && ramp.body;
  });
}

t.test('explicit steps a second apart complete, each once, in order, with its event and NOTIFY', async (t) => {
  await createFlag('new_ui', 0);
  const start = Date.now();
  const steps = [10, 50, 100].map((rollout, index) => ({ rollout, at: new Date(start + 1000 * (index + 1)).toISOString() }));
  const created = await request('POST', '/v1/flags/new_ui/environments/prod/rollouts', { token: admin, body: { steps } });
  t.equal(created.status, 201, created.status === 201 ? 'created' : created.text);
  t.equal(created.headers.get('location'), `/v1/rollouts/${created.body.id}`);
  t.match(created.body, { flag: 'new_ui', environment: 'prod', status: 'scheduled', currentStep: 0, createdBy: 'token:FLAGSHIP_ADMIN_TOKEN' });
  t.same(
    created.body.steps.map((step: { rollout: number; plannedAt: string; appliedAt: null }) => [step.rollout, step.plannedAt, step.appliedAt]),
    steps.map((step) => [step.rollout, step.at, null]),
  );

  const done = await waitForStatus(created.body.id, 'completed');
  t.equal(done.currentStep, 3);
  for (const step of done.steps) {
    t.ok(step.appliedAt, `step ${step.position} has an applied time`);
    t.ok(Date.parse(step.appliedAt) >= Date.parse(step.plannedAt), `step ${step.position} was not applied before its time`);
  }
  const appliedOrder = [...done.steps].sort((a, b) => Date.parse(a.appliedAt) - Date.parse(b.appliedAt));
  t.same(appliedOrder.map((step) => step.position), [0, 1, 2], 'applied in order');

  const actor = `rollout:${created.body.id}`;
  const events = (await flagEvents(env, 'new_ui', 'prod')).filter((event) => event.actor.type === 'ramp' && event.actor.id === created.body.id);
  t.same(events.map((event) => [event.before?.rollout, event.after.rollout]), [[0, 10], [10, 50], [50, 100]], 'one event per step');
  t.same(events.map((event) => event.after.updatedBy), [actor, actor, actor]);
  for (const event of events) {
    t.ok(notifications.some((n) => n.environment === 'prod' && n.version === event.version), `NOTIFY for version ${event.version}`);
  }
  const pushed = await waitFor('the Socket.IO changes of the three steps', async () => {
    const ofRamp = appChanges.filter((change) => change.flag.key === 'new_ui' && change.flag.updatedBy === actor);
    return ofRamp.length >= 3 && ofRamp;
  });
  t.same(
    pushed.map((change) => [change.version, change.flag.rollout]),
    events.map((event) => [event.version, event.after.rollout]),
    'a running app receives each step once, in order',
  );
  const state = await request('GET', '/v1/flags/new_ui/environments/prod', { token: admin });
  t.match(state.body, { rollout: 100, enabled: true, updatedBy: actor, version: events[2]!.version });

  const audit = await request('GET', '/v1/events?environment=prod&flag=new_ui', { token: admin });
  t.same(
    audit.body.events.slice(-3).map((event: { actor: { type: string; id: string } }) => [event.actor.type, event.actor.id]),
    [['ramp', created.body.id], ['ramp', created.body.id], ['ramp', created.body.id]],
    'the audit log names the ramp',
  );

  const stepLogs = worker.logs.filter((line) => line.planId === created.body.id && String(line.msg).startsWith('applied'));
  t.same(stepLogs.map((line) => [line.position, line.rollout]), [[0, 10], [1, 50], [2, 100]], 'a log line per applied step');
});

t.test('from/to/step/every: the first step now, then one every PT0.5S, the last one capped at to', async (t) => {
  await createFlag('checkout', 5);
  const created = await request('POST', '/v1/flags/checkout/environments/prod/rollouts', {
    token: admin,
    body: { from: 20, to: 45, step: 10, every: 'PT0.5S' },
  });
  t.equal(created.status, 201, created.status === 201 ? 'created' : created.text);
  const planned = created.body.steps.map((step: { plannedAt: string }) => Date.parse(step.plannedAt));
  t.same(created.body.steps.map((step: { rollout: number }) => step.rollout), [20, 30, 40, 45]);
  t.same(planned.slice(1).map((at: number, index: number) => at - planned[index]), [500, 500, 500], 'spaced by the duration');

  const done = await waitForStatus(created.body.id, 'completed');
  t.ok(done.steps.every((step: { appliedAt: string | null }) => step.appliedAt));
  const events = (await flagEvents(env, 'checkout', 'prod')).filter((event) => event.actor.type === 'ramp' && event.actor.id === created.body.id);
  t.same(events.map((event) => event.after.rollout), [20, 30, 40, 45]);
});

t.test('a ramp with one step and a ramp on another environment run side by side', async (t) => {
  await createFlag('search', 0);
  const soon = new Date(Date.now() + 1000).toISOString();
  const prod = await request('POST', '/v1/flags/search/environments/prod/rollouts', { token: admin, body: { steps: [{ rollout: 30, at: soon }] } });
  const dev = await request('POST', '/v1/flags/search/environments/dev/rollouts', { token: admin, body: { steps: [{ rollout: 70, at: soon }] } });
  t.equal(prod.status, 201, prod.status === 201 ? 'created' : prod.text);
  t.equal(dev.status, 201, dev.status === 201 ? 'created' : dev.text);
  await waitForStatus(prod.body.id, 'completed');
  await waitForStatus(dev.body.id, 'completed');
  const prodState = await request('GET', '/v1/flags/search/environments/prod', { token: admin });
  const devState = await request('GET', '/v1/flags/search/environments/dev', { token: admin });
  t.equal(prodState.body.rollout, 30);
  t.equal(devState.body.rollout, 70);
});
