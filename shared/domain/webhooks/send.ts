import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AddressRefusedError, resolveAllowedAddress, type AddressPolicy, type ResolvedAddress } from './address-policy.js';

/** Every attempt gives up after this long (resolving, connecting, and the answer's status). */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** What is kept of a receiver's answer: enough to debug, never a receiver's whole page. */
export const MAX_RESPONSE_BYTES = 1024;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  policy: AddressPolicy;
  timeoutMs?: number;
}

export interface AttemptResult {
  /** A 2xx answer: the receiver took the event. */
  accepted: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseBody: string | null;
}

// Connect to the address that was checked, whatever DNS says by now.
function pinnedLookup(resolved: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: resolved.address, family: resolved.family }]);
    else callback(null, resolved.address, resolved.family);
  };
}

function readAtMost(response: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = () => {
      // PostgreSQL text cannot hold U+0000.
      resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8').replaceAll('\u0000', ''));
    };
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= limit) {
        response.destroy();
        done();
      }
    });
    response.on('end', done);
    response.on('error', done);
    response.on('close', done);
  });
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * Makes one attempt: resolves and checks the address (refused addresses are
 * never contacted), POSTs the body to the pinned address, never follows a
 * redirect, keeps at most 1 KB of the answer, and gives up after the timeout.
 * Never throws: every outcome is an AttemptResult.
 */
export async function sendWebhookRequest(request: WebhookRequest): Promise<AttemptResult> {
  const started = performance.now();
  const timeoutMs = request.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: string, statusCode: number | null = null, responseBody: string | null = null): AttemptResult => ({
    accepted: false,
    statusCode,
    latencyMs: elapsed(),
    error,
    responseBody,
  });

  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return failed('the URL is not valid');
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  let outgoing: http.ClientRequest | undefined;
  try {
    const resolved = await Promise.race([resolveAllowedAddress(url, request.policy), timeout]);
    const client = url.protocol === 'https:' ? https : http;
    return await Promise.race([
      new Promise<AttemptResult>((resolve, reject) => {
        outgoing = client.request(
          url,
          {
            method: 'POST',
            headers: { ...request.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body) },
            lookup: pinnedLookup(resolved),
            // A fresh connection per attempt: a pooled one could outlive the address check.
            agent: false,
          },
          (response) => {
            const statusCode = response.statusCode ?? 0;
            void readAtMost(response, MAX_RESPONSE_BYTES).then((responseBody) => {
              const accepted = statusCode >= 200 && statusCode < 300;
              const error = accepted
                ? null
                : statusCode >= 300 && statusCode < 400
                  ? `answered ${statusCode}: redirects are not followed`
                  : `answered ${statusCode}`;
              resolve({ accepted, statusCode, latencyMs: elapsed(), error, responseBody });
            });
          },
        );
        outgoing.on('error', reject);
        outgoing.end(request.body);
      }),
      timeout,
    ]);
  } catch (error) {
    if (error instanceof AddressRefusedError) return failed(`refused: ${error.message}`);
    return failed(errorMessage(error));
  } finally {
    clearTimeout(timer);
    outgoing?.destroy();
  }
}
