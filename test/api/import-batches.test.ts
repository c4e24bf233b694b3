import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

/*
 * An import of the documented maximum (5,000 features) with 7 environments:
 * it writes in bounded batches, so it succeeds, and another admin's PATCH of
 * another flag during it waits a batch at most instead of failing with 503.
 * The ordering rule holds throughout: in every environment, versions are
 * gap-free and the PATCH's change sits among the import's.
 */
// A PATCH waits for the import's batch holding the environment's version; on a
// machine running the whole suite a batch can outlast the default 5 s statement
// bound, so this file allows 20 s (a bound on a hang; interleaving is checked below).
const env = await createTestEnvironment(t, 'api-import-batches', { poolTimeouts: { dbQueryTimeoutMs: 20_000 } });
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

const FEATURES = 5000;

t.test('the documented maximum imports with 7 environments while another flag is patched', async (t) => {
  for (const key of ['qa', 'uat', 'perf', 'demo']) {
    t.equal((await request('POST', '/v1/environments', { token: admin, body: { key } })).status, 201);
  }
  const environments = (await request('GET', '/v1/environments', { token: admin })).body.environments as Array<{ key: string }>;
  t.equal(environments.length, 7);
  t.equal((await request('POST', '/v1/flags', { token: admin, body: { key: 'busy' } })).status, 201);

  const features = Array.from({ length: FEATURES }, (_, index) => ({
    name: `max_${String(index).padStart(4, '0')}`,
    enabled: index % 2 === 0,
    strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(index % 101), stickiness: 'default', groupId: `max_${index}` } }],
  }));
  let importDone = false;
  const importing = request('POST', '/v1/import/unleash?environment=prod', { token: admin, body: { version: 2, features } }).finally(() => {
    importDone = true;
  });

  // Another admin keeps switching another flag in the import's environment and in another one until the import answers.
  const patches: Array<{ environment: string; status: number; version?: number; text: string }> = [];
  let enabled = false;
  while (!importDone) {
    enabled = !enabled;
    for (const environment of ['prod', 'dev']) {
      const answer = await request('PATCH', `/v1/flags/busy/environments/${environment}`, { token: admin, body: { enabled } });
      patches.push({ environment, status: answer.status, version: answer.body?.version, text: answer.text.slice(0, 200) });
    }
  }
  const imported = await importing;
  t.equal(imported.status, 200, imported.text.slice(0, 300));
  t.equal(imported.body.flags?.created.length, FEATURES);
  t.same(patches.filter((patch) => patch.status !== 200), [], 'every PATCH during the import succeeded');

  // The events of each environment: gap-free versions, and (prod) the import's states set around the PATCHes.
  const { rows } = await env.pool.query<{ environment: string; count: number; first: number; last: number }>(
    `select environment_key as environment, count(*)::int as count, min(version)::int as first, max(version)::int as last
       from change_event group by environment_key`,
  );
  for (const row of rows) t.equal(row.count, row.last - row.first + 1, `${row.environment}: versions gap-free`);
  const { rows: prodUpdates } = await env.pool.query<{ first: number; last: number }>(
    `select min(version)::int as first, max(version)::int as last
       from change_event where environment_key = 'prod' and flag_key like 'max\\_%' and action = 'updated'`,
  );
  const { first, last } = prodUpdates[0]!;
  const during = patches.filter((patch) => patch.environment === 'prod' && patch.version! > first && patch.version! < last);
  t.ok(during.length > 0, `a PATCH in prod was written between the import's first and last state (${first}..${last})`);
});
