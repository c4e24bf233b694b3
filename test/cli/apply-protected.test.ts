import t from 'tap';
import { parse, stringify } from 'yaml';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { installPackedCli } from './support/packed-cli.js';
import { personWithToken } from '../helpers/people.js';

/*
 * `flagship apply` (the packed CLI) where an environment is protected: a
 * person's apply becomes a change request (exit 3, its id and URL), applied
 * as one version once approved; a state that moved between the plan and the
 * request cancels it; --change-request proposes even where one may write.
 */

t.setTimeout(240_000);
const env = await createTestEnvironment(t, 'cli-protected');
const api = await startTestApi(t, env);
const admin = env.adminSecret;
const cli = await installPackedCli(t);

async function must(method: string, route: string, body?: unknown, status = 200) {
  const response = await api.request(method, route, { token: admin, body });
  if (response.status !== status) throw new Error(`${method} ${route}: ${response.status} ${response.text}`);
  return response.body;
}
const stateOf = async (flag: string, environment = 'prod') => must('GET', `/v1/flags/${flag}/environments/${environment}`);
const versionOf = async (environment: string) =>
  ((await must('GET', '/v1/environments')).environments as Array<{ key: string; version: number }>).find((entry) => entry.key === environment)!.version;

/** An editor's personal token: a person, refused direct writes where an environment is protected. */
const personalToken = async (email: string): Promise<string> => (await personWithToken(api.request, env.pool, admin, email, [{ role: 'editor', project: '*' }])).token;

for (const key of ['checkout', 'banner']) await must('POST', '/v1/flags', { key }, 201);
await must('PATCH', '/v1/environments/prod', { protected: true, requiredApprovals: 1 });
const ada = await personalToken('ada@example.com');
const asAda = (args: string[]) => cli.runInProcess(args, { env: { FLAGSHIP_URL: api.url, FLAGSHIP_TOKEN: ada } });
const asService = (args: string[]) => cli.runInProcess(args, { env: { FLAGSHIP_URL: api.url, FLAGSHIP_TOKEN: admin } });

type FlagFileShape = { flags: Record<string, { environments: Record<string, { enabled: boolean; strategies?: unknown[] }> }> };
async function exported(): Promise<FlagFileShape> {
  const result = await asAda(['export', '--env', 'dev,prod']);
  if (result.code !== 0) throw new Error(result.stderr);
  return parse(result.stdout) as FlagFileShape;
}
const on = { enabled: true, strategies: [{ name: 'default' }] };

