import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** PostgreSQL's protocol 3.0 startup code (an SSLRequest or cancel has another). */
const PROTOCOL_3 = 196608;

/**
 * A TCP proxy in front of PostgreSQL that notes which database each new
 * connection asks for (from its startup message), to see which databases a
 * piece of code connects to.
 */
export class PostgresStartupSniffer {
  readonly databases: string[] = [];
  private readonly server = net.createServer((client) => this.accept(client));
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.once('data', (startup: Buffer) => {
      this.note(startup);
      upstream.write(startup);
      client.pipe(upstream);
    });
    upstream.pipe(client);
  }

  private note(startup: Buffer): void {
    if (startup.length < 8 || startup.readInt32BE(4) !== PROTOCOL_3) return;
    const fields = startup.subarray(8, startup.readInt32BE(0)).toString('utf8').split('\0');
    const parameters = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]) parameters.set(fields[i]!, fields[i + 1]!);
    // PostgreSQL's own default: the database named like the user.
    this.databases.push(parameters.get('database') ?? parameters.get('user') ?? '');
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
