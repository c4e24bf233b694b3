import t from 'tap';
import { assertDirectWriteAllowed, type Caller } from '../../shared/domain/change-requests/caller.js';
import { startSession } from '../../shared/domain/people/session-service.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { personWithToken, type Grant } from '../helpers/people.js';

const env = await createTestEnvironment(t, 'change-requests');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

async function adminToken(name: string): Promise<string> {
  const created = await request('POST', '/v1/tokens', { token: admin, body: { name, kind: 'admin' } });
  if (created.status !== 201) throw new Error(created.text);
  return created.body.secret as string;
}
const reviewer = await adminToken('reviewer');

/** A person (an editor) with a session cookie and a personal token. */
async function editor(email: string) {
  const created = await request('POST', '/v1/users', { token: admin, body: { email, name: email.split('@')[0], roles: [{ role: 'editor', project: '*' }] } });
  if (created.status !== 201) throw new Error(created.text);
  const session = await startSession(env.pool, created.body.id, { method: 'password' });
  const cookie = `flagship_session=${session.cookieValue}`;
  const csrf = (await request('GET', '/v1/me', { headers: { cookie } })).body.csrfToken as string;
  const token = await request('POST', '/v1/me/tokens', { headers: { cookie, 'x-flagship-csrf': csrf }, body: { name: 'laptop' } });
  if (token.status !== 201) throw new Error(token.text);
  return { session: { cookie, 'x-flagship-csrf': csrf }, secret: token.body.secret as string };
}
const second = await adminToken('second-reviewer');

async function createFlag(key: string, enabled = false, rollout = 100): Promise<void> {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled, rollout } } } });
  if (created.status !== 201) throw new Error(created.text);
}

async function prodVersion(): Promise<number> {
  const { rows } = await env.pool.query<{ version: number }>(`select version::int from environment where key = 'prod'`);
  return rows[0]!.version;
}

async function open(body: Record<string, unknown>, token = admin) {
  return request('POST', '/v1/change-requests', { token, body: { environment: 'prod', title: 'launch', ...body } });
}

for (const key of ['cr_a', 'cr_b', 'cr_c', 'cr_old', 'cr_conflict', 'cr_late', 'cr_self']) await createFlag(key);
const segment = await request('POST', '/v1/segments', {
  token: admin,
  body: { name: 'cr-staff', constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }] },
});

t.test('protecting an environment: people are refused direct writes, a service account still writes (recorded as itself)', async (t) => {
  const protectedEnv = await request('PATCH', '/v1/environments/prod', { token: admin, body: { protected: true, requiredApprovals: 1 } });
  t.equal(protectedEnv.status, 200, protectedEnv.text);
  t.match(protectedEnv.body, { key: 'prod', protected: true, requiredApprovals: 1 });
  const bad = await request('PATCH', '/v1/environments/prod', { token: admin, body: { requiredApprovals: 0 } });
  t.equal(bad.status, 400);
  t.match(JSON.stringify(bad.body.error.details), /requiredApprovals/);

  // The rule, with the caller a person (a session or a personal token) and a service account.
  const person: Caller = { kind: 'user', actor: { type: 'user', id: 'u1', name: 'Ada' } };
  const service: Caller = { kind: 'admin-token', actor: { type: 'token', id: 't1', name: 'ci' } };
  await t.rejects(assertDirectWriteAllowed(env.pool, 'prod', person), { status: 409, code: 'change_request_required' });
  await t.resolves(assertDirectWriteAllowed(env.pool, 'dev', person), 'an unprotected environment is written directly');
  await t.resolves(assertDirectWriteAllowed(env.pool, 'prod', service));

  const ada = await editor('ada@example.com');
  const bySession = await request('PATCH', '/v1/flags/cr_old/environments/prod', { headers: ada.session, body: { enabled: true } });
  t.equal(bySession.status, 409, 'a person (session) is refused a direct write');
  t.equal(bySession.body.error.code, 'change_request_required');
  const byPersonalToken = await request('PUT', '/v1/flags/cr_old/environments/prod', { token: ada.secret, body: { enabled: true, strategies: [] } });
  t.equal(byPersonalToken.status, 409, 'so is a personal token');
  t.equal(byPersonalToken.body.error.code, 'change_request_required');
  const segmentEdit = await request('PATCH', `/v1/segments/${segment.body.id}`, { token: ada.secret, body: { description: 'x' } });
  t.equal(segmentEdit.body.error?.code, 'change_request_required', 'segments are global: refused while an environment is protected');
  const inDev = await request('PATCH', '/v1/flags/cr_old/environments/dev', { token: ada.secret, body: { enabled: true } });
  t.equal(inDev.status, 200, 'an unprotected environment takes the write');
  const proposed = await request('POST', '/v1/change-requests', { token: ada.secret, body: { environment: 'prod', title: 'by ada', changes: [{ flag: 'cr_old', set: { enabled: false } }] } });
  t.equal(proposed.status, 201, 'and the person proposes it instead');
  t.match(proposed.body.author, { type: 'user', name: 'ada' });
  t.equal((await request('POST', `/v1/change-requests/${proposed.body.id}/approve`, { headers: ada.session })).body.error.code, 'self_approval', 'the same person by session is still its author');
  await request('POST', `/v1/change-requests/${proposed.body.id}/cancel`, { token: ada.secret });

  const direct = await request('PATCH', '/v1/flags/cr_old/environments/prod', { token: admin, body: { enabled: true } });
  t.equal(direct.status, 200, 'an admin token (service account) writes a protected environment directly');
  t.equal(direct.body.updatedBy, 'token:FLAGSHIP_ADMIN_TOKEN', 'recorded as the token it is');

  const schedule = await request('POST', '/v1/schedules', {
    token: admin,
    body: { environment: 'prod', changes: [{ flag: 'cr_a', set: { enabled: true } }], at: new Date(Date.now() + 60_000).toISOString() },
  });
  t.equal(schedule.status, 409);
  t.equal(schedule.body.error.code, 'change_request_required', 'a protected environment takes schedules only as change requests');
});

