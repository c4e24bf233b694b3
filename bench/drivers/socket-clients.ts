// A load driver process: holds many Socket.IO clients of one notifier (or of
// the bare baseline server) and records, on the machine's shared monotonic
// clock, when each client got each version.
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { SOCKET_PROTOCOL_VERSION } from '../../shared/schemas/socket.js';
import { monotonicMs } from '../harness/clock.js';
import { emitEvent, serveCommands } from '../harness/ipc.js';

export interface ConnectArgs {
  url: string;
  /**
   * Several servers (notifiers, or bare servers) side by side: the driver's
   * n-th client connects to `urls[n % urls.length]` (then `url` is ignored).
   */
  urls?: string[];
  token: string;
  environment: string;
  count: number;
  /**
   * 'sdk': the repo's FlagShipClient. 'raw': a bare socket.io-client socket.
   * 'wire': Socket.IO's protocol spoken straight over a WebSocket (the ws
   * package): what a server sees is the same, but each socket costs the
   * driver a fraction of socket.io-client's CPU, so 10,000 of them on 2
   * cores measure the server rather than the clients.
   */
  mode: 'sdk' | 'raw' | 'wire';
  /** Connections opened at once. */
  concurrency: number;
  /**
   * Times a connection that failed before its first sync is tried again
   * (after 250 ms, 500 ms, …), as an app's SDK reconnects: a server refusing
   * a handshake for a moment (`unavailable`: its PostgreSQL connection was
   * slow to open on a loaded machine) or a full accept queue. 0 by default;
   * every retry is counted (stats().connectRetries).
   */
  connectRetries?: number;
  /** Raw mode: the version the socket already holds, so it is sent only what came after (no snapshot). */
  since?: number;
  /**
   * Clients of one server. A driver reports a version 'reached' once every
   * client of the group that got it has it, so two servers (with versions
   * that never collide) can be measured side by side.
   */
  group?: string;
}

export interface ClientStats {
  clients: number;
  gapsDetected: number;
  duplicatesIgnored: number;
  syncs: number;
  /** Changes that did not follow the client's previous one (should be 0). */
  outOfOrder: number;
  /** Snapshots received after the first sync (a client that fell behind). */
  laterSnapshots: number;
  /** Connections tried again after failing before their first sync (ConnectArgs.connectRetries). */
  connectRetries: number;
}

export interface VersionReceipts {
  version: number;
  /** monotonicMs() at each client's change event. */
  times: number[];
  /** 'wire' clients: the size of the WebSocket message that carried the change, in bytes (the same for every client). */
  frameBytes?: number;
}

interface Tracked {
  group: string;
  close(): void;
  lastVersion: number | undefined;
  gaps(): number;
  duplicates(): number;
  syncs(): number;
}

const clients: Tracked[] = [];
const groupSizes = new Map<string, number>();
let receipts = new Map<number, number[]>();
const frameBytes = new Map<number, number>();
let outOfOrder = 0;
let laterSnapshots = 0;
let connectRetries = 0;
/** The last few errors that made a connection retry, for the report. */
let retryReasons: string[] = [];

function record(client: Tracked, version: number, bytes?: number): void {
  const now = monotonicMs();
  if (bytes !== undefined && !frameBytes.has(version)) frameBytes.set(version, bytes);
  if (client.lastVersion !== undefined && version !== client.lastVersion + 1) outOfOrder += 1;
  client.lastVersion = version;
  let times = receipts.get(version);
  if (!times) {
    times = [];
    receipts.set(version, times);
  }
  times.push(now);
  // Every client of this process (in the group) has it: the runner may go on to the next write.
  if (times.length === groupSizes.get(client.group)) emitEvent('reached', { version });
}

function connectSdk(args: ConnectArgs): Promise<Tracked> {
  const client = new FlagShipClient({ url: args.url, token: args.token, environment: args.environment, readyTimeoutMs: 60_000 });
  const tracked: Tracked = {
    group: args.group ?? '',
    close: () => void client.close(),
    lastVersion: undefined,
    gaps: () => client.stats.gapsDetected,
    duplicates: () => client.stats.duplicatesIgnored,
    syncs: () => client.stats.syncs,
  };
  let synced = false;
  client.on('change', (change) => {
    if (change.source === 'change') record(tracked, change.version);
    else if (synced) laterSnapshots += 1;
  });
  client.on('error', () => undefined);
  return client.ready().then(() => {
    synced = true;
    tracked.lastVersion = client.version;
    return tracked;
  });
}

function connectRaw(args: ConnectArgs): Promise<Tracked> {
  const socket: Socket = io(args.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token: args.token, protocol: SOCKET_PROTOCOL_VERSION, environment: args.environment, ...(args.since === undefined ? {} : { since: args.since }) },
  });
  let syncs = 0;
  const tracked: Tracked = {
    group: args.group ?? '',
    close: () => void socket.close(),
    lastVersion: undefined,
    gaps: () => 0,
    duplicates: () => 0,
    syncs: () => syncs,
  };
  socket.on('flags:change', (change: { version: number }) => record(tracked, change.version));
  socket.on('flags:snapshot', () => {
    if (syncs > 0) laterSnapshots += 1;
  });
  return new Promise((resolve, reject) => {
    socket.once('flags:synced', (synced: { version: number }) => {
      syncs += 1;
      tracked.lastVersion = synced.version;
      resolve(tracked);
    });
    socket.once('connect_error', (error) => reject(error));
    socket.once('disconnect', (reason) => {
      if (syncs === 0) reject(new Error(`disconnected before the first sync: ${reason}`));
    });
  });
}

