import t from 'tap';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Assert = { notMatch(...args: any[]): unknown };
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

/*
 * Projects over HTTP: the admin API (CRUD, bad input, flags and segments in
 * projects, moves), and every HTTP channel a token of one project reads: it
 * never sees another project's flag, segment or answer.
 */

const env = await createTestEnvironment(t, 'projects-api');
const { request, usage } = await startTestApi(t, env);
const admin = env.adminSecret;

const token = async (kind: 'sdk' | 'frontend', projects?: string[]) => {
  const response = await request('POST', '/v1/tokens', { token: admin, body: { name: `${kind}-${projects?.join('+') ?? 'all'}`, kind, environment: 'prod', ...(projects ? { projects } : {}) } });
  if (response.status !== 201) throw new Error(`token: ${response.status} ${response.text}`);
  return response.body as { token: { id: string; projects: string[] }; secret: string; unleashSecret: string };
};

// Two teams' flags, a segment each, and tokens of each.
for (const key of ['web', 'mobile']) await request('POST', '/v1/projects', { token: admin, body: { key } });
const webSegment = (await request('POST', '/v1/segments', { token: admin, body: { name: 'web-staff', project: 'web', constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@web.example'] }] } })).body;
const mobileSegment = (await request('POST', '/v1/segments', { token: admin, body: { name: 'mobile-secret-list', project: 'mobile', constraints: [{ contextName: 'userId', operator: 'IN', values: ['mobile-user-1'] }] } })).body;
for (const [key, project] of [['web_banner', 'web'], ['web_checkout', 'web'], ['mobile_secret', 'mobile'], ['legacy', undefined]] as const) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, ...(project ? { project } : {}), environments: { prod: { enabled: true, rollout: 100 } } } });
  if (created.status !== 201) throw new Error(created.text);
}
await request('PUT', '/v1/flags/mobile_secret/environments/prod', { token: admin, body: { enabled: true, strategies: [{ name: 'default', segments: [mobileSegment.id] }] } });
await request('PUT', '/v1/flags/web_checkout/environments/prod', { token: admin, body: { enabled: true, strategies: [{ name: 'default', segments: [webSegment.id] }] } });

t.test('projects: create, read, list, edit, delete only when empty, and bad input naming the field', async (t) => {
  const created = await request('POST', '/v1/projects', { token: admin, body: { key: 'crud', name: 'CRUD', description: 'a team' } });
  t.equal(created.status, 201, created.text);
  t.match(created.body, { key: 'crud', name: 'CRUD', description: 'a team' });
  t.equal((await request('POST', '/v1/projects', { token: admin, body: { key: 'crud' } })).status, 409, 'a key is taken once');
  const listed = await request('GET', '/v1/projects', { token: admin });
  t.ok(listed.body.projects.some((project: { key: string }) => project.key === 'default'), '`default` exists');
  t.equal((await request('PATCH', '/v1/projects/crud', { token: admin, body: { name: 'Renamed' } })).body.name, 'Renamed');
  t.equal((await request('GET', '/v1/projects/nope', { token: admin })).status, 404);

  const bad = await request('POST', '/v1/projects', { token: admin, body: { key: 'Bad Key!' } });
  t.equal(bad.status, 400);
  t.same(bad.body.error.details.map((detail: { path: string[] }) => detail.path.join('.')), ['key']);
  const unknownField = await request('POST', '/v1/projects', { token: admin, body: { key: 'ok', colour: 'red' } });
  t.equal(unknownField.status, 400);
  const emptyPatch = await request('PATCH', '/v1/projects/crud', { token: admin, body: {} });
  t.equal(emptyPatch.status, 400);
  t.equal((await request('POST', '/v1/projects', { body: { key: 'anon' } })).status, 401, 'admin only');
  const sdk = await token('sdk');
  t.equal((await request('POST', '/v1/projects', { token: sdk.secret, body: { key: 'bysdk' } })).status, 403, 'an sdk token is no admin');

  t.equal((await request('POST', '/v1/flags', { token: admin, body: { key: 'crud_flag', project: 'crud' } })).status, 201);
  const notEmpty = await request('DELETE', '/v1/projects/crud', { token: admin });
  t.equal(notEmpty.status, 409, 'a project with a flag stays');
  t.match(notEmpty.body.error.message, /1 flag/);
  t.equal((await request('PATCH', '/v1/flags/crud_flag', { token: admin, body: { project: 'default' } })).status, 200);
  const scoped = await token('sdk', ['crud']);
  t.equal((await request('DELETE', '/v1/projects/crud', { token: admin })).status, 409, 'a live token naming it keeps it');
  t.equal((await request('DELETE', `/v1/tokens/${scoped.token.id}`, { token: admin })).status, 200);
  t.equal((await request('DELETE', '/v1/projects/crud', { token: admin })).status, 200, 'empty: deleted');
  t.equal((await request('GET', '/v1/projects/crud', { token: admin })).status, 404);
  t.equal((await request('DELETE', '/v1/projects/default', { token: admin })).status, 409, '`default` never goes');
});

