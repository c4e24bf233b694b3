import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Teardowns } from './environment.js';
import { waitFor } from './worker.js';

export const HAPROXY = process.env.FLAGSHIP_HAPROXY ?? '/usr/sbin/haproxy';

/** A port free on 127.0.0.1 right now (the kernel's pick), for a process that must keep one port across restarts. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface HaproxyBackends {
  /** The API processes' ports: every path but Socket.IO's. */
  api: number[];
  /** The notifiers' ports: `/socket.io/`. */
  notifier: number[];
}

/**
 * The configuration docs/operations.md recommends, for one frontend on
 * 127.0.0.1:`port`: round-robin, no stickiness, `/socket.io/` to the
 * notifiers and everything else to the APIs, servers checked on /readyz,
 * a request whose connection is refused retried on another server, and a
 * tunnel timeout long enough for WebSocket and SSE (both send heartbeats
 * well within it).
 */
export function haproxyConfig(port: number, backends: HaproxyBackends): string {
  const servers = (name: string, ports: number[]) =>
    ports.map((backendPort, index) => `  server ${name}${index} 127.0.0.1:${backendPort} check`).join('\n');
  return `global
  maxconn 4000

defaults
  mode http
  option http-server-close
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout tunnel 1h
  timeout http-keep-alive 5s
  timeout queue 5s
  timeout check 5s
  retries 3
  option redispatch 1
  default-server inter 1s fall 2 rise 1

frontend flagship
  bind 127.0.0.1:${port}
  acl socket_io path_beg /socket.io/
  use_backend notifiers if socket_io
  default_backend apis

backend apis
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
${servers('api', backends.api)}

backend notifiers
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
${servers('notifier', backends.notifier)}
`;
}

export interface RunningHaproxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Runs Debian's HAProxy in the foreground with `haproxyConfig`, written to a temporary folder; stopped at teardown. */
export async function startHaproxy(t: Teardowns, backends: HaproxyBackends): Promise<RunningHaproxy> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flagship-haproxy-'));
  const port = await freePort();
  const file = path.join(dir, 'haproxy.cfg');
  await writeFile(file, haproxyConfig(port, backends));
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let ended = false;
  void exited.then(() => (ended = true));
  const close = async () => {
    if (!ended) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  t.teardown(close);
  await waitFor(`HAProxy to listen on ${port}`, async () => {
    if (ended) throw new Error(`HAProxy exited: ${stderr}`);
    return new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  });
  return { url: `http://127.0.0.1:${port}`, port, close };
}
