import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createFrontendToken, createSdkToken } from '../helpers/tokens.js';

/*
 * Usage counters are bigint. A frontend token could post `yes: 2^53-1` 1,024
 * times: the row overflowed, every later report naming the flag that hour was
 * a 500, and the API's own flush of the whole environment failed for ever
 * (the batch kept being retried with the bad row in it).
 */

const env = await createTestEnvironment(t, 'usage-overflow');
let now = new Date('2026-12-01T10:15:00.000Z');
const api = await startTestApi(t, env, { clock: () => now, metricsReportsPerMinute: 5 });
const { request } = api;
const admin = env.adminSecret;
const BIGINT_MAX = '9223372036854775807';

for (const key of ['checkout', 'search', 'poisoned']) {
  await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true } } } });
}
const sdk = (await createSdkToken(request, admin, 'prod', 'sdk-prod')).secret;
const frontend = (await createFrontendToken(request, admin, 'prod', 'web-prod')).secret;

const report = (toggles: Record<string, unknown>) => ({
  appName: 'overflow',
  bucket: { start: '2026-12-01T10:00:00.000Z', stop: '2026-12-01T10:01:00.000Z', toggles },
});

const storedYes = async (key: string) => {
  const { rows } = await env.pool.query<{ yes: string }>(
    `select u.yes::text as yes from flag_usage u join flag f on f.id = u.flag_id
      where f.key = $1 and u.environment_key = 'prod' and u.hour = '2026-12-01T10:00:00Z'`,
    [key],
  );
  return rows[0]?.yes;
};

t.test('counts beyond a plausible report are a 400 naming the field, for either kind of token', async (t) => {
  const cases: Array<[string, string, unknown, string]> = [
    ['sdk: 2^53-1', sdk, report({ checkout: { yes: Number.MAX_SAFE_INTEGER, no: 0 } }), 'bucket.toggles.checkout.yes'],
    ['sdk: a variant of 2^53-1', sdk, report({ checkout: { yes: 1, no: 0, variants: { a: Number.MAX_SAFE_INTEGER } } }), 'bucket.toggles.checkout.variants.a'],
    ['frontend: 2^53-1', frontend, report({ checkout: { yes: Number.MAX_SAFE_INTEGER, no: 0 } }), 'bucket.toggles.checkout.yes'],
    ['frontend: more than a browser evaluates', frontend, report({ checkout: { yes: 1, no: 10_001 } }), 'bucket.toggles.checkout.no'],
  ];
  for (const [label, token, body, path] of cases) {
    const path_ = label.startsWith('sdk') ? '/api/client/metrics' : '/api/frontend/client/metrics';
    const answer = await request('POST', path_, { headers: { authorization: token }, body });
    t.equal(answer.status, 400, `${label}: ${answer.text}`);
    t.ok(
      answer.body?.error?.details?.some((detail: { path: string[] }) => detail.path.join('.') === path),
      `${label} names ${path}: ${answer.text}`,
    );
  }
  t.equal(await storedYes('checkout'), undefined, 'nothing stored');
});

t.test('a row already past what JavaScript reads exactly (or at bigint max) saturates instead of failing the report', async (t) => {
  const first = await request('POST', '/api/client/metrics', { headers: { authorization: sdk }, body: report({ poisoned: { yes: 1, no: 0, variants: { a: 1 } } }) });
  t.equal(first.status, 202, first.text);
  // What 1,024 reports of 2^53-1 left behind before counts were bounded.
  await env.pool.query(
    `update flag_usage set yes = $1::bigint, variants = jsonb_build_object('a', $1::numeric)
      where flag_id = (select id from flag where key = 'poisoned')`,
    [BIGINT_MAX],
  );
  const again = await request('POST', '/api/client/metrics', { headers: { authorization: sdk }, body: report({ poisoned: { yes: 1_000_000_000, no: 0, variants: { a: 5 } } }) });
  t.equal(again.status, 202, again.text);
  t.equal(await storedYes('poisoned'), String(Number.MAX_SAFE_INTEGER), 'saturated at 2^53-1');
  const usage = await request('GET', '/v1/flags/poisoned/usage', { token: admin });
  t.equal(usage.status, 200, usage.text);
  t.same(usage.body.hours[0].yes, Number.MAX_SAFE_INTEGER);
  t.same(usage.body.hours[0].variants, { a: Number.MAX_SAFE_INTEGER });
});

t.test("the API's own flush writes the environment's counts past a row at bigint max", async (t) => {
  const evaluated = await request('POST', '/v1/client/evaluate', { token: sdk, body: { context: { key: 'user-1' } } });
  t.equal(evaluated.status, 200, evaluated.text);
  await api.usage.flush();
  t.equal(await storedYes('search'), '1', 'the other flags of the environment are written');
  t.equal(await storedYes('poisoned'), String(Number.MAX_SAFE_INTEGER), 'the poisoned one saturates');
});

t.test('a row PostgreSQL refuses is dropped alone: the rest of the batch, and later flushes, go through', async (t) => {
  // A real PostgreSQL refusal of one flag's row, whatever its cause.
  await env.pool.query(`
    create function refuse_poisoned_usage() returns trigger language plpgsql as $$
    begin
      if new.flag_id = (select id from flag where key = 'poisoned') then
        raise exception 'refused for the test' using errcode = '22003';
      end if;
      return new;
    end $$;
    create trigger refuse_poisoned_usage before insert or update on flag_usage
      for each row execute function refuse_poisoned_usage();`);
  t.teardown(() => env.pool.query(`drop trigger if exists refuse_poisoned_usage on flag_usage; drop function if exists refuse_poisoned_usage()`));
  api.usage.count('prod', 'poisoned', true);
  api.usage.count('prod', 'checkout', true);
  api.usage.count('prod', 'search', true);
  await api.usage.flush();
  t.equal(await storedYes('checkout'), '2', 'checkout written (1 from the bulk evaluation above, 1 now)');
  t.equal(await storedYes('search'), '2', 'search written');
  api.usage.count('prod', 'search', true);
  await api.usage.flush();
  t.equal(await storedYes('search'), '3', 'the next flush is not held back by the refused row');
});

t.test('a token sends at most its reports per minute: then a 429 with Retry-After, and the next minute is open again', async (t) => {
  now = new Date('2026-12-01T11:00:00.000Z');
  const send = () => request('POST', '/api/frontend/client/metrics', { headers: { authorization: frontend }, body: report({ checkout: { yes: 1, no: 0 } }) });
  for (let i = 0; i < 5; i += 1) t.equal((await send()).status, 202, `report ${i + 1} of 5`);
  const refused = await send();
  t.equal(refused.status, 429, refused.text);
  t.equal(refused.body.error.code, 'rate_limited');
  t.equal(refused.headers.get('retry-after'), '60');
  const otherToken = await request('POST', '/api/client/metrics', { headers: { authorization: sdk }, body: report({ checkout: { yes: 1, no: 0 } }) });
  t.equal(otherToken.status, 202, 'another token has its own share');
  now = new Date('2026-12-01T11:01:00.000Z');
  t.equal((await send()).status, 202, 'a minute later');
});
