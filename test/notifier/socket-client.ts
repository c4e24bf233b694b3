import { io, type Socket } from 'socket.io-client';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import {
  SOCKET_PROTOCOL_VERSION,
  type ClientToServerEvents,
  type FlagChange,
  type HandshakeAuth,
  type ServerToClientEvents,
  type SocketError,
  type Synced,
} from '../../shared/schemas/socket.js';

/** Everything a raw socket was sent, in arrival order. */
export type Received =
  | { event: 'flags:snapshot'; payload: Snapshot }
  | { event: 'flags:change'; payload: FlagChange }
  | { event: 'flags:synced'; payload: Synced }
  | { event: 'flags:error'; payload: SocketError };

export interface RawSocket {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  received: Received[];
  /** Resolves with the `n`-th message matching `event` (counting from 1). */
  next(event: Received['event'], count?: number): Promise<void>;
  /** The versions of the flags:change messages received, in order. */
  changeVersions(): number[];
  close(): void;
}

/** A bare Socket.IO client (no SDK logic) that records what the notifier sends; it does not reconnect. It speaks the current protocol unless `auth` says otherwise. */
export function rawSocket(url: string, auth: Partial<HandshakeAuth> | Record<string, unknown>): RawSocket {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    forceNew: true,
    transports: ['websocket'],
    reconnection: false,
    auth: { protocol: SOCKET_PROTOCOL_VERSION, ...auth },
  });
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const record = (entry: Received) => {
    received.push(entry);
    for (const wake of waiters.splice(0)) wake();
  };
  socket.on('flags:snapshot', (payload) => record({ event: 'flags:snapshot', payload }));
  socket.on('flags:change', (payload) => record({ event: 'flags:change', payload }));
  socket.on('flags:synced', (payload) => record({ event: 'flags:synced', payload }));
  socket.on('flags:error', (payload) => record({ event: 'flags:error', payload }));
  const next = async (event: Received['event'], count = 1) => {
    while (received.filter((entry) => entry.event === event).length < count) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const changeVersions = () => received.flatMap((entry) => (entry.event === 'flags:change' ? [entry.payload.version] : []));
  return { socket, received, next, changeVersions, close: () => socket.close() };
}

/** Resolves with the connect_error a refused socket gets (its message and data); the current protocol unless `auth` says otherwise. */
export function connectError(url: string, auth: Record<string, unknown>): Promise<Error & { data?: SocketError }> {
  const socket = io(url, { forceNew: true, transports: ['websocket'], reconnection: false, auth: { protocol: SOCKET_PROTOCOL_VERSION, ...auth } });
  return new Promise((resolve, reject) => {
    socket.on('connect_error', (error) => {
      socket.close();
      resolve(error as Error & { data?: SocketError });
    });
    socket.on('connect', () => {
      socket.close();
      reject(new Error('the socket was accepted'));
    });
  });
}

export { createSdkToken } from '../helpers/tokens.js';
