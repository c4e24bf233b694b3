import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Teardowns } from './environment.js';

export interface ReceivedRequest {
  /** Position in arrival order, from 0. */
  index: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Date.now() when it arrived. */
  arrivedAt: number;
  /** The status answered (undefined while stalled or never answered). */
  status?: number;
  /** Date.now() when the answer was written. */
  answeredAt?: number;
}

/**
 * How to answer one request; `delayMs`: answer after that long (a slow
 * receiver); `stall`: never answer (the sender's timeout ends it).
 */
export type ReceiverAnswer = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number } | { stall: true };

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Requests answered 2xx, in the order they were answered. */
  accepted(): ReceivedRequest[];
  answerWith(answer: (request: ReceivedRequest) => ReceiverAnswer): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers as told (200 by default). */
export async function startWebhookReceiver(t: Teardowns): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let answer: (request: ReceivedRequest) => ReceiverAnswer = () => ({ status: 200 });
  const delayed = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
      const request: ReceivedRequest = {
        index: requests.length,
        path: req.url ?? '/',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        arrivedAt: Date.now(),
      };
      requests.push(request);
      const reply = answer(request);
      if ('stall' in reply) return;
      const write = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? 'ok', () => {
          request.status = reply.status;
          request.answeredAt = Date.now();
        });
      };
      if (!reply.delayMs) return write();
      const timer = setTimeout(() => {
        delayed.delete(timer);
        write();
      }, reply.delayMs);
      delayed.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      for (const timer of delayed) clearTimeout(timer);
      delayed.clear();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  t.teardown(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    accepted: () =>
      requests
        .filter((request) => request.status !== undefined && request.status >= 200 && request.status < 300)
        .sort((a, b) => a.answeredAt! - b.answeredAt! || a.index - b.index),
    answerWith(next) {
      answer = next;
    },
    close,
  };
}
