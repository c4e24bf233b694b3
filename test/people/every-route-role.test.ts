import t from 'tap';
import { startSession } from '../../shared/domain/people/session-service.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { SESSION_COOKIE } from './support/people.js';

/*
 * Roles are enforced on every admin route, not only on the ones a test
 * names: this walks the OpenAPI document (every route is in it, with the
 * least role it needs) and asks each operation as a viewer and as an editor,
 * signed in with a session cookie and the CSRF header. A route that needs
 * more than the caller holds is a 403 `forbidden` before anything is read or
 * stored; one it may take is not refused for its role.
 */

const env = await createTestEnvironment(t, 'people-every-route');
const api = await startTestApi(t, env);
const admin = env.adminSecret;

type Role = 'viewer' | 'editor' | 'admin';
const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

async function sessionOf(role: Role): Promise<Record<string, string>> {
  const created = await api.request('POST', '/v1/users', { token: admin, body: { email: `${role}@example.com`, name: role, roles: [{ role, project: '*' }] } });
  if (created.status !== 201) throw new Error(`user not created: ${created.text}`);
  const session = await startSession(env.pool, created.body.id, { method: 'password' });
  const cookie = `${SESSION_COOKIE}=${session.cookieValue}`;
  const me = await api.request('GET', '/v1/me', { headers: { cookie } });
  return { cookie, 'x-flagship-csrf': me.body.csrfToken };
}

const document = (await api.request('GET', '/openapi.json')).body as {
  paths: Record<string, Record<string, { description?: string; security?: Array<Record<string, unknown>> }>>;
};
const operations: Array<{ method: string; path: string; role: Role | 'signed-in' | 'person' }> = [];
for (const [path, methods] of Object.entries(document.paths)) {
  for (const [method, operation] of Object.entries(methods)) {
    if (!operation.security?.some((scheme) => 'session' in scheme)) continue;
    const description = operation.description ?? '';
    const role = /needs the (viewer|editor|admin) role/.exec(description)?.[1] as Role | undefined;
    operations.push({
      method: method.toUpperCase(),
      path,
      role: role ?? (/Anyone signed in/.test(description) ? 'signed-in' : /People only/.test(description) ? 'person' : (undefined as never)),
    });
  }
}

/** A value for each path parameter: well formed, naming nothing that exists. */
function concrete(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_whole, name: string) => (/id$/i.test(name) ? '00000000-0000-4000-8000-000000000000' : 'nothing_here'));
}

/** The status only: a stream's body is never waited for. */
async function statusOf(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...headers, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    body: method === 'GET' ? undefined : '{}',
    signal: AbortSignal.timeout(20_000),
  });
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status };
  }
  const text = await response.text();
  let code: string | undefined;
  try {
    code = JSON.parse(text)?.error?.code;
  } catch {
    code = undefined;
  }
  return { status: response.status, code };
}

t.test('every admin route says the least role it needs', async (t) => {
  t.ok(operations.length >= 40, `${operations.length} operations take people`);
  t.same(operations.filter((operation) => operation.role === undefined).map((operation) => `${operation.method} ${operation.path}`), [], 'none without a role');
});

for (const caller of ['viewer', 'editor'] as const) {
  t.test(`as ${caller}: every route that needs more is a 403, every other is not refused for its role`, async (t) => {
    const headers = await sessionOf(caller);
    const wrong: string[] = [];
    let refusedCount = 0;
    for (const { method, path, role } of operations) {
      const { status, code } = await statusOf(method, concrete(path), headers);
      const allowed = role === 'signed-in' || role === 'person' || RANK[role] <= RANK[caller];
      if (!allowed) {
        refusedCount += 1;
        if (status !== 403 || code !== 'forbidden') wrong.push(`${method} ${path} (${role}): ${status} ${code}`);
      } else if ((status === 403 && code === 'forbidden') || status === 401) {
        wrong.push(`${method} ${path} (${role}): refused ${status} ${code}`);
      }
    }
    t.same(wrong, [], `${caller}: each answer as its role says`);
    t.ok(refusedCount > 0, `${refusedCount} routes refused to ${caller}`);
  });
}

t.test('with a session cookie, every POST, PUT, PATCH and DELETE without the CSRF header is 403 csrf_failed', async (t) => {
  const cookie = (await sessionOf('admin')).cookie!;
  const changes = operations.filter((operation) => operation.method !== 'GET');
  t.ok(changes.length >= 30, `${changes.length} state-changing operations`);
  const wrong: string[] = [];
  for (const { method, path } of changes) {
    const { status, code } = await statusOf(method, concrete(path), { cookie: cookie! });
    if (status !== 403 || code !== 'csrf_failed') wrong.push(`${method} ${path}: ${status} ${code}`);
  }
  t.same(wrong, []);
});

t.test('nothing was stored by the refused calls', async (t) => {
  const { rows } = await env.pool.query<{ users: number; tokens: number; webhooks: number }>(
    `select (select count(*)::int from app_user) as users,
            (select count(*)::int from api_token where kind <> 'personal') as tokens,
            (select count(*)::int from webhook) as webhooks`,
  );
  t.same(rows[0], { users: 3, tokens: 1, webhooks: 0 });
});
