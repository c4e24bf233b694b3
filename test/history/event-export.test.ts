import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createSdkToken } from '../helpers/tokens.js';
import { withTransaction } from '../../shared/db/tx.js';

const env = await createTestEnvironment(t, 'history-export');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

async function call(method: string, path: string, body?: unknown, token = admin) {
  const response = await request(method, path, { token, body });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response;
}

// More events than one page of the export (1,000), in three environments, by two actors.
await call('POST', '/v1/segments', { name: 'with, "quotes"\nand a newline', constraints: [] });
for (let flag = 0; flag < 12; flag += 1) await call('POST', '/v1/flags', { key: `flag-${flag}` });
// The bulk of the log through the change triggers in SQL (as every write path ends), a statement per round: 1,080 events in seconds.
for (let round = 0; round < 90; round += 1) {
  for (const [actor, remainder] of [
    [{ type: 'token', id: 'bootstrap-admin', name: 'FLAGSHIP_ADMIN_TOKEN' }, [1, 2]],
    [{ type: 'token', id: 'other-admin-id', name: 'other-admin' }, [0]],
  ] as const) {
    await withTransaction(
      env.pool,
      (client) =>
        client.query(
          `update flag_state s set strategies = jsonb_set(s.strategies, '{0,parameters,rollout}', to_jsonb($1::text))
             from flag f where f.id = s.flag_id and s.environment_key = 'staging'
              and (substring(f.key from 6)::int % 3) = any($2::int[])`,
          [String(round), remainder],
        ),
      { actor: { ...actor } },
    );
  }
}
await call('PATCH', '/v1/flags/flag-1/environments/dev', { enabled: true });

async function exportText(query: string, token = admin) {
  return request('GET', `/v1/events/export?${query}`, { token });
}
const lines = (text: string) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));

async function allEvents(environment: string) {
  const events = [];
  let after = '';
  for (;;) {
    const page = (await call('GET', `/v1/events?environment=${environment}&limit=1000${after ? `&after=${after}` : ''}`)).body;
    events.push(...page.events);
    if (!page.nextAfter) return events;
    after = page.nextAfter;
  }
}

t.test('NDJSON: every event of an environment, in version order, as the audit log has them', async (t) => {
  const expected = await allEvents('staging');
  t.ok(expected.length > 1000, `${expected.length} events: more than one page`);
  const response = await exportText('environment=staging');
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /application\/x-ndjson/);
  const exported = lines(response.text);
  t.equal(exported.length, expected.length, 'never truncated');
  t.same(exported.map((event) => event.version), expected.map((_, index) => index + 1), 'versions 1..N, gap-free');
  t.same(exported, JSON.parse(JSON.stringify(expected)));
});

t.test('resumable by version: from is inclusive, to too', async (t) => {
  const whole = lines((await exportText('environment=staging')).text);
  const head = lines((await exportText('environment=staging&to=700')).text);
  const tail = lines((await exportText(`environment=staging&from=${head.at(-1).version + 1}`)).text);
  t.equal(head.length, 700);
  t.same([...head, ...tail], whole, 'the two halves make the whole');
  const one = lines((await exportText('environment=staging&from=5&to=5')).text);
  t.same(one.map((event) => event.version), [5]);
  // Several environments: `after` holds the last version received of each.
  const everything = lines((await exportText('')).text);
  t.same([...new Set(everything.map((event) => event.environment))], ['dev', 'prod', 'staging'], 'environment by environment, in key order');
  const cut = everything.findIndex((event) => event.environment === 'staging' && event.version === 300);
  const received = everything.slice(0, cut + 1);
  const last: Record<string, number> = {};
  for (const event of received) last[event.environment] = event.version;
  const cursor = Object.entries(last).map(([environment, version]) => `${environment}:${version}`).join(',');
  const rest = lines((await exportText(`after=${cursor}`)).text);
  t.same([...received, ...rest], everything, 'resumed after the cursor, nothing twice, nothing missing');
});

t.test('filters: flag, actor, time', async (t) => {
  const byFlag = lines((await exportText('environment=staging&flag=flag-4')).text);
  t.ok(byFlag.length >= 90);
  t.ok(byFlag.every((event) => event.flag === 'flag-4'));
  const byActor = lines((await exportText('environment=staging&actor=token:other-admin')).text);
  const flagsByOther = new Set(byActor.map((event) => event.flag));
  t.same([...flagsByOther].sort(), ['flag-0', 'flag-3', 'flag-6', 'flag-9'], 'only the changes that actor made');
  const byActorId = lines((await exportText('environment=staging&actor=other-admin-id')).text);
  t.same(byActorId, byActor, 'the actor found by its id as by its label');
  t.equal(byActor.length, 4 * 90);
  const whole = lines((await exportText('environment=staging')).text);
  const middle = whole[600];
  const since = new Date(Date.parse(middle.createdAt) + 1).toISOString();
  const later = lines((await exportText(`environment=staging&since=${since}`)).text);
  t.ok(later.length > 0 && later.every((event) => Date.parse(event.createdAt) >= Date.parse(since) - 1));
  t.ok(later.length < whole.length - 600);
  const until = lines((await exportText(`environment=staging&until=${since}`)).text);
  t.equal(until.length + later.length, whole.length, 'until and since split the log');
});

t.test('CSV: a header, then one record per event, quoted where needed', async (t) => {
  const response = await exportText('environment=dev&format=csv');
  t.match(response.headers.get('content-type'), /text\/csv/);
  const records = parseCsv(response.text);
  t.same(records[0], ['id', 'environment', 'version', 'flag', 'segment', 'action', 'actor', 'createdAt', 'before', 'after']);
  const expected = await allEvents('dev');
  t.equal(records.length - 1, expected.length);
  const segmentRecord = records.find((record) => record[4] === '1')!;
  t.equal(JSON.parse(segmentRecord[9]!).name, 'with, "quotes"\nand a newline', 'JSON with commas, quotes and newlines survives');
  t.same(records.slice(1).map((record) => Number(record[2])), expected.map((event) => event.version));
});

t.test('bad input: 4xx naming the field', async (t) => {
  const cases: [string, number, string?][] = [
    ['from=9&to=3', 400, 'to'],
    ['format=xml', 400, 'format'],
    ['since=yesterday', 400, 'since'],
    ['from=-1', 400, 'from'],
    ['after=nonsense', 400, 'after'],
    ['bogus=1', 400],
    ['environment=nowhere', 404],
    ['flag=nope', 404],
  ];
  for (const [query, status, field] of cases) {
    const response = await exportText(query);
    t.equal(response.status, status, query);
    if (field) t.match(response.body.error.details, [{ path: [field] }], query);
  }
  const sdk = await createSdkToken(request, admin, 'staging');
  t.equal((await exportText('', sdk.secret)).status, 403);
});

/** RFC 4180, enough for the test: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 1;
    } else field += char;
  }
  return records;
}
