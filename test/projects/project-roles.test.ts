import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { personWithToken, type Grant } from '../helpers/people.js';

/*
 * Roles per project, checked by the route mechanism (RouteSpec `projects`):
 * an editor of `web` changes `web`'s flags (and everything that touches them)
 * and gets 403 on `mobile`'s; a viewer of `web` reads and never writes; lists
 * show only the projects a person holds a role on.
 */

const env = await createTestEnvironment(t, 'project-roles');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;


/** A person with these grants, by personal token. */
const person = async (email: string, roles: Grant[]): Promise<string> => (await personWithToken(request, env.pool, admin, email, roles)).token;

for (const key of ['web', 'mobile']) await request('POST', '/v1/projects', { token: admin, body: { key } });
for (const [key, project] of [['web_a', 'web'], ['web_b', 'web'], ['mobile_a', 'mobile']] as const) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, project } });
  if (created.status !== 201) throw new Error(created.text);
}
const mobileSegment = (await request('POST', '/v1/segments', { token: admin, body: { name: 'mobile-testers', project: 'mobile', constraints: [{ contextName: 'userId', operator: 'IN', values: ['m1'] }] } })).body;

const editor = await person('ed@example.com', [{ role: 'editor', project: 'web' }]);
const viewer = await person('vi@example.com', [{ role: 'viewer', project: 'web' }]);
const mixed = await person('mix@example.com', [{ role: 'viewer', project: '*' }, { role: 'editor', project: 'web' }]);
const nobody = await person('no@example.com', []);

t.test('an editor of web changes web\'s flags and gets 403 on mobile\'s, on every route that writes a flag', async (t) => {
  const writes: Array<[string, string, unknown, unknown]> = [
    // [method, path of web, path of mobile, body]
    ['PATCH', '/v1/flags/web_a/environments/prod', '/v1/flags/mobile_a/environments/prod', { enabled: true }],
    ['PUT', '/v1/flags/web_a/environments/prod', '/v1/flags/mobile_a/environments/prod', { enabled: true, strategies: [{ name: 'default' }] }],
    ['PATCH', '/v1/flags/web_a', '/v1/flags/mobile_a', { description: 'mine now' }],
    ['POST', '/v1/flags/web_a/environments/dev/copy', '/v1/flags/mobile_a/environments/dev/copy', { from: 'prod' }],
    ['POST', '/v1/flags/web_b/environments/prod/rollouts', '/v1/flags/mobile_a/environments/prod/rollouts', { from: 5, to: 100, step: 5, every: 'PT1H' }],
  ].map(([method, web, mobile, body]) => [method as string, web as string, mobile as string, body] as [string, string, unknown, unknown]);
  for (const [method, webPath, mobilePath, body] of writes as Array<[string, string, string, unknown]>) {
    const mine = await request(method, webPath, { token: editor, body });
    t.ok(mine.status === 200 || mine.status === 201, `${method} ${webPath}: ${mine.status} ${mine.text}`);
    const theirs = await request(method, mobilePath, { token: editor, body });
    t.equal(theirs.status, 403, `${method} ${mobilePath}`);
    t.match(theirs.body.error.message, /editor role on project 'mobile'/);
  }
  t.equal((await request('GET', '/v1/flags/mobile_a', { token: admin })).body.description, '', 'nothing of mobile changed');

  t.equal((await request('POST', '/v1/flags', { token: editor, body: { key: 'web_new', project: 'web' } })).status, 201, 'creates in web');
  t.equal((await request('POST', '/v1/flags', { token: editor, body: { key: 'mobile_new', project: 'mobile' } })).status, 403, 'not in mobile');
  t.equal((await request('POST', '/v1/flags', { token: editor, body: { key: 'default_new' } })).status, 403, 'nor in default, where a flag without project goes');
  t.equal((await request('PATCH', '/v1/flags/web_b', { token: editor, body: { project: 'mobile' } })).status, 403, 'a move needs the role on both projects');
  t.equal((await request('GET', '/v1/flags/web_b', { token: admin })).body.project, 'web', 'and did not move');

  const batch = await request('POST', '/v1/environments/prod/flag-states', {
    token: editor,
    body: { changes: [{ flag: 'web_b', set: { enabled: true, strategies: [] } }, { flag: 'mobile_a', set: { enabled: false, strategies: [] } }] },
  });
  t.equal(batch.status, 403, 'a batch touching mobile is refused whole');
  t.equal((await request('GET', '/v1/flags/web_b/environments/prod', { token: admin })).body.enabled, false, 'nothing of it written');

  const importing = await request('POST', '/v1/import/unleash?environment=prod', { token: editor, body: { features: [{ name: 'mobile_a', enabled: true }] } });
  t.equal(importing.status, 403, 'an import naming a mobile flag');
  const importingNew = await request('POST', '/v1/import/unleash?environment=prod', { token: editor, body: { features: [{ name: 'imported_new', project: 'mobile', enabled: true }] } });
  t.equal(importingNew.status, 403, 'an import creating a flag in mobile');
  t.equal((await request('POST', '/v1/import/unleash?environment=prod', { token: editor, body: { features: [{ name: 'imported_web', project: 'web', enabled: true }] } })).status, 200, 'an import of web');

  t.equal((await request('PATCH', `/v1/segments/${mobileSegment.id}`, { token: editor, body: { description: 'x' } })).status, 403, 'mobile\'s segment');
  t.equal((await request('POST', '/v1/segments', { token: editor, body: { name: 'web-only', project: 'web', constraints: [] } })).status, 201, 'a web segment');

  const request403 = await request('POST', '/v1/change-requests', { token: editor, body: { environment: 'prod', title: 'mobile', changes: [{ flag: 'mobile_a', set: { enabled: true } }] } });
  t.equal(request403.status, 403, 'a change request changing a mobile flag');
  const proposed = await request('POST', '/v1/change-requests', { token: admin, body: { environment: 'prod', title: 'mobile by admin', changes: [{ flag: 'mobile_a', set: { enabled: true } }] } });
  t.equal(proposed.status, 201, proposed.text);
  t.equal((await request('POST', `/v1/change-requests/${proposed.body.id}/approve`, { token: editor })).status, 403, 'nor approves one');
  t.equal((await request('GET', `/v1/change-requests/${proposed.body.id}`, { token: editor })).status, 403, 'nor reads one');

  t.equal((await request('DELETE', '/v1/flags/mobile_a', { token: editor })).status, 403, 'nor archives mobile\'s flag');
  t.equal((await request('DELETE', '/v1/flags/web_new', { token: editor })).status, 200, 'archives its own');
});

