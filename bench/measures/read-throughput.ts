import autocannon from 'autocannon';
import type { CannedResponse } from '../drivers/bare-http-server.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { DriverProcess } from '../harness/ipc.js';
import type { MeasureResult, ResultRow } from '../harness/report.js';
import { formatNumber } from '../harness/stats.js';

const CONNECTIONS = 50;
const WARM_UP_SECONDS = 3;
const SECONDS = 10;
/** The read measure alternates FlagShip and the bare server this many times, SECONDS / ROUNDS each. */
const ROUNDS = 4;
/** Issue 17's goals: reads of a definition near a bare server; routes that evaluate per context, less near. */
const READ_TARGET = 0.6;
const EVALUATE_TARGET = 0.4;

/** Headers the HTTP stack writes per response or per connection, not part of what the route answers. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

export interface Route {
  label: string;
  method: 'GET' | 'POST';
  /** With its query, if any. */
  path: string;
  body?: string;
  /** Request headers beyond the token and the content type (If-None-Match for a 304). */
  headers?: Record<string, string>;
  /** The status the route must answer (200 unless said). */
  status?: 200 | 304;
  /** How the token travels: `Bearer <secret>` unless 'bare' (Unleash's SDKs send the secret alone). */
  scheme?: 'bearer' | 'bare';
  /** autocannon puts a new id where the body says `[<id>]`: every request a context never seen (no kept answer). */
  uniqueContexts?: boolean;
}

export interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  /** Answers with the route's status. */
  responses: number;
  /** Any other answer, errors and timeouts. */
  bad: number;
}

function requestHeaders(route: Route, secret: string): Record<string, string> {
  return {
    authorization: route.scheme === 'bare' ? secret : `Bearer ${secret}`,
    ...(route.body ? { 'content-type': 'application/json' } : {}),
    ...route.headers,
  };
}

async function capture(baseUrl: string, route: Route, secret: string): Promise<CannedResponse> {
  const response = await fetch(`${baseUrl}${route.path}`, { method: route.method, headers: requestHeaders(route, secret), body: route.body });
  const body = await response.text();
  const expected = route.status ?? 200;
  if (response.status !== expected) {
    throw new Error(`${route.method} ${route.path} answered ${response.status}, not ${expected}: ${body.slice(0, 300)}`);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_HEADERS.has(name)) headers[name] = value;
  });
  return { method: route.method, path: route.path.split('?')[0]!, ifNoneMatch: route.headers?.['if-none-match'], status: response.status, headers, body };
}

async function load(baseUrl: string, route: Route, secret: string, seconds: number): Promise<Load> {
  const result = await autocannon({
    url: `${baseUrl}${route.path}`,
    method: route.method,
    connections: CONNECTIONS,
    duration: seconds,
    headers: requestHeaders(route, secret),
    body: route.body,
    idReplacement: route.uniqueContexts ?? false,
  });
  const responses = route.status === 304 ? result['3xx'] : result['2xx'];
  return {
    // Over the run's own length: exact for slices that are not whole seconds (autocannon averages per second).
    requestsPerSecond: result.requests.total / result.duration,
    p99Ms: result.latency.p99,
    responses,
    bad: result['1xx'] + result['2xx'] + result['3xx'] - responses + result['4xx'] + result['5xx'] + result.errors + result.timeouts,
  };
}

/** Warm-up, then the measured run (autocannon, 50 connections). */
export async function measureRoute(baseUrl: string, route: Route, secret: string): Promise<Load> {
  await load(baseUrl, route, secret, WARM_UP_SECONDS);
  return load(baseUrl, route, secret, SECONDS);
}

/** Loads added up: the rate over all their seconds, the worst p99. */
function combine(loads: Load[], secondsEach: number): Load {
  const total = (pick: (load: Load) => number) => loads.reduce((sum, load) => sum + pick(load), 0);
  return {
    requestsPerSecond: total((load) => load.requestsPerSecond * secondsEach) / (secondsEach * loads.length),
    p99Ms: Math.max(...loads.map((load) => load.p99Ms)),
    responses: total((load) => load.responses),
    bad: total((load) => load.bad),
  };
}

