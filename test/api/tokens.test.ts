import { createHash } from 'node:crypto';
import t from 'tap';
import { ConflictError } from '../../shared/errors.js';
import { revokeToken } from '../../shared/domain/tokens/token-service.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { dumpDatabase } from './support/database-dump.js';

const env = await createTestEnvironment(t, 'api-tokens');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

t.test('an admin token: secret shown once, stored only as its SHA-256, works at once', async (t) => {
  const created = await request('POST', '/v1/tokens', { token: admin, body: { name: 'ops', kind: 'admin' } });
  t.equal(created.status, 201);
  const { token, secret } = created.body;
  t.match(token, { name: 'ops', kind: 'admin', environment: null, revokedAt: null });
  t.type(secret, 'string');
  t.equal(created.headers.get('cache-control'), 'no-store', 'no cache keeps the secret');
  t.ok(secret.length >= 40, 'a long random secret');

  const { rows } = await env.pool.query(`select * from api_token where id = $1`, [token.id]);
  t.equal(rows[0].secret_hash, sha256(secret));
  const everyValue = JSON.stringify(await dumpDatabase(env.pool));
  t.notOk(everyValue.includes(secret), 'the secret is nowhere in the database');

  const listed = await request('GET', '/v1/tokens', { token: admin });
  t.equal(listed.status, 200);
  t.notOk(listed.text.includes(secret), 'the list never shows a secret');
  t.notOk(listed.text.includes(sha256(secret)), 'nor its hash');
  t.same(listed.body.tokens.find((listedToken: { id: string }) => listedToken.id === token.id), token);

  t.equal((await request('GET', '/v1/flags', { token: secret })).status, 200, 'the new secret works');
  const second = await request('POST', '/v1/tokens', { token: admin, body: { name: 'ops', kind: 'admin' } });
  t.not(second.body.secret, secret, 'every token has its own secret');
});

t.test('an sdk token needs an existing environment and cannot administer', async (t) => {
  const sdk = await request('POST', '/v1/tokens', { token: admin, body: { name: 'web app', kind: 'sdk', environment: 'prod' } });
  t.equal(sdk.status, 201);
  t.match(sdk.body.token, { kind: 'sdk', environment: 'prod' });
  const denied = await request('GET', '/v1/flags', { token: sdk.body.secret });
  t.equal(denied.status, 403);
  t.match(denied.body.error.message, /admin token/);

  const before = await dumpDatabase(env.pool);
  const noEnvironment = await request('POST', '/v1/tokens', { token: admin, body: { name: 'x', kind: 'sdk', environment: 'mars' } });
  t.equal(noEnvironment.status, 404);
  t.match(noEnvironment.body.error.message, /environment 'mars' does not exist/);
  const missingEnvironment = await request('POST', '/v1/tokens', { token: admin, body: { name: 'x', kind: 'sdk' } });
  t.equal(missingEnvironment.status, 400);
  t.match(missingEnvironment.body.error.details, [{ path: ['environment'] }]);
  const adminWithEnvironment = await request('POST', '/v1/tokens', { token: admin, body: { name: 'x', kind: 'admin', environment: 'prod' } });
  t.equal(adminWithEnvironment.status, 400, 'admin tokens belong to no environment');
  t.match(adminWithEnvironment.body.error.message, /environment/);
  const badKind = await request('POST', '/v1/tokens', { token: admin, body: { name: 'x', kind: 'root' } });
  t.equal(badKind.status, 400);
  t.match(badKind.body.error.details, [{ path: ['kind'] }]);
  const noName = await request('POST', '/v1/tokens', { token: admin, body: { kind: 'admin' } });
  t.equal(noName.status, 400);
  t.match(noName.body.error.details, [{ path: ['name'] }]);
  t.same(await dumpDatabase(env.pool), before, 'no refused token was stored');
});

t.test('revoking: 401 at once, twice is a 409, unknown is a 404', async (t) => {
  const created = await request('POST', '/v1/tokens', { token: admin, body: { name: 'short-lived', kind: 'sdk', environment: 'dev' } });
  const adminToken = await request('POST', '/v1/tokens', { token: admin, body: { name: 'temp admin', kind: 'admin' } });
  t.equal((await request('GET', '/v1/tokens', { token: adminToken.body.secret })).status, 200);

  for (const { body } of [created, adminToken]) {
    const revoked = await request('DELETE', `/v1/tokens/${body.token.id}`, { token: admin });
    t.equal(revoked.status, 200);
    t.match(revoked.body, { id: body.token.id, revokedAt: /^\d{4}-/ });
  }
  const refused = await request('GET', '/v1/tokens', { token: adminToken.body.secret });
  t.equal(refused.status, 401, 'the revoked secret stops working at once');
  t.match(refused.body.error.message, /revoked/);

  const again = await request('DELETE', `/v1/tokens/${created.body.token.id}`, { token: admin });
  t.equal(again.status, 409);
  t.match(again.body.error.message, /already revoked/);
  const unknown = await request('DELETE', '/v1/tokens/3b241101-e2bb-4255-8caf-4136c566a962', { token: admin });
  t.equal(unknown.status, 404);
  t.match(unknown.body.error.message, /3b241101-e2bb-4255-8caf-4136c566a962/);
  const malformed = await request('DELETE', '/v1/tokens/not-a-uuid', { token: admin });
  t.equal(malformed.status, 400);
  t.match(malformed.body.error.message, /params\.id/);
});

t.test('the last live admin token cannot be revoked, even by two requests at once', async (t) => {
  const listed = await request('GET', '/v1/tokens', { token: admin });
  const liveAdmins = listed.body.tokens.filter((token: { kind: string; revokedAt: string | null }) => token.kind === 'admin' && !token.revokedAt);
  const own = liveAdmins.find((token: { name: string }) => token.name === 'FLAGSHIP_ADMIN_TOKEN');
  const others = liveAdmins.filter((token: { id: string }) => token.id !== own.id);
  t.ok(others.length >= 1);
  const extra = await request('POST', '/v1/tokens', { token: admin, body: { name: 'last one', kind: 'admin' } });

  for (const token of others) t.equal((await request('DELETE', `/v1/tokens/${token.id}`, { token: admin })).status, 200);
  // Two admin tokens left: revoking both at once (each on its own connection,
  // as two API processes would) must leave one.
  const outcomes = await Promise.allSettled(
    [own.id, extra.body.token.id].map((id) => revokeToken(env.pool, id)),
  );
  t.same(outcomes.map((outcome) => outcome.status).sort(), ['fulfilled', 'rejected']);
  const refusal = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
  t.type(refusal.reason, ConflictError);
  t.match(refusal.reason.message, /last live admin token/);
  const first = outcomes[0]!;

  const { rows } = await env.pool.query(`select count(*)::int as live from api_token where kind = 'admin' and revoked_at is null`);
  t.equal(rows[0].live, 1);
  const survivor = first.status === 'rejected' ? admin : extra.body.secret;
  const { rows: [survivorRow] } = await env.pool.query(`select id from api_token where kind = 'admin' and revoked_at is null`);
  const self = await request('DELETE', `/v1/tokens/${survivorRow.id}`, { token: survivor });
  t.equal(self.status, 409, 'the last admin cannot revoke itself either');
  t.equal((await request('GET', '/v1/tokens', { token: survivor })).status, 200);
});
