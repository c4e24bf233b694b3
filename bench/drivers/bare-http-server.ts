// The read-throughput baseline: a bare node:http server, in a process of its
// own, answering each route with the exact status, headers and body FlagShip
// sent for it (captured by the runner), and nothing else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveCommands } from '../harness/ipc.js';

export interface CannedResponse {
  method: string;
  /** Without the query: the bare server routes by method, path and If-None-Match only. */
  path: string;
  /** The If-None-Match this answer is for (a 304); the answer to requests without one when absent. */
  ifNoneMatch?: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

let server: http.Server | undefined;

async function listen({ responses }: { responses: CannedResponse[] }): Promise<{ port: number }> {
  const keyOf = (method: string | undefined, path: string | undefined, ifNoneMatch: string | undefined) =>
    `${method} ${path} ${ifNoneMatch ?? ''}`;
  const byRoute = new Map(responses.map((response) => [keyOf(response.method, response.path, response.ifNoneMatch), response]));
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const canned = byRoute.get(keyOf(req.method, path, req.headers['if-none-match']));
    // Read the request body (as FlagShip must) before answering.
    req.on('data', () => undefined);
    req.on('end', () => {
      if (!canned) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(canned.status, canned.headers);
      res.end(canned.body);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port };
}

serveCommands({ listen }, () => {
  server?.closeAllConnections();
  server?.close();
});