t.test('a viewer of web reads web and writes nothing; reads of mobile are 403', async (t) => {
  t.equal((await request('GET', '/v1/flags/web_a', { token: viewer })).status, 200);
  t.equal((await request('GET', '/v1/flags/web_a/environments/prod', { token: viewer })).status, 200);
  t.equal((await request('GET', '/v1/flags/mobile_a', { token: viewer })).status, 403);
  t.equal((await request('GET', '/v1/flags/mobile_a/environments/prod', { token: viewer })).status, 403);
  t.equal((await request('GET', '/v1/flags/mobile_a/usage', { token: viewer })).status, 403);
  t.equal((await request('GET', `/v1/segments/${mobileSegment.id}`, { token: viewer })).status, 403);
  for (const [method, path, body] of [
    ['PATCH', '/v1/flags/web_a/environments/prod', { enabled: false }],
    ['PATCH', '/v1/flags/web_a', { description: 'viewer' }],
    ['POST', '/v1/flags', { key: 'by_viewer', project: 'web' }],
    ['DELETE', '/v1/flags/web_a', undefined],
  ] as const) {
    const refused = await request(method, path, { token: viewer, body });
    t.equal(refused.status, 403, `${method} ${path}`);
  }
  t.equal((await request('GET', '/v1/environments', { token: viewer })).status, 200, 'environments are every project\'s');
  t.equal((await request('GET', '/v1/flags', { token: nobody })).status, 403, 'no role at all: no list');
  t.equal((await request('PATCH', '/v1/flags/web_a/environments/prod', { token: nobody, body: { enabled: true } })).status, 403);
});

t.test('lists show only the projects a person holds the role on', async (t) => {
  const keys = (body: { flags: Array<{ key: string }> }) => body.flags.map((flag) => flag.key);
  t.same(keys((await request('GET', '/v1/flags', { token: viewer })).body), ['imported_web', 'web_a', 'web_b']);
  t.equal((await request('GET', '/v1/flags?project=mobile', { token: viewer })).status, 403, 'asking for another project');
  t.ok(keys((await request('GET', '/v1/flags', { token: mixed })).body).includes('mobile_a'), 'a viewer of every project sees every flag');
  t.same((await request('GET', '/v1/projects', { token: viewer })).body.projects.map((project: { key: string }) => project.key), ['web']);
  const segments = (await request('GET', '/v1/segments', { token: viewer })).body.segments as Array<{ project: string }>;
  t.ok(segments.length > 0 && segments.every((segment) => segment.project === 'web'), 'segments: web\'s only');

  const events = (await request('GET', '/v1/events?limit=1000', { token: viewer })).body.events as Array<{ flag?: string; segment?: number }>;
  t.ok(events.some((event) => event.flag === 'web_a'), 'web\'s events');
  t.notOk(events.some((event) => event.flag === 'mobile_a' || event.segment === mobileSegment.id), 'no event of mobile');

  const requests = (await request('GET', '/v1/change-requests', { token: viewer })).body.changeRequests as unknown[];
  t.same(requests, [], 'no change request of mobile');
  t.ok(((await request('GET', '/v1/change-requests', { token: admin })).body.changeRequests as unknown[]).length > 0, 'there is one');

  const ramps = (await request('GET', '/v1/rollouts', { token: viewer })).body.ramps as Array<{ flag: string }>;
  t.ok(ramps.length > 0 && ramps.every((ramp) => ramp.flag.startsWith('web_')), 'rollouts: web\'s');

  const snapshot = await request('GET', `/v1/environments/prod/snapshot?asOf=${new Date().toISOString()}`, { token: viewer });
  t.same(snapshot.body.flags.map((flag: { key: string }) => flag.key).sort(), ['imported_web', 'web_a', 'web_b'], `a snapshot as of now: web's ${snapshot.text.slice(0, 200)}`);
  const played = await request('POST', '/v1/playground', { token: viewer, body: { environment: 'prod', context: { userId: 'm1' } } });
  t.notMatch(played.text, /mobile_a/, 'the playground: web\'s flags');
  const exported = await request('GET', '/v1/export/unleash?environment=prod', { token: viewer });
  t.notMatch(exported.text, /mobile/, 'the export: web\'s');
});