t.test('a change request: opening, approving and commenting move nothing; applying moves the version by exactly one', async (t) => {
  const before = await prodVersion();
  const opened = await open({
    changes: [
      { flag: 'cr_a', set: { enabled: true, rollout: 40 } },
      { flag: 'cr_b', set: { enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '70', stickiness: 'default', groupId: 'cr_b' }, segments: [segment.body.id] }] } },
      { segment: segment.body.id, set: { description: 'changed with the launch' } },
      { flag: 'cr_old', archive: true },
    ],
  });
  t.equal(opened.status, 201, opened.text);
  t.equal(opened.body.state, 'open');
  const id = opened.body.id as string;

  const comment = await request('POST', `/v1/change-requests/${id}/comments`, { token: reviewer, body: { body: 'the banner goes too' } });
  t.equal(comment.status, 201);
  const detail = await request('GET', `/v1/change-requests/${id}`, { token: admin });
  t.equal(detail.status, 200);
  t.equal(detail.body.diff.length, 4);
  t.match(detail.body.diff[0], { subject: 'flag:cr_a', conflicted: false, before: { enabled: false }, after: { enabled: true, rollout: 40 } });
  t.match(detail.body.comments, [{ body: 'the banner goes too', author: { type: 'token', name: 'reviewer' } }]);

  const selfApproval = await request('POST', `/v1/change-requests/${id}/approve`, { token: admin });
  t.equal(selfApproval.status, 403);
  t.equal(selfApproval.body.error.code, 'self_approval', 'the author never approves their own request');
  const notYet = await request('POST', `/v1/change-requests/${id}/apply`, { token: reviewer });
  t.equal(notYet.status, 409, 'an open request cannot be applied');
  t.equal(await prodVersion(), before, 'opening, commenting and refused calls did not move the version');

  const approved = await request('POST', `/v1/change-requests/${id}/approve`, { token: reviewer });
  t.equal(approved.status, 200, approved.text);
  t.equal(approved.body.state, 'approved');
  const twice = await request('POST', `/v1/change-requests/${id}/approve`, { token: reviewer });
  t.equal(twice.status, 409, 'an approved request takes no more approvals');
  t.equal(await prodVersion(), before, 'approving did not move the version');

  const applied = await request('POST', `/v1/change-requests/${id}/apply`, { token: second });
  t.equal(applied.status, 200, applied.text);
  t.equal(applied.body.state, 'applied');
  t.equal(await prodVersion(), before + 1, 'one version for the whole request');
  t.equal(applied.body.appliedVersion, before + 1);

  const { rows } = await env.pool.query<{ subject: string; version: number; actor: unknown; request: string }>(
    `select coalesce(flag_key, 'segment:' || segment_id) as subject, version::int, actor, change_request_id::text as request
       from change_event where environment_key = 'prod' and version = $1 order by id`,
    [before + 1],
  );
  t.same(rows.map((row) => row.subject).sort(), ['cr_a', 'cr_b', 'cr_old', `segment:${segment.body.id}`].sort(), 'one event per subject, all at that version');
  t.ok(rows.every((row) => row.request === id), 'each event names the request');
  t.match(rows[0]!.actor, { type: 'change-request', id, name: 'launch', appliedBy: { type: 'token', name: 'second-reviewer' } });
  const events = await request('GET', '/v1/events?environment=prod&flag=cr_a', { token: admin });
  t.match(events.body.events.at(-1), { version: before + 1, changeRequestId: id, after: { enabled: true, rollout: 40 } });
  const archived = await request('GET', '/v1/flags/cr_old', { token: admin });
  t.ok(archived.body.archivedAt, 'the archive applied');
});