t.test('flags and segments live in projects; references never cross them', async (t) => {
  const flag = await request('GET', '/v1/flags/web_banner', { token: admin });
  t.equal(flag.body.project, 'web');
  t.equal(flag.body.environments.prod.project, 'web', 'each state says its project');
  t.equal((await request('GET', '/v1/flags/legacy', { token: admin })).body.project, 'default', 'made without one: default');
  const web = await request('GET', '/v1/flags?project=web', { token: admin });
  t.same(web.body.flags.map((listed: { key: string }) => listed.key), ['web_banner', 'web_checkout']);
  t.same((await request('GET', '/v1/segments?project=mobile', { token: admin })).body.segments.map((segment: { id: number }) => segment.id), [mobileSegment.id]);

  const unknown = await request('POST', '/v1/flags', { token: admin, body: { key: 'nowhere', project: 'nope' } });
  t.equal(unknown.status, 400);
  t.same(unknown.body.error.details.map((detail: { path: string[] }) => detail.path.join('.')), ['project']);
  t.equal((await request('GET', '/v1/flags/nowhere', { token: admin })).status, 404, 'nothing written');
  t.equal((await request('GET', '/v1/flags?project=Bad!', { token: admin })).status, 400);

  const crossing = await request('PUT', '/v1/flags/web_banner/environments/prod', { token: admin, body: { enabled: true, strategies: [{ name: 'default', segments: [mobileSegment.id] }] } });
  t.equal(crossing.status, 400, 'a web flag cannot use a mobile segment');
  t.same(crossing.body.error.details.map((detail: { path: string[] }) => detail.path.join('.')), ['strategies.0.segments.0']);
  const crossingDependency = await request('PUT', '/v1/flags/web_banner/environments/prod', { token: admin, body: { enabled: true, strategies: [], dependencies: [{ feature: 'mobile_secret' }] } });
  t.equal(crossingDependency.status, 400, 'nor depend on a mobile flag');

  const tiedMove = await request('PATCH', '/v1/flags/web_checkout', { token: admin, body: { project: 'mobile' } });
  t.equal(tiedMove.status, 409, 'a flag using its project\'s segment cannot leave it');
  t.match(tiedMove.body.error.message, `it uses segment ${webSegment.id} ('web-staff') of project 'web'`, 'the segment named by its id and its name');
  t.same(tiedMove.body.error.details.references, [{ what: 'segment', name: String(webSegment.id), segmentName: 'web-staff', project: 'web' }]);
  t.equal((await request('GET', '/v1/flags/web_checkout', { token: admin })).body.project, 'web', 'and did not move');
  const nowhere = await request('PATCH', '/v1/flags/web_banner', { token: admin, body: { project: 'nope' } });
  t.equal(nowhere.status, 400);
  t.same(nowhere.body.error.details.map((detail: { path: string[] }) => detail.path.join('.')), ['project']);
});

t.test('token projects: stored, defaulted to every project, checked; Unleash-format secrets', async (t) => {
  const every = await token('sdk');
  t.same(every.token.projects, ['*'], 'made without projects: every project');
  t.match(every.unleashSecret, /^\*:prod\.fs_sdk_/);
  const web = await token('sdk', ['web']);
  t.same(web.token.projects, ['web']);
  t.equal(web.unleashSecret, `web:prod.${web.secret}`);
  const both = await token('frontend', ['web', 'mobile']);
  t.equal(both.unleashSecret, `[]:prod.${both.secret}`, 'several projects: Unleash writes []');
  for (const [projects, path] of [[['nope'], 'projects.0'], [['*', 'web'], 'projects'], [[], 'projects'], [['web', 'web'], 'projects'], [['Bad'], 'projects.0']] as const) {
    const refused = await request('POST', '/v1/tokens', { token: admin, body: { name: 'x', kind: 'sdk', environment: 'prod', projects } });
    t.equal(refused.status, 400, JSON.stringify(projects));
    t.ok(refused.body.error.details.some((detail: { path: string[] }) => detail.path.join('.').startsWith(path)), `${JSON.stringify(projects)} names ${path}: ${refused.text}`);
  }
  const adminWithProjects = await request('POST', '/v1/tokens', { token: admin, body: { name: 'x', kind: 'admin', projects: ['web'] } });
  t.equal(adminWithProjects.status, 400, 'admin tokens have roles, not projects');

  const features = (authorization: string) => request('GET', '/api/client/features', { headers: { authorization } });
  t.equal((await features(web.secret)).status, 200, 'the bare secret works as before');
  t.equal((await features(web.unleashSecret)).status, 200, 'the Unleash form works');
  t.equal((await features(every.unleashSecret)).status, 200, '*: for a token of every project');
  t.equal((await features(`mobile:prod.${web.secret}`)).status, 401, 'a project the token is not scoped to: no token');
  t.equal((await features(`*:prod.${web.secret}`)).status, 401, 'nor * for a token of one project');
  t.equal((await features(`web:dev.${web.secret}`)).status, 401, 'nor another environment');
  t.equal((await request('GET', '/v1/client/flags', { headers: { authorization: `Bearer ${web.unleashSecret}` } })).status, 401, 'only the Unleash routes take that form');
});

