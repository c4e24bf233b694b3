import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

/*
 * The audit log's cursor cannot skip: a reader pages through GET /v1/events
 * (no environment filter, small pages) while writers change flags in several
 * environments at once, with transactions held open so that a later event id
 * commits before an earlier one. Every event must be seen exactly once. Paging
 * by `id > after` skipped the earlier id whenever it committed after the
 * reader had passed the later one.
 */

const env = await createTestEnvironment(t, 'audit-cursor');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const CHANGES_PER_WRITER = 40;
for (const key of ['w_dev', 'w_staging', 'w_prod']) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key } });
  if (created.status !== 201) throw new Error(created.text);
}

interface Event {
  id: number;
  environment: string;
  version: number;
}

t.test('a reader paging while three environments are written concurrently sees every event once', async (t) => {
  const seen: Event[] = [];
  let after = '';
  const readPage = async () => {
    const page = await request('GET', `/v1/events?limit=3${after === '' ? '' : `&after=${after}`}`, { token: admin });
    if (page.status !== 200) throw new Error(page.text);
    seen.push(...(page.body.events as Event[]));
    after = page.body.cursor;
  };

  let writing = true;
  const writers = ENVIRONMENTS.map(async (environment) => {
    const client = await env.pool.connect();
    try {
      for (let step = 0; step < CHANGES_PER_WRITER; step += 1) {
        await client.query('begin');
        await client.query(
          `update flag_state set enabled = not enabled
            where environment_key = $1 and flag_id = (select id from flag where key = $2)`,
          [environment, `w_${environment}`],
        );
        // Hold the transaction open a moment: its event id is taken, and other
        // environments' later ids commit meanwhile.
        await new Promise((resolve) => setTimeout(resolve, step % 3 === 0 ? 15 : 1));
        await client.query('commit');
      }
    } finally {
      client.release();
    }
  });
  const reader = (async () => {
    while (writing) await readPage();
  })();
  await Promise.all(writers);
  writing = false;
  await reader;
  await readPage();
  for (;;) {
    const before = seen.length;
    await readPage();
    if (seen.length === before) break;
  }

  const { rows } = await env.pool.query<Event>(`select id, environment_key as environment, version from change_event order by id`);
  const ids = seen.map((event) => event.id);
  t.equal(new Set(ids).size, ids.length, 'no event twice');
  t.same([...ids].sort((a, b) => a - b), rows.map((row) => row.id), 'every event, none skipped');
  for (const environment of ENVIRONMENTS) {
    const versions = seen.filter((event) => event.environment === environment).map((event) => event.version);
    t.same(versions, [...versions].sort((a, b) => a - b), `${environment}: in version order`);
  }
});
