import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** One client connection and its upstream one. */
interface Link {
  client: net.Socket;
  /** Opened when the link starts forwarding (a connection accepted during a black hole waits for it). */
  upstream: net.Socket | undefined;
}

type Mode = 'pass' | 'close' | 'reset' | 'black-hole';

/**
 * A TCP proxy in front of a server (PostgreSQL, Redis) that a test can break
 * in the ways a network does:
 *
 * - `cut()`: closes every open connection and refuses new ones (a restart);
 * - `reset()`: the same with TCP resets (RST), as a failing load balancer does;
 * - `blackHole()`: a partition that drops packets. Connections stay open and
 *   new ones are accepted, but nothing goes through in either direction
 *   until `restore()`, when what was held back flows again (as TCP
 *   retransmission delivers it after a partition heals).
 *
 * `restore()` ends any of them.
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  private mode: Mode = 'pass';
  port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {
    this.server = net.createServer((client) => this.accept(client));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  private accept(client: net.Socket): void {
    if (this.mode === 'close' || this.mode === 'reset') {
      if (this.mode === 'reset') client.resetAndDestroy();
      else client.destroy();
      return;
    }
    const link: Link = { client, upstream: undefined };
    this.links.add(link);
    client.on('error', () => this.drop(link));
    client.on('close', () => this.drop(link));
    if (this.mode === 'black-hole') client.pause();
    else this.forward(link);
  }

  private forward(link: Link): void {
    if (!link.upstream) {
      const upstream = net.connect(this.targetPort, this.targetHost);
      link.upstream = upstream;
      upstream.on('error', () => this.drop(link));
      upstream.on('close', () => this.drop(link));
    }
    link.client.pipe(link.upstream);
    link.upstream.pipe(link.client);
    link.client.resume();
    link.upstream.resume();
  }

  private hold(link: Link): void {
    link.client.unpipe();
    link.upstream?.unpipe();
    link.client.pause();
    link.upstream?.pause();
  }

  private drop(link: Link, how: 'close' | 'reset' = 'close'): void {
    if (!this.links.delete(link)) return;
    for (const socket of [link.client, link.upstream]) {
      if (!socket || socket.destroyed) continue;
      if (how === 'reset') socket.resetAndDestroy();
      else socket.destroy();
    }
  }

  /** Drops every connection through the proxy and refuses new ones. */
  cut(): void {
    this.mode = 'close';
    for (const link of [...this.links]) this.drop(link);
  }

  /** Resets (RST) every connection and refuses new ones the same way. */
  reset(): void {
    this.mode = 'reset';
    for (const link of [...this.links]) this.drop(link, 'reset');
  }

  /** Stops all traffic without closing anything: requests and answers are held until restore(). */
  blackHole(): void {
    this.mode = 'black-hole';
    for (const link of this.links) this.hold(link);
  }

  restore(): void {
    const wasBlackHole = this.mode === 'black-hole';
    this.mode = 'pass';
    if (wasBlackHole) for (const link of this.links) this.forward(link);
  }

  get openConnections(): number {
    return this.links.size;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The same database URL, pointed through a proxy on 127.0.0.1:`port`. */
export function viaProxy(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return proxied.toString();
}
