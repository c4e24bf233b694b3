import { readFile } from 'node:fs/promises';
import t, { type Test } from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { dumpDatabase } from './support/database-dump.js';

/*
 * Segment ids live in a PostgreSQL integer column. An id beyond it was a 500
 * on every route taking one, and importing 2147483647 set the id sequence to
 * its maximum: every later POST /v1/segments failed, and the segment could be
 * neither read nor deleted (the path refused ten digits).
 */

const env = await createTestEnvironment(t, 'segment-ids');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const BEYOND_INTEGER = 2_147_483_648;

await request('POST', '/v1/flags', { token: admin, body: { key: 'checkout' } });

/** Asserts a 400 whose details name `path`, and that nothing was written. */
async function refusedNaming(t: Test, send: () => Promise<{ status: number; text: string; body: any }>, path: string, what: string) {
  const dump = await dumpDatabase(env.pool);
  const answer = await send();
  t.equal(answer.status, 400, `${what}: ${answer.text}`);
  t.ok(
    answer.body?.error?.details?.some((detail: { path: Array<string | number> }) => detail.path.join('.') === path),
    `${what} names ${path}: ${answer.text}`,
  );
  t.same(await dumpDatabase(env.pool), dump, `${what}: nothing stored`);
}

t.test('an id beyond the integer column is a 400 naming the field on every route that takes one', async (t) => {
  for (const id of [BEYOND_INTEGER, '99999999999999999999']) {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      await refusedNaming(t, () => request(method, `/v1/segments/${id}`, { token: admin, body: method === 'PATCH' ? { name: 'x' } : undefined }), 'id', `${method} /v1/segments/${id}`);
    }
  }
  for (const id of [BEYOND_INTEGER, 2 ** 53, 0]) {
    await refusedNaming(
      t,
      () => request('PUT', '/v1/flags/checkout/environments/prod', { token: admin, body: { enabled: true, strategies: [{ name: 'default', segments: [id] }] } }),
      'strategies.0.segments.0',
      `PUT with segments [${id}]`,
    );
    await refusedNaming(
      t,
      () => request('POST', '/v1/import/unleash?environment=prod', { token: admin, body: { features: [{ name: 'imported', enabled: true, strategies: [{ name: 'default', segments: [id] }] }] } }),
      'features.0.strategies.0.segments.0',
      `an imported strategy with segments [${id}]`,
    );
    await refusedNaming(
      t,
      () => request('POST', '/v1/import/unleash?environment=prod', { token: admin, body: { features: [], segments: [{ id, constraints: [] }] } }),
      'segments.0.id',
      `an imported segment ${id}`,
    );
  }
});

t.test('an import cannot use the ids kept for segments created here, so creating one always works', async (t) => {
  await refusedNaming(
    t,
    () => request('POST', '/v1/import/unleash?environment=prod', { token: admin, body: { features: [], segments: [{ id: 2_147_483_647, constraints: [] }] } }),
    'segments.0.id',
    'an imported segment 2147483647',
  );
  const highest = await request('POST', '/v1/import/unleash?environment=prod', {
    token: admin,
    body: { features: [], segments: [{ id: 1_000_000_000, name: 'highest-imported', constraints: [] }] },
  });
  t.equal(highest.status, 200, highest.text);
  const created = await request('POST', '/v1/segments', { token: admin, body: { name: 'made-here', constraints: [] } });
  t.equal(created.status, 201, created.text);
  t.equal(created.body.id, 1_000_000_001);
  t.equal((await request('GET', '/v1/segments/1000000000', { token: admin })).status, 200);
  t.equal((await request('DELETE', '/v1/segments/1000000000', { token: admin })).status, 200);
});

t.test('an import below the ids already given does not wind the sequence back onto a deleted segment', async (t) => {
  const doomed = await request('POST', '/v1/segments', { token: admin, body: { name: 'doomed', constraints: [] } });
  t.equal((await request('DELETE', `/v1/segments/${doomed.body.id}`, { token: admin })).status, 200);
  const low = await request('POST', '/v1/import/unleash?environment=prod', { token: admin, body: { features: [], segments: [{ id: 5, name: 'low', constraints: [] }] } });
  t.equal(low.status, 200, low.text);
  const next = await request('POST', '/v1/segments', { token: admin, body: { name: 'after-low', constraints: [] } });
  t.equal(next.status, 201, next.text);
  t.ok(next.body.id > doomed.body.id, `a new id (${next.body.id}), not the deleted ${doomed.body.id} again`);
});

t.test('a database an older import left at the maximum: the migration repairs creation, and that segment can be read and deleted', async (t) => {
  await env.pool.query(`insert into segment (id, name, description, constraints) values (2147483647, 'stuck', '', '[]')`);
  await env.pool.query(`select setval(pg_get_serial_sequence('segment', 'id'), 2147483647)`);
  const stuck = await request('POST', '/v1/segments', { token: admin, body: { name: 'while-stuck', constraints: [] } });
  t.not(stuck.status, 201, 'the sequence is exhausted before the repair');
  await env.pool.query(await readFile(new URL('../../shared/db/migrations/000013_segment_id_sequence.sql', import.meta.url), 'utf8'));
  const created = await request('POST', '/v1/segments', { token: admin, body: { name: 'after-repair', constraints: [] } });
  t.equal(created.status, 201, created.text);
  t.ok(created.body.id < 1_000_000_000, `an id below the imported range (${created.body.id})`);
  const read = await request('GET', '/v1/segments/2147483647', { token: admin });
  t.equal(read.status, 200, read.text);
  const deleted = await request('DELETE', '/v1/segments/2147483647', { token: admin });
  t.equal(deleted.status, 200, deleted.text);
});
