// The read-throughput baseline: a bare node:http server, in a process of its
// own, answering each route with the exact status, headers and body FlagShip
// sent for it (captured by the runner), and nothing else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveCommands } from '../harness/ipc.js';

export interface CannedResponse {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

let server: http.Server | undefined;

async function listen({ responses }: { responses: CannedResponse[] }): Promise<{ port: number }> {
  const byRoute = new Map(responses.map((response) => [`${response.method} ${response.path}`, response]));
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const canned = byRoute.get(`${req.method} ${path}`);
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
