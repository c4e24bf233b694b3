// The push baseline: a bare Socket.IO server, in a process of its own, that
// speaks just enough of the notifier's protocol for the same clients (a
// snapshot and `flags:synced` on connect) and, on POST /write, answers and
// then broadcasts one `flags:change` to every socket with io.emit.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { FlagState } from '../../shared/schemas/flags.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { serveCommands } from '../harness/ipc.js';

let httpServer: http.Server | undefined;
let ioServer: Server | undefined;

interface ListenArgs {
  snapshot: Snapshot;
  flagKey: string;
  /** Added to the snapshot's version, so these versions never collide with FlagShip's in the same drivers. */
  versionOffset?: number;
}

async function listen({ snapshot, flagKey, versionOffset = 0 }: ListenArgs): Promise<{ port: number }> {
  let version = snapshot.version + versionOffset;
  const template = snapshot.flags.find((flag) => flag.key === flagKey);
  if (!template) throw new Error(`flag ${flagKey} is not in the snapshot`);
  httpServer = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/write') {
      res.writeHead(404).end();
      return;
    }
    req.on('data', () => undefined);
    req.on('end', () => {
      version += 1;
      const flag: FlagState = { ...template, version, rollout: version % 100, updatedAt: new Date().toISOString() };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version }));
      // Protocol 3: each change names the version sent before it (the SDK applies it only on top of that one).
      ioServer!.emit('flags:change', { environment: snapshot.environment, version, previous: version - 1, flag });
    });
  });
  // The notifier's transport options (io.ts): WebSocket only, Socket.IO's
  // defaults otherwise (perMessageDeflate off), so both send the same frames.
  ioServer = new Server(httpServer, { serveClient: false, transports: ['websocket'] });
  ioServer.on('connection', (socket) => {
    // Like the notifier: a socket that says what it holds is sent only what came after (here: nothing).
    const since = (socket.handshake.auth as { since?: unknown }).since;
    if (typeof since !== 'number') socket.emit('flags:snapshot', { ...snapshot, version });
    socket.emit('flags:synced', { environment: snapshot.environment, version });
  });
  await new Promise<void>((resolve) => httpServer!.listen(0, '127.0.0.1', resolve));
  return { port: (httpServer.address() as AddressInfo).port };
}

serveCommands({ listen, pid: () => ({ pid: process.pid }) }, async () => {
  await ioServer?.close();
});