t.test('conflicts: a subject that moved since opening is never overwritten', async (t) => {
  // Moved before approval: approving finds it.
  const first = await open({ changes: [{ flag: 'cr_conflict', set: { rollout: 10 } }, { flag: 'cr_c', set: { enabled: true } }] });
  await request('PATCH', '/v1/flags/cr_conflict/environments/prod', { token: admin, body: { rollout: 55 } });
  const before = await prodVersion();
  const approve = await request('POST', `/v1/change-requests/${first.body.id}/approve`, { token: reviewer });
  t.equal(approve.status, 409);
  t.equal(approve.body.error.code, 'conflicted');
  t.match(approve.body.error.details, { subjects: ['flag:cr_conflict'] });
  const read = await request('GET', `/v1/change-requests/${first.body.id}`, { token: admin });
  t.equal(read.body.state, 'conflicted');
  t.match(read.body.diff, [{ subject: 'flag:cr_conflict', conflicted: true }, { subject: 'flag:cr_c', conflicted: false }]);

  // Moved after approval: applying finds it, and writes none of the request.
  const second = await open({ changes: [{ flag: 'cr_c', set: { enabled: true } }, { flag: 'cr_late', set: { rollout: 20 } }] });
  t.equal((await request('POST', `/v1/change-requests/${second.body.id}/approve`, { token: reviewer })).body.state, 'approved');
  await request('PATCH', '/v1/flags/cr_late/environments/prod', { token: admin, body: { rollout: 30 } });
  const mid = await prodVersion();
  const apply = await request('POST', `/v1/change-requests/${second.body.id}/apply`, { token: reviewer });
  t.equal(apply.status, 409);
  t.equal(apply.body.error.code, 'conflicted');
  t.equal(await prodVersion(), mid, 'nothing of the conflicted request was written');
  const state = await request('GET', '/v1/flags/cr_c/environments/prod', { token: admin });
  t.equal(state.body.enabled, false, 'not even the change that did not conflict');
  t.equal((await request('GET', `/v1/change-requests/${second.body.id}`, { token: admin })).body.state, 'conflicted');
  t.equal(before + 1, mid, 'only the direct PATCH moved the version');
});

t.test('each approver counts once; the author never; two approvals when two are required', async (t) => {
  await request('PATCH', '/v1/environments/prod', { token: admin, body: { requiredApprovals: 2 } });
  t.teardown(() => request('PATCH', '/v1/environments/prod', { token: admin, body: { requiredApprovals: 1 } }));
  const opened = await open({ changes: [{ flag: 'cr_self', set: { enabled: true } }] }, reviewer);
  t.equal(opened.body.requiredApprovals, 2);
  t.equal((await request('POST', `/v1/change-requests/${opened.body.id}/approve`, { token: reviewer })).body.error.code, 'self_approval');
  const one = await request('POST', `/v1/change-requests/${opened.body.id}/approve`, { token: admin });
  t.equal(one.body.state, 'open', 'one of two approvals');
  const again = await request('POST', `/v1/change-requests/${opened.body.id}/approve`, { token: admin });
  t.equal(again.status, 409, 'the same approver again does not count');
  const two = await request('POST', `/v1/change-requests/${opened.body.id}/approve`, { token: second });
  t.equal(two.body.state, 'approved');
  t.equal(two.body.approvals.length, 2);
  const rejected = await request('POST', `/v1/change-requests/${opened.body.id}/reject`, { token: second, body: { reason: 'freeze' } });
  t.equal(rejected.body.state, 'rejected');
  t.equal((await request('POST', `/v1/change-requests/${opened.body.id}/apply`, { token: second })).status, 409, 'a rejected request never applies');
});

