import { gzipSync } from 'node:zlib';
import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { dumpDatabase } from './support/database-dump.js';

const env = await createTestEnvironment(t, 'api-bad-input');
const { request, url } = await startTestApi(t, env);
const admin = env.adminSecret;

const seeded = await request('POST', '/v1/flags', { token: admin, body: { key: 'existing', environments: { prod: { rollout: 40 } } } });
if (seeded.status !== 201) throw new Error(`could not seed a flag: ${seeded.text}`);

interface BadRequest {
  label: string;
  method: string;
  path: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  /** What the error message must name (the offending field, header or problem). */
  names: RegExp;
}

const json = { 'content-type': 'application/json' };
const STATE = '/v1/flags/existing/environments/prod';

const table: BadRequest[] = [
  // POST /v1/flags
  { label: 'flag key missing', method: 'POST', path: '/v1/flags', body: { description: 'x' }, status: 400, names: /body\.key/ },
  { label: 'flag key a number', method: 'POST', path: '/v1/flags', body: { key: 42 }, status: 400, names: /body\.key/ },
  { label: 'flag key with a tab', method: 'POST', path: '/v1/flags', body: { key: 'new\tui' }, status: 400, names: /body\.key/ },
  { label: 'flag key with a control character', method: 'POST', path: '/v1/flags', body: { key: 'bell\u0007' }, status: 400, names: /body\.key/ },
  { label: 'flag key of 101 characters', method: 'POST', path: '/v1/flags', body: { key: 'k'.repeat(101) }, status: 400, names: /body\.key/ },
  { label: 'flag key with a space', method: 'POST', path: '/v1/flags', body: { key: 'new ui' }, status: 400, names: /body\.key/ },
  { label: 'flag key with a slash', method: 'POST', path: '/v1/flags', body: { key: 'a/b' }, status: 400, names: /body\.key/ },
  { label: 'flag key empty', method: 'POST', path: '/v1/flags', body: { key: '' }, status: 400, names: /body\.key/ },
  { label: 'description a number', method: 'POST', path: '/v1/flags', body: { key: 'd1', description: 7 }, status: 400, names: /body\.description/ },
  { label: 'description too long', method: 'POST', path: '/v1/flags', body: { key: 'd2', description: 'x'.repeat(1001) }, status: 400, names: /body\.description/ },
  { label: 'description with a NUL character', method: 'POST', path: '/v1/flags', body: { key: 'd3', description: 'a\u0000b' }, status: 400, names: /body\.description/ },
  { label: 'environments an array', method: 'POST', path: '/v1/flags', body: { key: 'e1', environments: [] }, status: 400, names: /body\.environments/ },
  { label: 'initial enabled a string', method: 'POST', path: '/v1/flags', body: { key: 'e2', environments: { prod: { enabled: 'yes' } } }, status: 400, names: /body\.environments\.prod\.enabled/ },
  { label: 'initial rollout 101', method: 'POST', path: '/v1/flags', body: { key: 'e3', environments: { prod: { rollout: 101 } } }, status: 400, names: /body\.environments\.prod\.rollout/ },
  { label: 'initial rollout -1', method: 'POST', path: '/v1/flags', body: { key: 'e4', environments: { prod: { rollout: -1 } } }, status: 400, names: /body\.environments\.prod\.rollout/ },
  { label: 'initial rollout 12.5', method: 'POST', path: '/v1/flags', body: { key: 'e5', environments: { prod: { rollout: 12.5 } } }, status: 400, names: /body\.environments\.prod\.rollout/ },
  { label: 'initial rollout a string', method: 'POST', path: '/v1/flags', body: { key: 'e6', environments: { prod: { rollout: '50' } } }, status: 400, names: /body\.environments\.prod\.rollout/ },
  { label: 'initial state with an unknown field', method: 'POST', path: '/v1/flags', body: { key: 'e7', environments: { prod: { percent: 5 } } }, status: 400, names: /percent/ },
  { label: 'initial state for a malformed environment key', method: 'POST', path: '/v1/flags', body: { key: 'e8', environments: { PROD: { enabled: true } } }, status: 400, names: /body\.environments/ },
  { label: 'initial state for an unknown environment', method: 'POST', path: '/v1/flags', body: { key: 'e9', environments: { mars: { enabled: true } } }, status: 400, names: /mars/ },
  { label: 'initial state for __proto__', method: 'POST', path: '/v1/flags', rawBody: '{"key":"p1","environments":{"__proto__":{"enabled":true}}}', headers: json, status: 400, names: /body\.environments\.__proto__/ },
  { label: 'a top-level __proto__ field', method: 'POST', path: '/v1/flags', rawBody: '{"key":"p2","__proto__":{"description":"x"}}', headers: json, status: 400, names: /__proto__/ },
  { label: 'unknown top-level field', method: 'POST', path: '/v1/flags', body: { key: 'u1', maintainer: 'me' }, status: 400, names: /maintainer/ },
  { label: 'body an array', method: 'POST', path: '/v1/flags', body: [{ key: 'a1' }], status: 400, names: /body/ },
  { label: 'body a JSON string', method: 'POST', path: '/v1/flags', rawBody: '"new_ui"', headers: json, status: 400, names: /JSON/ },
  { label: 'body empty', method: 'POST', path: '/v1/flags', rawBody: '', headers: json, status: 400, names: /body\.key/ },
  { label: 'truncated JSON', method: 'POST', path: '/v1/flags', rawBody: '{"key": ', headers: json, status: 400, names: /JSON/ },
  { label: 'JSON with a trailing comma', method: 'POST', path: '/v1/flags', rawBody: '{"key": "t1",}', headers: json, status: 400, names: /JSON/ },
  { label: 'JSON with single quotes', method: 'POST', path: '/v1/flags', rawBody: "{'key': 't2'}", headers: json, status: 400, names: /JSON/ },
  { label: 'a number too large for JSON', method: 'PATCH', path: STATE, rawBody: '{"rollout": 1e400}', headers: json, status: 400, names: /body\.rollout/ },
  { label: 'text/plain content type', method: 'POST', path: '/v1/flags', rawBody: '{"key":"c1"}', headers: { 'content-type': 'text/plain' }, status: 415, names: /application\/json/ },
  { label: 'form content type', method: 'POST', path: '/v1/flags', rawBody: 'key=c2', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, names: /application\/json/ },
  { label: 'a charset JSON does not use', method: 'POST', path: '/v1/flags', rawBody: '{"key":"c3"}', headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, names: /charset/ },
  { label: 'an unknown content encoding', method: 'POST', path: '/v1/flags', rawBody: '{"key":"c4"}', headers: { ...json, 'content-encoding': 'compress-9000' }, status: 415, names: /encoding/ },
  { label: 'a corrupt gzip body', method: 'POST', path: '/v1/flags', rawBody: '{"key":"c5"}', headers: { ...json, 'content-encoding': 'gzip' }, status: 400, names: /could not be read/ },
  { label: 'a body over 64kb', method: 'POST', path: '/v1/flags', body: { key: 'huge', description: 'x'.repeat(70_000) }, status: 413, names: /too large/ },
  { label: 'a gzip body inflating past 64kb', method: 'POST', path: '/v1/flags', rawBody: gzipSync(JSON.stringify({ key: 'bomb', description: ' '.repeat(200_000) })), headers: { ...json, 'content-encoding': 'gzip' }, status: 413, names: /too large/ },
  // PATCH /v1/flags/{key}/environments/{env}
  { label: 'enabled a string', method: 'PATCH', path: STATE, body: { enabled: 'true' }, status: 400, names: /body\.enabled/ },
  { label: 'enabled a number', method: 'PATCH', path: STATE, body: { enabled: 1 }, status: 400, names: /body\.enabled/ },
  { label: 'rollout 101', method: 'PATCH', path: STATE, body: { rollout: 101 }, status: 400, names: /body\.rollout/ },
  { label: 'rollout negative', method: 'PATCH', path: STATE, body: { rollout: -5 }, status: 400, names: /body\.rollout/ },
  { label: 'rollout null', method: 'PATCH', path: STATE, body: { rollout: null }, status: 400, names: /body\.rollout/ },
  { label: 'rollout fractional', method: 'PATCH', path: STATE, body: { rollout: 33.3 }, status: 400, names: /body\.rollout/ },
  { label: 'neither enabled nor rollout', method: 'PATCH', path: STATE, body: {}, status: 400, names: /enabled, rollout/ },
  { label: 'a state change with an unknown field', method: 'PATCH', path: STATE, body: { enabled: true, version: 3 }, status: 400, names: /version/ },
  { label: 'If-Match not a version', method: 'PATCH', path: STATE, body: { enabled: true }, headers: { 'if-match': '"abc"' }, status: 400, names: /If-Match/ },
  { label: 'If-Match a list', method: 'PATCH', path: STATE, body: { enabled: true }, headers: { 'if-match': '"1", "2"' }, status: 400, names: /If-Match/ },
  { label: 'If-Match negative', method: 'PATCH', path: STATE, body: { enabled: true }, headers: { 'if-match': '"-1"' }, status: 400, names: /If-Match/ },
  { label: 'a malformed flag key in the path', method: 'PATCH', path: '/v1/flags/Bad%20Key/environments/prod', body: { enabled: true }, status: 400, names: /params\.key/ },
  { label: 'a malformed environment in the path', method: 'PATCH', path: '/v1/flags/existing/environments/PROD', body: { enabled: true }, status: 400, names: /params\.env/ },
  { label: 'a path that is not valid percent-encoding', method: 'GET', path: '/v1/flags/%E0%A4%A', status: 400, names: /percent-encoding/ },
  { label: 'a lone percent sign in the path', method: 'PATCH', path: '/v1/flags/%/environments/prod', body: { enabled: true }, status: 400, names: /percent-encoding/ },
  // PATCH /v1/flags/{key}
  { label: 'description missing', method: 'PATCH', path: '/v1/flags/existing', body: {}, status: 400, names: /body\.description/ },
  { label: 'renaming a flag', method: 'PATCH', path: '/v1/flags/existing', body: { description: 'x', key: 'other' }, status: 400, names: /key/ },
  // POST /v1/environments
  { label: 'environment key uppercase', method: 'POST', path: '/v1/environments', body: { key: 'Prod' }, status: 400, names: /body\.key/ },
  { label: 'environment key null', method: 'POST', path: '/v1/environments', body: { key: null }, status: 400, names: /body\.key/ },
  { label: 'environment key with a dot', method: 'POST', path: '/v1/environments', body: { key: 'eu.west' }, status: 400, names: /body\.key/ },
  { label: 'environment with an unknown field', method: 'POST', path: '/v1/environments', body: { key: 'qa', copyFrom: 'prod' }, status: 400, names: /copyFrom/ },
  // tokens
  { label: 'token kind unknown', method: 'POST', path: '/v1/tokens', body: { name: 'x', kind: 'root' }, status: 400, names: /body\.kind/ },
  { label: 'token name empty', method: 'POST', path: '/v1/tokens', body: { name: '', kind: 'admin' }, status: 400, names: /body\.name/ },
  { label: 'token name of 101 characters', method: 'POST', path: '/v1/tokens', body: { name: 'n'.repeat(101), kind: 'admin' }, status: 400, names: /body\.name/ },
  { label: 'token name with a NUL character', method: 'POST', path: '/v1/tokens', body: { name: 'a\u0000', kind: 'admin' }, status: 400, names: /body\.name/ },
  { label: 'sdk token without an environment', method: 'POST', path: '/v1/tokens', body: { name: 'x', kind: 'sdk' }, status: 400, names: /body\.environment/ },
  { label: 'admin token with an environment', method: 'POST', path: '/v1/tokens', body: { name: 'x', kind: 'admin', environment: 'prod' }, status: 400, names: /environment/ },
  { label: 'token id not a UUID', method: 'DELETE', path: '/v1/tokens/not-a-uuid', status: 400, names: /params\.id/ },
  { label: 'token id a number', method: 'DELETE', path: '/v1/tokens/123', status: 400, names: /params\.id/ },
  // query parameters
  { label: 'limit not a number', method: 'GET', path: '/v1/flags?limit=ten', status: 400, names: /query\.limit/ },
  { label: 'limit 0', method: 'GET', path: '/v1/flags?limit=0', status: 400, names: /query\.limit/ },
  { label: 'limit given twice', method: 'GET', path: '/v1/flags?limit=1&limit=2', status: 400, names: /query\.limit/ },
  { label: 'after a malformed key', method: 'GET', path: '/v1/flags?after=a%20b', status: 400, names: /query\.after/ },
  { label: 'archived not a choice', method: 'GET', path: '/v1/flags?archived=yes', status: 400, names: /query\.archived/ },
  { label: 'an unknown query parameter', method: 'GET', path: '/v1/flags?page=2', status: 400, names: /page/ },
  { label: 'a query parameter on a route that takes none', method: 'GET', path: '/v1/environments?all=1', status: 400, names: /all/ },
  { label: 'events after negative', method: 'GET', path: '/v1/events?after=-5', status: 400, names: /query\.after/ },
  { label: 'events limit over 1000', method: 'GET', path: '/v1/events?limit=5000', status: 400, names: /query\.limit/ },
  { label: 'events environment malformed', method: 'GET', path: '/v1/events?environment=Bad', status: 400, names: /query\.environment/ },
];

