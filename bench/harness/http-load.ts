import http from 'node:http';
import autocannon from 'autocannon';
import type { CannedResponse } from '../drivers/bare-http-server.js';
import { formatNumber } from './stats.js';

/*
 * autocannon as measure 1 (read-throughput.ts) runs it: 50 connections, a 3 s
 * warm-up, then 10 s measured, from the runner's process. The same settings
 * here, so the peers' and the scale measure's figures compare with measure 1's;
 * this module adds what those measures need beyond it: an expected status
 * other than 200 (a 304 is a success here) and any request headers.
 */
export const CONNECTIONS = 50;
export const WARM_UP_SECONDS = 3;
export const SECONDS = 10;

/** Headers the HTTP stack writes per response or per connection, not part of what the route answers. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

export interface HttpTarget {
  method: 'GET' | 'POST';
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** autocannon puts a new id where the body says `[<id>]` (a context never seen: FlagShip keeps no answer for it). */
  uniqueIds?: boolean;
  /** The status every response must have (200, or 304 for a conditional GET). */
  status: number;
}

export interface HttpLoad {
  requestsPerSecond: number;
  p99Ms: number;
  /** Responses with the expected status. */
  good: number;
  /** Errors, timeouts and responses with any other status. */
  bad: number;
}

const requestHeaders = (target: HttpTarget) => ({ ...target.headers, ...(target.body ? { 'content-type': 'application/json' } : {}) });

/**
 * One response as the server sends it to a client that asks for no encoding
 * (as autocannon does: no Accept-Encoding, so a compressing server sends
 * identity), for the bare server to replay. node:http rather than fetch:
 * fetch asks for gzip and hands back the decoded body.
 */
export function captureResponse(baseUrl: string, target: HttpTarget): Promise<CannedResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}${target.path}`, { method: target.method, headers: requestHeaders(target) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== target.status) {
          reject(new Error(`${target.method} ${baseUrl}${target.path} answered ${response.statusCode}, not ${target.status}: ${body.slice(0, 300)}`));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (!HOP_HEADERS.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ method: target.method, path: target.path.split('?')[0]!, status: target.status, headers, body });
      });
    });
    request.on('error', reject);
    request.end(target.body);
  });
}

export interface LoadOptions {
  /** Default CONNECTIONS. Fewer for answers of megabytes, which 50 at once would hold past the timeout. */
  connections?: number;
  /** autocannon's per-request timeout; default its own 10 s. */
  timeoutSeconds?: number;
}

async function run(baseUrl: string, target: HttpTarget, seconds: number, options: LoadOptions): Promise<HttpLoad> {
  const result = await autocannon({
    url: `${baseUrl}${target.path}`,
    method: target.method,
    connections: options.connections ?? CONNECTIONS,
    timeout: options.timeoutSeconds ?? 10,
    duration: seconds,
    headers: requestHeaders(target),
    body: target.body,
    idReplacement: target.uniqueIds ?? false,
  });
  const good = result.statusCodeStats?.[`${target.status}`]?.count ?? 0;
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    good,
    bad: answered - good + result.errors + result.timeouts,
  };
}

/** Warm-up, then the measured run. */
export async function loadRoute(baseUrl: string, target: HttpTarget, options: LoadOptions = {}): Promise<HttpLoad> {
  await run(baseUrl, target, WARM_UP_SECONDS, options);
  return run(baseUrl, target, SECONDS, options);
}

/** The median time of `count` requests one after the other: what one answer costs on an otherwise idle server. */
export async function timeAlone(baseUrl: string, target: HttpTarget, count = 5): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await captureResponse(baseUrl, target);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(count / 2)]!;
}

export const describeHttpLoad = (load: HttpLoad) => `${formatNumber(load.requestsPerSecond, 0)} req/s, p99 ${formatNumber(load.p99Ms)} ms`;

export const AUTOCANNON_NOTE = `autocannon ${CONNECTIONS} connections, ${WARM_UP_SECONDS} s warm-up then ${SECONDS} s (as measure 1), from the bench runner's process, on the same 2 cores as the servers.`;