t.test('bad input: a 400 naming the change and field, nothing opened', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [[{ flag: 'cr_a', set: { rollout: 101 } }], /changes.*0.*rollout/],
    [[{ flag: 'cr_a', set: { enabled: true } }, { flag: 'missing_flag', set: { enabled: true } }], /changes.*1/],
    [[{ flag: 'cr_a', set: { enabled: true } }, { flag: 'cr_a', archive: true }], /changes.*1/],
    [[{ segment: 999999, set: { description: 'x' } }], /changes.*0/],
    [[], /changes/],
    [[{ flag: 'cr_a', archive: false }], /changes.*0.*archive/],
  ];
  const { rows: [count] } = await env.pool.query<{ n: number }>(`select count(*)::int as n from change_request`);
  for (const [changes, field] of cases) {
    const response = await open({ changes });
    t.equal(response.status, 400, `${JSON.stringify(changes)}: ${response.text}`);
    t.match(JSON.stringify(response.body.error), field);
  }
  const { rows: [after] } = await env.pool.query<{ n: number }>(`select count(*)::int as n from change_request`);
  t.equal(after!.n, count!.n);
  t.equal((await request('GET', '/v1/change-requests/not-a-uuid', { token: admin })).status, 400);
  t.equal((await request('GET', '/v1/change-requests/00000000-0000-4000-8000-000000000000', { token: admin })).status, 404);
});

t.test('listing by environment and state', async (t) => {
  const list = await request('GET', '/v1/change-requests?environment=prod&state=applied', { token: admin });
  t.equal(list.status, 200);
  t.ok(list.body.changeRequests.length >= 1);
  t.ok(list.body.changeRequests.every((request: { state: string }) => request.state === 'applied'));
});

t.test("who reviews: editors and admins of the request's projects, never a viewer nor an editor of another project", async (t) => {
  t.equal((await request('POST', '/v1/projects', { token: admin, body: { key: 'web', name: 'Web' } })).status, 201);
  for (const key of ['web_banner', 'web_footer']) {
    const created = await request('POST', '/v1/flags', { token: admin, body: { key, project: 'web', environments: { prod: { enabled: false } } } });
    t.equal(created.status, 201, created.text);
  }
  const person = async (email: string, roles: Grant[]): Promise<string> => (await personWithToken(request, env.pool, admin, email, roles)).token;
  const webEditor = await person('wendy@example.com', [{ role: 'editor', project: 'web' }]);
  const viewer = await person('vic@example.com', [{ role: 'viewer', project: '*' }]);

  const web = await open({ title: 'web only', changes: [{ flag: 'web_banner', set: { enabled: true } }] });
  const mixed = await open({ title: 'web and default', changes: [{ flag: 'web_footer', set: { enabled: true } }, { flag: 'cr_c', set: { rollout: 5 } }] });
  t.equal(web.status, 201, web.text);
  t.equal(mixed.status, 201, mixed.text);

  const byViewer = await request('POST', `/v1/change-requests/${web.body.id}/approve`, { token: viewer });
  t.equal(byViewer.status, 403, 'a viewer never approves');
  t.equal((await request('POST', `/v1/change-requests/${web.body.id}/comments`, { token: viewer, body: { body: 'lgtm' } })).status, 403, 'nor comments');
  const otherProject = await request('POST', `/v1/change-requests/${mixed.body.id}/approve`, { token: webEditor });
  t.equal(otherProject.status, 403, "an editor of web alone does not approve a request that also changes default's flags");
  t.match(otherProject.body.error.message, /editor role on project 'default'/);
  t.equal((await request('GET', `/v1/change-requests/${mixed.body.id}`, { token: admin })).body.approvals.length, 0, 'nothing recorded');

  const byWebEditor = await request('POST', `/v1/change-requests/${web.body.id}/approve`, { token: webEditor });
  t.equal(byWebEditor.status, 200, byWebEditor.text);
  t.equal(byWebEditor.body.state, 'approved', "an editor of the flag's project approves");
  const applied = await request('POST', `/v1/change-requests/${web.body.id}/apply`, { token: webEditor });
  t.equal(applied.body.state, 'applied', 'and applies');

  const proposedOutside = await request('POST', '/v1/change-requests', {
    token: webEditor,
    body: { environment: 'prod', title: 'not mine', changes: [{ flag: 'cr_c', set: { enabled: true } }] },
  });
  t.equal(proposedOutside.status, 403, "nor proposes changes to another project's flags");
  await request('POST', `/v1/change-requests/${mixed.body.id}/cancel`, { token: admin });
});