t.test('every HTTP channel shows a token of one project only that project', async (t) => {
  const web = await token('sdk', ['web']);
  const every = await token('sdk');
  const webFrontend = await token('frontend', ['web']);
  const never = (t: Assert, text: string, what: string) => {
    t.notMatch(text, /mobile_secret|mobile-secret-list|mobile-user-1/, `${what}: nothing of mobile`);
    t.notMatch(text, /legacy/, `${what}: nothing of default`);
  };

  const snapshot = await request('GET', '/v1/client/flags', { token: web.secret });
  t.same(snapshot.body.flags.map((flag: { key: string }) => flag.key), ['web_banner', 'web_checkout']);
  t.same(snapshot.body.segments.map((segment: { id: number }) => segment.id), [webSegment.id], 'only its projects\' segments');
  never(t, snapshot.text, 'snapshot');
  const all = await request('GET', '/v1/client/flags', { token: every.secret });
  t.ok(all.body.flags.length >= 4, 'a token of every project sees every flag');
  t.not(snapshot.headers.get('etag'), all.headers.get('etag'), 'scoped and unscoped snapshots have different ETags at one version');
  t.equal((await request('GET', '/v1/client/flags', { token: web.secret, headers: { 'if-none-match': snapshot.headers.get('etag')! } })).status, 304);
  t.equal((await request('GET', '/v1/client/flags', { token: web.secret, headers: { 'if-none-match': all.headers.get('etag')! } })).status, 200, 'the unscoped ETag is not this scope\'s');

  // The answer cache must not hand one scope's answer to another: the same context, unscoped first.
  const context = { context: { key: 'mobile-user-1' } };
  await request('POST', '/v1/client/evaluate', { token: every.secret, body: context });
  await request('POST', '/v1/client/evaluate', { token: every.secret, body: context });
  const evaluated = await request('POST', '/v1/client/evaluate', { token: web.secret, body: context });
  t.same(evaluated.body.flags.map((flag: { key: string }) => flag.key).sort(), ['web_banner', 'web_checkout']);
  never(t, evaluated.text, 'evaluate');

  for (const secret of [web.secret, webFrontend.secret]) {
    await request('POST', '/ofrep/v1/evaluate/flags', { token: every.secret, body: context });
    const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: secret, body: context });
    t.equal(bulk.status, 200);
    t.same(bulk.body.flags.map((flag: { key: string }) => flag.key).sort(), ['web_banner', 'web_checkout']);
    never(t, bulk.text, 'OFREP bulk');
    const single = await request('POST', '/ofrep/v1/evaluate/flags/mobile_secret', { token: secret, body: context });
    t.equal(single.status, 404, 'OFREP single: another project\'s flag does not exist for it');
    t.equal(single.body.errorCode, 'FLAG_NOT_FOUND');
    t.equal((await request('POST', '/ofrep/v1/evaluate/flags/web_banner', { token: secret, body: context })).status, 200);
  }

  const features = await request('GET', '/api/client/features', { headers: { authorization: web.unleashSecret } });
  t.same(features.body.features.map((feature: { name: string; project: string }) => [feature.name, feature.project]), [['web_banner', 'web'], ['web_checkout', 'web']], 'each feature says its project');
  t.same(features.body.query.project, ['web']);
  never(t, features.text, 'Unleash client features');
  const allFeatures = await request('GET', '/api/client/features', { headers: { authorization: every.secret } });
  t.same(allFeatures.body.features.find((feature: { name: string }) => feature.name === 'mobile_secret').project, 'mobile');
  const filtered = await request('GET', '/api/client/features?project=mobile', { headers: { authorization: every.secret } });
  t.same(filtered.body.features.map((feature: { name: string }) => feature.name), ['mobile_secret'], 'Unleash\'s project filter');
  const filteredOut = await request('GET', '/api/client/features?project=mobile', { headers: { authorization: web.secret } });
  t.same(filteredOut.body.features, [], 'a project filter beyond the token\'s projects: nothing');
  t.equal((await request('GET', '/api/client/features/mobile_secret', { headers: { authorization: web.secret } })).status, 404);

  // The build guide's read (GET /flags/{name}) takes sdk tokens too.
  const guide = await request('GET', '/flags/mobile_secret?env=prod', { token: web.secret });
  t.equal(guide.status, 404, 'the guide\'s read: another project\'s flag does not exist for it');
  never(t, guide.text, 'the guide\'s read');
  t.equal((await request('GET', '/flags/web_banner?env=prod', { token: web.secret })).status, 200);
  t.equal((await request('GET', '/flags/mobile_secret?env=prod', { token: every.secret })).status, 200, 'a token of every project reads it');

  const everyFrontend = await token('frontend');
  const unscoped = await request('POST', '/api/frontend', { headers: { authorization: everyFrontend.secret }, body: { context: { userId: 'mobile-user-1' } } });
  t.ok(unscoped.body.toggles.some((toggle: { name: string }) => toggle.name === 'mobile_secret'), 'a frontend token of every project gets the mobile flag');
  const frontend = await request('POST', '/api/frontend', { headers: { authorization: webFrontend.secret }, body: { context: { userId: 'mobile-user-1' } } });
  t.equal(frontend.status, 200, frontend.text);
  t.same(frontend.body.toggles.map((toggle: { name: string }) => toggle.name).sort(), ['web_banner'], 'the frontend API: its enabled flags only');
  never(t, frontend.text, 'Unleash frontend API');

  const report = (toggles: Record<string, unknown>) => ({ appName: 'a', instanceId: 'i', bucket: { start: new Date(Date.now() - 60_000).toISOString(), stop: new Date().toISOString(), toggles } });
  await usage.flush();
  const totalOf = async (key: string) =>
    ((await request('GET', `/v1/flags/${key}/usage`, { token: admin })).body.hours as Array<{ yes: number }>).reduce((sum, hour) => sum + hour.yes, 0);
  const [mobileBefore, webBefore] = [await totalOf('mobile_secret'), await totalOf('web_banner')];
  const sent = await request('POST', '/api/client/metrics', { headers: { authorization: web.secret }, body: report({ web_banner: { yes: 3, no: 0 }, mobile_secret: { yes: 5, no: 0 } }) });
  t.equal(sent.status, 202);
  await usage.flush();
  t.equal(await totalOf('mobile_secret'), mobileBefore, 'a report cannot count another project\'s flag');
  t.equal(await totalOf('web_banner'), webBefore + 3, 'its own flag is counted');
});