/**
 * FlagShip and the bare server in alternating slices (ROUNDS of SECONDS / ROUNDS
 * each, after a warm-up of both), so that load from elsewhere on the machine
 * falls on both alike: measured one after the other, a busy spell during one
 * of them moved the ratio by 3x between runs.
 */
async function measureSideBySide(flagshipUrl: string, bareUrl: string, route: Route, secret: string): Promise<{ flagship: Load; bare: Load }> {
  await load(flagshipUrl, route, secret, WARM_UP_SECONDS);
  await load(bareUrl, route, secret, WARM_UP_SECONDS);
  const slice = SECONDS / ROUNDS;
  const flagship: Load[] = [];
  const bare: Load[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    flagship.push(await load(flagshipUrl, route, secret, slice));
    bare.push(await load(bareUrl, route, secret, slice));
  }
  return { flagship: combine(flagship, slice), bare: combine(bare, slice) };
}

export const describeLoad = (run: Load) => `${formatNumber(run.requestsPerSecond, 0)} req/s, p99 ${formatNumber(run.p99Ms)} ms`;

interface ReadRoute extends Route {
  token: 'sdk' | 'frontend';
  target: number;
}

async function createFrontendToken(context: BenchContext): Promise<string> {
  const created = await context.admin.call<{ secret: string }>('POST', '/v1/tokens', {
    name: 'bench-frontend',
    kind: 'frontend',
    environment: context.environment,
  });
  return created.secret;
}

/** The routes SDKs call, each at its goal; the 304s revalidate with the ETag FlagShip just sent. */
async function readRoutes(context: BenchContext, frontendSecret: string): Promise<ReadRoute[]> {
  const etagOf = async (path: string, scheme: Route['scheme']) => {
    const response = await fetch(`${context.flagship.apiUrl}${path}`, {
      headers: { authorization: scheme === 'bare' ? context.sdkSecret : `Bearer ${context.sdkSecret}` },
    });
    await response.arrayBuffer();
    const etag = response.headers.get('etag');
    if (!etag) throw new Error(`GET ${path} sent no ETag`);
    return etag;
  };
  const snapshotEtag = await etagOf('/v1/client/flags', 'bearer');
  const featuresEtag = await etagOf('/api/client/features', 'bare');
  const userContext = { key: 'user-4711', plan: 'pro' };
  return [
    { label: 'GET /v1/client/flags (100 flags)', method: 'GET', path: '/v1/client/flags', token: 'sdk', target: READ_TARGET },
    {
      label: 'GET /v1/client/flags, 304',
      method: 'GET',
      path: '/v1/client/flags',
      headers: { 'if-none-match': snapshotEtag },
      status: 304,
      token: 'sdk',
      target: READ_TARGET,
    },
    { label: 'GET /api/client/features (Unleash)', method: 'GET', path: '/api/client/features', scheme: 'bare', token: 'sdk', target: READ_TARGET },
    {
      label: 'GET /api/client/features, 304',
      method: 'GET',
      path: '/api/client/features',
      scheme: 'bare',
      headers: { 'if-none-match': featuresEtag },
      status: 304,
      token: 'sdk',
      target: READ_TARGET,
    },
    {
      label: 'POST /v1/client/evaluate',
      method: 'POST',
      path: '/v1/client/evaluate',
      body: JSON.stringify({ context: userContext }),
      token: 'sdk',
      target: EVALUATE_TARGET,
    },
    {
      label: 'POST /ofrep/v1/evaluate/flags (bulk)',
      method: 'POST',
      path: '/ofrep/v1/evaluate/flags',
      body: JSON.stringify({ context: { targetingKey: 'user-4711', plan: 'pro' } }),
      token: 'sdk',
      target: EVALUATE_TARGET,
    },
    {
      label: 'GET /api/frontend (Unleash frontend API)',
      method: 'GET',
      path: '/api/frontend?userId=user-4711&properties%5Bplan%5D=pro',
      scheme: 'bare',
      token: 'frontend',
      target: EVALUATE_TARGET,
    },
    {
      label: 'POST /api/frontend',
      method: 'POST',
      path: '/api/frontend',
      body: JSON.stringify({ context: { userId: 'user-4711', properties: { plan: 'pro' } } }),
      scheme: 'bare',
      token: 'frontend',
      target: EVALUATE_TARGET,
    },
    // The same routes with a user never seen before on every request: each answer is computed (FlagShip keeps answers per context).
    {
      label: 'POST /v1/client/evaluate, a new user each request',
      method: 'POST',
      path: '/v1/client/evaluate',
      body: JSON.stringify({ context: { key: 'user-[<id>]', plan: 'pro' } }),
      uniqueContexts: true,
      token: 'sdk',
      target: EVALUATE_TARGET,
    },
    {
      label: 'POST /ofrep/v1/evaluate/flags, a new user each request',
      method: 'POST',
      path: '/ofrep/v1/evaluate/flags',
      body: JSON.stringify({ context: { targetingKey: 'user-[<id>]', plan: 'pro' } }),
      uniqueContexts: true,
      token: 'sdk',
      target: EVALUATE_TARGET,
    },
    {
      label: 'POST /api/frontend, a new user each request',
      method: 'POST',
      path: '/api/frontend',
      body: JSON.stringify({ context: { userId: 'user-[<id>]', properties: { plan: 'pro' } } }),
      uniqueContexts: true,
      scheme: 'bare',
      token: 'frontend',
      target: EVALUATE_TARGET,
    },
  ];
}