t.test('approved before its time it waits as scheduled; approved after its time it applies at once', async (t) => {
  await createFlag('cr_due');
  await createFlag('cr_ahead');
  const ahead = await open({ title: 'tomorrow', scheduledAt: new Date(Date.now() + 86_400_000).toISOString(), changes: [{ flag: 'cr_ahead', set: { enabled: true } }] });
  const before = await prodVersion();
  const waiting = await request('POST', `/v1/change-requests/${ahead.body.id}/approve`, { token: reviewer });
  t.equal(waiting.body.state, 'scheduled', 'a future scheduledAt: scheduled, for the worker');
  t.equal(await prodVersion(), before, 'nothing applied');

  const late = await open({ title: 'overdue', scheduledAt: new Date(Date.now() - 1000).toISOString(), changes: [{ flag: 'cr_due', set: { enabled: true } }] });
  t.equal(late.status, 201, late.text);
  const approved = await request('POST', `/v1/change-requests/${late.body.id}/approve`, { token: reviewer });
  t.equal(approved.status, 200, approved.text);
  t.equal(approved.body.state, 'applied', 'its time has passed: the approval applies it');
  t.equal(approved.body.appliedVersion, before + 1);
  t.match(approved.body.appliedBy, { type: 'token', name: 'reviewer' }, 'applied by the approver');
  t.equal((await request('GET', '/v1/flags/cr_due/environments/prod', { token: admin })).body.enabled, true);
  await request('POST', `/v1/change-requests/${ahead.body.id}/cancel`, { token: admin });
});

t.test('expectedVersion per change: a change based on a version that is no longer current is refused at opening (412 naming it), nothing opened', async (t) => {
  await createFlag('cr_expected');
  const state = await request('GET', '/v1/flags/cr_expected/environments/prod', { token: admin });
  const flagVersion = state.body.version as number;
  const segmentId = segment.body.id as number;

  // Current versions: opened, and the versions are not stored in the changes.
  const fresh = await open({ changes: [{ flag: 'cr_expected', set: { rollout: 40 }, expectedVersion: flagVersion }, { segment: segmentId, set: { description: 'x' } }] });
  t.equal(fresh.status, 201, fresh.text);
  t.notOk('expectedVersion' in fresh.body.changes[0], 'the change is stored without it');
  const read = await request('GET', `/v1/change-requests/${fresh.body.id}`, { token: admin });
  t.match(read.body.diff, [{ subject: 'flag:cr_expected', baseVersion: flagVersion }, { subject: `segment:${segmentId}` }]);
  const segmentVersion = read.body.diff[1].baseVersion as number | null;
  const withSegment = await open({ changes: [{ segment: segmentId, set: { description: 'y' }, expectedVersion: segmentVersion ?? 0 }] });
  t.equal(withSegment.status, segmentVersion === null ? 412 : 201, withSegment.text);

  // The flag moves: a request based on its old version is refused, naming the change.
  const moved = await request('PATCH', '/v1/flags/cr_expected/environments/prod', { token: admin, body: { rollout: 60 } });
  t.equal(moved.status, 200, moved.text);
  const { rows: [count] } = await env.pool.query<{ n: number }>(`select count(*)::int as n from change_request`);
  const stale = await open({
    changes: [
      { flag: 'cr_a', set: { enabled: true } },
      { flag: 'cr_expected', set: { rollout: 40 }, expectedVersion: flagVersion },
    ],
  });
  t.equal(stale.status, 412, stale.text);
  t.equal(stale.body.error.code, 'precondition_failed');
  t.match(stale.body.error.details, [{ path: ['changes', 1, 'expectedVersion'], subject: 'flag:cr_expected', currentVersion: moved.body.version }]);
  t.match(stale.body.error.message, /changes\[1\]/);

  // A segment's stale version, and a bad one.
  const staleSegment = await open({ changes: [{ segment: segmentId, set: { description: 'z' }, expectedVersion: (segmentVersion ?? 0) + 1000 }] });
  t.equal(staleSegment.status, 412, staleSegment.text);
  t.match(staleSegment.body.error.details, [{ path: ['changes', 0, 'expectedVersion'], subject: `segment:${segmentId}` }]);
  const bad = await open({ changes: [{ flag: 'cr_expected', set: { rollout: 40 }, expectedVersion: -1 }] });
  t.equal(bad.status, 400, bad.text);
  t.match(JSON.stringify(bad.body.error), /changes.*0.*expectedVersion/);
  const { rows: [after] } = await env.pool.query<{ n: number }>(`select count(*)::int as n from change_request`);
  t.equal(after!.n, count!.n, 'nothing opened');

  // The current version, after the move, opens.
  const current = await open({ changes: [{ flag: 'cr_expected', set: { rollout: 40 }, expectedVersion: moved.body.version }] });
  t.equal(current.status, 201, current.text);
});
