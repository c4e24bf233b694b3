import t from 'tap';
import { createPool } from '../../shared/db/pool.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { createSdkToken } from '../helpers/tokens.js';

// OFREP formats errors in its own shapes, but what an error is (and whether it
// counts as a dependency failure) is decided by the one classifier every protocol uses.

const env = await createTestEnvironment(t, 'ofrep-dependency-errors');
const postgresUrl = new URL(env.config.databaseUrl);
const postgresProxy = await new TcpProxy(postgresUrl.hostname, Number(postgresUrl.port || 5432)).start();
const pool = createPool(viaProxy(env.config.databaseUrl, postgresProxy.port), env.logger, 2);
t.teardown(async () => {
  await pool.end().catch(() => undefined);
  await postgresProxy.close();
});
const api = await startTestApi(t, { ...env, pool });
const sdk = await createSdkToken(api.request, env.adminSecret, 'prod');

/** The sum of flagship_dependency_errors_total over every kind of one dependency. */
async function dependencyErrors(dependency: string): Promise<number> {
  const metric = (await api.metrics.getMetricsAsJSON()).find((one) => one.name === 'flagship_dependency_errors_total');
  const values = (metric as { values?: Array<{ value: number; labels: Record<string, string> }> } | undefined)?.values ?? [];
  return values.filter((sample) => sample.labels.dependency === dependency).reduce((sum, sample) => sum + sample.value, 0);
}

t.test('an OFREP request while PostgreSQL is away: a 503 in OFREP\'s shape, counted as a dependency error', async (t) => {
  const bulk = () => api.request('POST', '/ofrep/v1/evaluate/flags', { token: sdk.secret, body: { context: { targetingKey: 'user-1' } } });
  t.equal((await bulk()).status, 200, 'answers while PostgreSQL is there');
  const before = await dependencyErrors('postgresql');

  postgresProxy.cut();
  t.teardown(() => postgresProxy.restore());
  const refused = await bulk();
  t.equal(refused.status, 503);
  t.equal(refused.headers.get('retry-after'), '1');
  t.match(refused.body, { errorDetails: String });
  t.notOk(refused.body.error, 'OFREP\'s shape, not FlagShip\'s { error }');
  t.equal(await dependencyErrors('postgresql'), before + 1, 'flagship_dependency_errors_total counts it');
});