t.test('Unleash export and import keep each flag\'s and segment\'s project', async (t) => {
  const exported = await request('GET', '/v1/export/unleash?environment=prod', { token: admin });
  t.equal(exported.body.features.find((feature: { name: string }) => feature.name === 'web_banner').project, 'web');
  t.equal(exported.body.segments.find((segment: { id: number }) => segment.id === mobileSegment.id).project, 'mobile');
  const imported = await request('POST', '/v1/import/unleash?environment=prod', {
    token: admin,
    body: { features: [{ name: 'imported_mobile', project: 'mobile', enabled: true, strategies: [{ name: 'default', segments: [mobileSegment.id] }] }] },
  });
  t.equal(imported.status, 200, imported.text);
  t.equal((await request('GET', '/v1/flags/imported_mobile', { token: admin })).body.project, 'mobile');
  const crossing = await request('POST', '/v1/import/unleash?environment=prod', {
    token: admin,
    body: { features: [{ name: 'imported_crossing', project: 'web', enabled: true, strategies: [{ name: 'default', segments: [mobileSegment.id] }] }] },
  });
  t.equal(crossing.status, 400, 'an import cannot make a web flag use a mobile segment');
  t.equal((await request('GET', '/v1/flags/imported_crossing', { token: admin })).status, 404, 'and wrote nothing');
  const unknown = await request('POST', '/v1/import/unleash?environment=prod', { token: admin, body: { features: [{ name: 'x_flag', project: 'nope', enabled: true }] } });
  t.equal(unknown.status, 400);
  t.same(unknown.body.error.details.map((detail: { path: string[] }) => detail.path.join('.')), ['features.0.project']);
});