t.test("a person's apply to a protected environment opens a change request (exit 3), applied as one version once approved", async (t) => {
  const file = await exported();
  file.flags.checkout!.environments.prod = on;
  file.flags.banner!.environments.prod = on;
  file.flags.banner!.environments.dev = on;
  const flagFile = await cli.write('flags.yaml', stringify(file));
  const [prodBefore, devBefore] = [await versionOf('prod'), await versionOf('dev')];
  const plan = await asAda(['plan', '-f', flagFile]);
  t.equal(plan.code, 2);
  t.match(plan.stdout, /warning: prod is protected: apply proposes its changes in a change request unless your token may write it directly/);
  t.notMatch(plan.stdout, /dev is protected/);

  const apply = await asAda(['apply', '-f', flagFile, '--title', 'Launch checkout']);
  t.equal(apply.code, 3, `exit 3: proposed, not applied: ${apply.stderr}`);
  t.match(apply.stderr, /prod is protected: you may not change it directly, so the changes are proposed in a change request/);
  const opened = /prod: opened change request ([0-9a-f-]{36}) with 2 flag states, applied as one version once approved: (\S+)/.exec(apply.stderr);
  t.ok(opened, 'it names the request and its page');
  const [, id, url] = opened ?? [];
  t.equal(url, `${api.url}/change-requests/${id}`, "the request's page in the console (served at the API's own origin)");
  t.match(apply.stderr, /Not applied yet: prod changes wait for approval/);
  t.match(apply.stderr, /dev: 1 flag state written as one change, version \d+/, 'the unprotected environment is written directly');
  t.notMatch(apply.stderr, /^error:/m, 'not reported as an error');
  t.equal(await versionOf('prod'), prodBefore, 'nothing of prod changed yet');
  t.equal(await versionOf('dev'), devBefore + 1);

  const request = await must('GET', `/v1/change-requests/${id}`);
  t.match(request, { environment: 'prod', title: 'Launch checkout', state: 'open', author: { type: 'user', name: 'ada' } });
  t.same(request.changes.map((change: { flag: string }) => change.flag), ['banner', 'checkout']);
  const stillPlanned = await asAda(['plan', '-f', flagFile]);
  t.equal(stillPlanned.code, 2, 'until it is approved, plan still shows the changes');

  await must('POST', `/v1/change-requests/${id}/approve`);
  const applied = await api.request('POST', `/v1/change-requests/${id}/apply`, { token: admin });
  if (applied.body.state !== 'applied') t.equal(applied.status, 200, applied.text);
  const version = (await must('GET', `/v1/change-requests/${id}`)).appliedVersion as number;
  t.equal(version, prodBefore + 1, 'approved and applied: ONE version of prod');
  t.match(await stateOf('checkout'), { enabled: true, version });
  t.match(await stateOf('banner'), { enabled: true, version });
  const settled = await asAda(['plan', '-f', flagFile]);
  t.equal(settled.code, 0, `plan exits 0 once the request is applied: ${settled.stdout}`);
});

t.test('a state that moved between the plan and the request: the request is cancelled and apply fails, nothing proposed', async (t) => {
  const file = await exported();
  file.flags.checkout!.environments.prod = { enabled: false, strategies: [] };
  const flagFile = await cli.write('moved.yaml', stringify(file));
  const planned = await asAda(['plan', '-f', flagFile, '--json']);
  t.equal(planned.code, 2);
  const savedPlan = await cli.write('plan.json', planned.stdout);
  await must('PUT', '/v1/flags/checkout/environments/prod', { enabled: true, strategies: [{ name: 'userWithId', parameters: { userIds: 'u1' } }] });

  const apply = await asAda(['apply', '--plan', savedPlan]);
  t.equal(apply.code, 1, apply.stderr);
  t.match(apply.stderr, /error: proposing the changes to prod: checkout changed since the plan was made; run plan again\. The change request ([0-9a-f-]{36}) was cancelled/);
  const { changeRequests } = await must('GET', '/v1/change-requests?environment=prod');
  t.match(changeRequests[0], { state: 'cancelled', closeReason: /moved between the plan and the request/ });
  t.equal((await stateOf('checkout')).enabled, true, "the other change stands, and nothing would overwrite it");
});

t.test('--change-request proposes even where the caller may write directly', async (t) => {
  const file = await exported();
  file.flags.checkout!.environments.dev = on;
  const flagFile = await cli.write('dev.yaml', stringify(file));
  const before = await versionOf('dev');
  const apply = await asService(['apply', '-f', flagFile, '--change-request', '--json']);
  t.equal(apply.code, 3, apply.stderr);
  const result = JSON.parse(apply.stdout) as { environments: unknown[]; changeRequests: Array<{ environment: string; flags: string[]; changeRequest: { id: string; url: string; apiUrl: string } }> };
  t.same(result.environments, []);
  const proposedId = result.changeRequests[0]?.changeRequest.id;
  t.same(result.changeRequests, [
    {
      environment: 'dev',
      flags: ['checkout'],
      changeRequest: { id: proposedId, url: `${api.url}/change-requests/${proposedId}`, apiUrl: `${api.url}/v1/change-requests/${proposedId}` },
    },
  ]);
  t.equal(await versionOf('dev'), before, 'nothing written until approved');
  t.match(await must('GET', `/v1/change-requests/${result.changeRequests[0]!.changeRequest.id}`), { environment: 'dev', state: 'open' });
});
