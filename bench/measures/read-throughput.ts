import autocannon from 'autocannon';
import type { CannedResponse } from '../drivers/bare-http-server.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { DriverProcess } from '../harness/ipc.js';
import type { MeasureResult, ResultRow } from '../harness/report.js';
import { formatNumber } from '../harness/stats.js';

const CONNECTIONS = 50;
const WARM_UP_SECONDS = 3;
const SECONDS = 10;
const TARGET_RATIO = 0.6;

/** Headers the HTTP stack writes per response or per connection, not part of what the route answers. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

export interface Route {
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  responses: number;
  bad: number;
}

async function capture(baseUrl: string, route: Route, secret: string): Promise<CannedResponse> {
  const response = await fetch(`${baseUrl}${route.path}`, {
    method: route.method,
    headers: { authorization: `Bearer ${secret}`, ...(route.body ? { 'content-type': 'application/json' } : {}) },
    body: route.body,
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${route.method} ${route.path} answered ${response.status}: ${body.slice(0, 300)}`);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_HEADERS.has(name)) headers[name] = value;
  });
  return { method: route.method, path: route.path, status: response.status, headers, body };
}

async function load(baseUrl: string, route: Route, secret: string, seconds: number): Promise<Load> {
  const result = await autocannon({
    url: `${baseUrl}${route.path}`,
    method: route.method,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${secret}`, ...(route.body ? { 'content-type': 'application/json' } : {}) },
    body: route.body,
  });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    responses: result['2xx'],
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

/** Warm-up, then the measured run (autocannon, 50 connections). */
export async function measureRoute(baseUrl: string, route: Route, secret: string): Promise<Load> {
  await load(baseUrl, route, secret, WARM_UP_SECONDS);
  return load(baseUrl, route, secret, SECONDS);
}

export const describeLoad = (run: Load) => `${formatNumber(run.requestsPerSecond, 0)} req/s, p99 ${formatNumber(run.p99Ms)} ms`;

/**
 * Measure 1: requests per second and p99 latency of the two read routes apps
 * call, under autocannon (50 connections, 10 s after a 3 s warm-up), beside a
 * bare node:http server in its own process answering the same bytes.
 */
export const readThroughput: Measure = {
  id: 'read',
  title: 'Read throughput',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { apiUrl } = context.flagship;
    const routes: Route[] = [
      { label: 'GET /v1/client/flags (100 flags)', method: 'GET', path: '/v1/client/flags' },
      { label: 'POST /v1/client/evaluate', method: 'POST', path: '/v1/client/evaluate', body: JSON.stringify({ context: { key: 'user-4711', plan: 'pro' } }) },
    ];
    const canned = await Promise.all(routes.map((route) => capture(apiUrl, route, context.sdkSecret)));
    const bare = await DriverProcess.start('bare-http-server', 'drivers/bare-http-server.ts');
    const rows: ResultRow[] = [];
    const notes: string[] = [];
    try {
      const { port } = await bare.request<{ port: number }>('listen', { responses: canned });
      const bareUrl = `http://127.0.0.1:${port}`;
      for (const [index, route] of routes.entries()) {
        context.log(`read: ${route.label} on FlagShip`);
        const flagship = await measureRoute(apiUrl, route, context.sdkSecret);
        context.log(`read: ${route.label} on the bare server`);
        const baseline = await measureRoute(bareUrl, route, context.sdkSecret);
        const ratio = flagship.requestsPerSecond / baseline.requestsPerSecond;
        rows.push({
          measure: `1. ${route.label}`,
          figure: describeLoad(flagship),
          baseline: `bare node:http: ${describeLoad(baseline)}`,
          ratio,
          target: `≥ ${TARGET_RATIO}× bare`,
          met: ratio >= TARGET_RATIO && flagship.bad === 0,
        });
        notes.push(
          `${route.label}: ${canned[index]!.body.length} bytes per response; FlagShip answered ${flagship.responses} × 2xx and ${flagship.bad} errors or non-2xx, the bare server ${baseline.responses} × 2xx and ${baseline.bad}.`,
        );
      }
    } finally {
      await bare.stop();
    }
    notes.push(
      `autocannon ${CONNECTIONS} connections, ${WARM_UP_SECONDS} s warm-up then ${SECONDS} s, from the bench runner's process; FlagShip's API and the bare server each in their own process, on the same 2 cores as the load generator.`,
    );
    return { rows, notes };
  },
};