/**
 * Measure 1: requests per second and p99 latency of the routes SDKs call
 * (definitions, their 304s, and server-side evaluation in FlagShip's, OFREP's
 * and Unleash's frontend shapes), under autocannon (50 connections, 10 s after
 * a 3 s warm-up), each beside a bare node:http server in its own process
 * answering the same status, headers and bytes, the two measured in turns.
 */
export const readThroughput: Measure = {
  id: 'read',
  title: 'Read throughput',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { apiUrl } = context.flagship;
    const frontendSecret = await createFrontendToken(context);
    const secretOf = (route: ReadRoute) => (route.token === 'frontend' ? frontendSecret : context.sdkSecret);
    const routes = await readRoutes(context, frontendSecret);
    const canned = await Promise.all(routes.map((route) => capture(apiUrl, route, secretOf(route))));
    const bare = await DriverProcess.start('bare-http-server', 'drivers/bare-http-server.ts');
    const rows: ResultRow[] = [];
    const notes: string[] = [];
    try {
      const { port } = await bare.request<{ port: number }>('listen', { responses: canned });
      const bareUrl = `http://127.0.0.1:${port}`;
      for (const [index, route] of routes.entries()) {
        context.log(`read: ${route.label}, FlagShip and the bare server in turns`);
        const { flagship, bare: baseline } = await measureSideBySide(apiUrl, bareUrl, route, secretOf(route));
        const ratio = flagship.requestsPerSecond / baseline.requestsPerSecond;
        rows.push({
          measure: `1. ${route.label}`,
          figure: describeLoad(flagship),
          baseline: `bare node:http: ${describeLoad(baseline)}`,
          ratio,
          target: `≥ ${route.target}× bare`,
          met: ratio >= route.target && flagship.bad === 0,
        });
        const status = route.status ?? 200;
        notes.push(
          `${route.label}: ${canned[index]!.body.length} bytes per response; FlagShip answered ${flagship.responses} × ${status} and ${flagship.bad} errors or other statuses, the bare server ${baseline.responses} × ${status} and ${baseline.bad}.`,
        );
      }
    } finally {
      await bare.stop();
    }
    notes.push(
      `autocannon ${CONNECTIONS} connections, ${WARM_UP_SECONDS} s warm-up of each, then ${SECONDS} s each in ${ROUNDS} alternating slices of ${SECONDS / ROUNDS} s (FlagShip, bare, FlagShip, …; the p99 is the worst slice's), from the bench runner's process; FlagShip's API and the bare server each in their own process, on the same 2 cores as the load generator. The evaluating routes' first rows send the same user with every request, as an app or browser polling does: FlagShip keeps each context's answer while the environment stands (services/api/snapshots/answer-cache.ts), so after the first request they are served kept answers, still counted as usage. The rows "a new user each request" send a user never seen before each time (autocannon's idReplacement), so every answer is evaluated and serialised; the bare server replays one answer of the same size.`,
    );
    return { rows, notes };
  },
};