t.test(`${table.length} malformed requests: each a 4xx naming what is wrong, none writes`, async (t) => {
  t.ok(table.length >= 40);
  for (const bad of table) {
    const before = await dumpDatabase(env.pool);
    const { rawBody } = bad;
    const reply = typeof rawBody === 'object'
      ? await rawRequest(bad, rawBody)
      : await request(bad.method, bad.path, { token: admin, body: bad.body, rawBody, headers: bad.headers });
    t.equal(reply.status, bad.status, `${bad.label}: status`);
    t.type(reply.body?.error?.code, 'string', `${bad.label}: an error body`);
    t.match(reply.body?.error?.message, bad.names, `${bad.label}: the message names the problem`);
    t.same(await dumpDatabase(env.pool), before, `${bad.label}: nothing written`);
  }
});

t.test('validation failures list each offending field in details', async (t) => {
  const reply = await request('POST', '/v1/flags', {
    token: admin,
    body: { key: 'B A D', description: 3, environments: { prod: { rollout: 500, enabled: 'no' } } },
  });
  t.equal(reply.status, 400);
  const paths = reply.body.error.details.map((detail: { path: string[] }) => detail.path.join('.'));
  for (const path of ['key', 'description', 'environments.prod.rollout', 'environments.prod.enabled']) t.ok(paths.includes(path), path);
});

/** fetch cannot send a Buffer body with our helper; this sends bytes as they are. */
async function rawRequest(bad: BadRequest, bytes: Buffer) {
  const response = await fetch(`${url}${bad.path}`, {
    method: bad.method,
    headers: { authorization: `Bearer ${admin}`, ...bad.headers },
    body: new Uint8Array(bytes),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}