/** Messages the 'wire' sockets received, and their payload bytes, per Socket.IO event (or Engine.IO packet type). */
export type FrameCounts = Record<string, { frames: number; bytes: number }>;
let frameCounts: FrameCounts = {};

function countFrame(packet: string, bytes: number): void {
  // '42["flags:change",…' → flags:change; anything else by its Engine.IO/Socket.IO packet type.
  const kind = packet.startsWith('42') ? (/^42\["([^"]+)"/.exec(packet)?.[1] ?? 'event') : `packet ${packet.slice(0, packet.startsWith('4') ? 2 : 1)}`;
  const count = (frameCounts[kind] ??= { frames: 0, bytes: 0 });
  count.frames += 1;
  count.bytes += bytes;
}

/** The counts since the last call (the call resets them). */
function frames(): FrameCounts {
  const counted = frameCounts;
  frameCounts = {};
  return counted;
}

/**
 * A Socket.IO client reduced to what the bench needs, over one WebSocket
 * (Engine.IO 4 / Socket.IO 5 protocol): answer the open packet with a CONNECT
 * carrying the auth, answer pings, and read EVENT packets.
 */
function connectWire(args: ConnectArgs): Promise<Tracked> {
  const socket = new WebSocket(`${args.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
  const auth = { token: args.token, protocol: SOCKET_PROTOCOL_VERSION, environment: args.environment, ...(args.since === undefined ? {} : { since: args.since }) };
  let syncs = 0;
  const tracked: Tracked = {
    group: args.group ?? '',
    close: () => socket.close(),
    lastVersion: undefined,
    gaps: () => 0,
    duplicates: () => 0,
    syncs: () => syncs,
  };
  return new Promise((resolve, settleRejected) => {
    // A connection that fails before its first sync is closed, so a retry never leaves it behind.
    const reject = (error: Error) => {
      if (syncs > 0) return;
      socket.terminate();
      settleRejected(error);
    };
    socket.on('message', (data: Buffer) => {
      const packet = data.toString();
      countFrame(packet, data.length);
      if (packet === '2') {
        socket.send('3');
      } else if (packet.startsWith('0')) {
        socket.send(`40${JSON.stringify(auth)}`);
      } else if (packet.startsWith('44')) {
        reject(new Error(`connection refused: ${packet.slice(2)}`));
      } else if (packet.startsWith('42')) {
        const [event, payload] = JSON.parse(packet.slice(2)) as [string, { version: number }];
        if (event === 'flags:change') record(tracked, payload.version, data.length);
        else if (event === 'flags:snapshot' && syncs > 0) laterSnapshots += 1;
        else if (event === 'flags:synced' && ++syncs === 1) {
          tracked.lastVersion = payload.version;
          resolve(tracked);
        }
      }
    });
    socket.on('error', reject);
    socket.once('close', () => {
      if (syncs === 0) reject(new Error('closed before the first sync'));
    });
  });
}

async function connect(args: ConnectArgs): Promise<{ connected: number; seconds: number }> {
  const started = monotonicMs();
  let remaining = args.count;
  const open = { sdk: connectSdk, raw: connectRaw, wire: connectWire }[args.mode];
  let opened = 0;
  await Promise.all(
    Array.from({ length: Math.min(args.concurrency, args.count) }, async () => {
      while (remaining > 0) {
        remaining -= 1;
        const url = args.urls && args.urls.length > 0 ? args.urls[opened % args.urls.length]! : args.url;
        opened += 1;
        let client: Tracked;
        for (let attempt = 0; ; attempt += 1) {
          try {
            client = await open({ ...args, url });
            break;
          } catch (error) {
            if (attempt >= (args.connectRetries ?? 0)) throw error;
            connectRetries += 1;
            if (retryReasons.length < 5) retryReasons.push(error instanceof Error ? error.message : String(error));
            await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
          }
        }
        clients.push(client);
        groupSizes.set(client.group, (groupSizes.get(client.group) ?? 0) + 1);
      }
    }),
  );
  return { connected: clients.length, seconds: (monotonicMs() - started) / 1000 };
}

function collect(): VersionReceipts[] {
  const result = [...receipts].map(([version, times]): VersionReceipts => ({ version, times, frameBytes: frameBytes.get(version) }));
  receipts = new Map();
  frameBytes.clear();
  return result;
}

function stats(): ClientStats {
  return {
    clients: clients.length,
    gapsDetected: clients.reduce((sum, client) => sum + client.gaps(), 0),
    duplicatesIgnored: clients.reduce((sum, client) => sum + client.duplicates(), 0),
    syncs: clients.reduce((sum, client) => sum + client.syncs(), 0),
    outOfOrder,
    laterSnapshots,
    connectRetries,
  };
}

/** Why connections were retried (the first few reasons). */
function retries(): { count: number; reasons: string[] } {
  return { count: connectRetries, reasons: retryReasons };
}

function disconnect(): { closed: number } {
  const closed = clients.length;
  for (const client of clients.splice(0)) client.close();
  groupSizes.clear();
  receipts = new Map();
  frameBytes.clear();
  outOfOrder = 0;
  laterSnapshots = 0;
  connectRetries = 0;
  retryReasons = [];
  return { closed };
}

serveCommands(
  {
    connect,
    collect,
    stats,
    disconnect,
    frames,
    retries,
    /** The driver's clock, for the runner's check that the clock is shared. */
    clock: () => ({ now: monotonicMs() }),
  },
  () => {
    disconnect();
  },
);
