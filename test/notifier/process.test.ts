import t from 'tap';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { spawnNotifierProcess } from '../helpers/notifier.js';
import { createSdkToken } from './socket-client.js';
import { changeWhere } from '../sdk/support.js';

const env = await createTestEnvironment(t, 'notifier-process');
const { request } = await startTestApi(t, env);
const sdk = await createSdkToken(request, env.adminSecret, 'dev');

t.test('the notifier runs alone and stops cleanly on SIGTERM; its clients resume on the next one', async (t) => {
  const first = await spawnNotifierProcess(t, env);
  const client = new FlagShipClient({ url: first.url, token: sdk.secret, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 });
  t.teardown(() => client.close());
  await client.ready();

  t.equal(await first.kill('SIGTERM'), 0, 'exit code 0 after a graceful shutdown');

  await request('POST', '/v1/flags', { token: env.adminSecret, body: { key: 'after_restart', environments: { dev: { enabled: true } } } });
  const arrived = changeWhere(client, (change) => change.flags.some((flag) => flag.key === 'after_restart'));
  await spawnNotifierProcess(t, env, { port: first.port });
  const change = await arrived;
  t.equal(change.source, 'change', 'resumed by replay after the shutdown');
  t.equal(client.isEnabled('after_restart', { key: 'u' }), true);
});
