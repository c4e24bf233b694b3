import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { errorReporter, type ErrorClassification } from '../../shared/error-classifier.js';
import type { Logger } from '../../shared/logger.js';
import type { RevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import type { TokenLookup } from '../../shared/domain/tokens/token-cache.js';
import {
  HandshakeAuthSchema,
  SOCKET_PROTOCOL_VERSION,
  SUPPORTED_SOCKET_PROTOCOLS,
  type ClientToServerEvents,
  type FlagChange,
  type SocketError,
  type SocketErrorCode,
} from '../../shared/schemas/socket.js';
import { ClientStream, type NotifierEvents } from './client-stream.js';
import { preparedPayloadParser } from './prepared-payload.js';
import { seesEveryProject } from '../../shared/domain/projects/project-scope.js';
import type { NotifierMetrics } from './metrics.js';
import type { ReplaySource } from './replay-source.js';

export interface SocketData {
  /** The token's id: processes keep ids, never secrets. */
  tokenId: string;
  environment: string;
  /** The projects the token sees (['*']: every one). */
  projects: readonly string[];
  since: number | undefined;
  stream: ClientStream;
}

type NotifierServer = Server<ClientToServerEvents, NotifierEvents, Record<string, never>, SocketData>;
type NotifierSocket = Socket<ClientToServerEvents, NotifierEvents, Record<string, never>, SocketData>;

export interface SocketServerOptions {
  /**
   * Checks handshake tokens: startNotifier passes the in-process cache
   * (shared/domain/tokens/token-cache.ts), so a known token costs no query and a
   * token this process verified still connects while PostgreSQL is away.
   */
  tokens: TokenLookup;
  /** Closes a socket within a second of its token's revocation. */
  revocations: RevocationWatch;
  /**
   * Socket.IO transports. WebSocket only by default: long-polling needs sticky
   * sessions, which several notifiers behind a load balancer do not have
   * ("Session ID unknown").
   */
  transports?: Array<'websocket' | 'polling'>;
  source: ReplaySource;
  logger: Logger;
  /** How many missed changes a reconnecting client is replayed; further behind, it gets a snapshot. */
  replayWindow: number;
  metrics?: NotifierMetrics;
}

export interface SocketServer {
  io: NotifierServer;
  /** Hands a relayed change to this process's sockets of its environment. */
  deliver(change: FlagChange): void;
  /** The relay stands at `version` without having relayed what led there: each socket of the environment reads what it lacks. */
  reached(environment: string, version: number): void;
  sockets(): Iterable<NotifierSocket>;
}

export function environmentRoom(environment: string): string {
  return `environment:${environment}`;
}

/** A handshake refusal: the client's `connect_error` carries the message and `data.code`. */
function refusal(code: SocketErrorCode, message: string): Error & { data: SocketError } {
  return Object.assign(new Error(message), { data: { code, message } });
}

/**
 * The refusal for a token check that failed (shared/error-classifier.ts
 * decided what the error is): the handshake fails closed either way, and
 * the client retries.
 */
function failedCheckRefusal({ kind }: ErrorClassification): Error & { data: SocketError } {
  const why = kind === 'unavailable' ? 'just now' : 'because of an internal error';
  return refusal('unavailable', `FlagShip could not check the token ${why}; try again`);
}

function unsupportedProtocolMessage(protocol: unknown): string {
  const spoken = `this FlagShip notifier speaks Socket.IO protocol ${SOCKET_PROTOCOL_VERSION}`;
  if (protocol === undefined) return `${spoken}; the client sent none (an SDK from before protocol 2): upgrade @flagship/sdk`;
  const newer = typeof protocol === 'number' && protocol > SOCKET_PROTOCOL_VERSION;
  return `${spoken}, not ${JSON.stringify(protocol)}: ${newer ? 'upgrade FlagShip or use an older SDK' : 'upgrade @flagship/sdk'}`;
}

/**
 * The Socket.IO server of one notifier process.
 *
 * Exactly once with several notifiers: every notifier LISTENs to PostgreSQL
 * and relays each change itself, to its own sockets only (this process's
 * rooms, no adapter broadcast). A socket lives on one notifier, so it is sent
 * each change by exactly that notifier, and its ClientStream sends each
 * version at most once and never across a gap. The Socket.IO Redis adapter
 * would instead make one notifier's emit reach every notifier's sockets, so
 * either only one notifier could relay (electing it, failing over) or every
 * socket would get each change once per notifier; it would also stop pushes
 * whenever Redis is flushed or down, which this design survives untouched.
 * The SDK connects over WebSocket only, so several notifiers behind a load
 * balancer need no sticky sessions either.
 */
export function createSocketServer(httpServer: http.Server, options: SocketServerOptions): SocketServer {
  const { tokens, source, logger, replayWindow, revocations, metrics } = options;
  const reportError = errorReporter(logger, metrics?.dependencyError);
  const io: NotifierServer = new Server(httpServer, {
    serveClient: false,
    transports: options.transports ?? ['websocket'],
    parser: preparedPayloadParser,
  });

  io.use(async (socket, next) => {
    const protocol: unknown = socket.handshake.auth?.protocol;
    if (typeof protocol !== 'number' || !SUPPORTED_SOCKET_PROTOCOLS.includes(protocol)) {
      return next(refusal('unsupported_protocol', unsupportedProtocolMessage(protocol)));
    }
    const handshake = HandshakeAuthSchema.safeParse(socket.handshake.auth ?? {});
    if (!handshake.success) {
      const problems = handshake.error.issues.map((issue) => `${['auth', ...issue.path.map(String)].join('.')}: ${issue.message}`);
      return next(refusal('invalid_handshake', `invalid handshake: ${problems.join('; ')}`));
    }
    const { token: secret, environment, since } = handshake.data;
    let token;
    try {
      token = await tokens.find(secret);
    } catch (error) {
      // Only a token this process never verified gets here while PostgreSQL is
      // away (a known one answers from the cache): fail closed, the client retries.
      return next(failedCheckRefusal(reportError(error, { protocol: 'socket.io', during: 'token check' })));
    }
    if (!token) return next(refusal('unauthorized', 'unknown or revoked token'));
    // Frontend tokens are refused too: snapshots carry definitions, which code on users' devices must never see.
    if (token.kind !== 'sdk' || token.environment === null) {
      return next(refusal('forbidden', `an sdk token is required, not ${token.kind === 'frontend' ? 'a' : 'an'} ${token.kind} token`));
    }
    if (environment !== undefined && environment !== token.environment) {
      return next(refusal('forbidden', `this token is for environment '${token.environment}', not '${environment}'`));
    }
    if (protocol !== SOCKET_PROTOCOL_VERSION && !seesEveryProject(token.projects)) {
      return next(refusal('unsupported_protocol', `a token of some projects needs Socket.IO protocol ${SOCKET_PROTOCOL_VERSION}, not ${protocol}: upgrade @flagship/sdk`));
    }
    socket.data.tokenId = token.id;
    socket.data.environment = token.environment;
    socket.data.projects = token.projects;
    socket.data.since = since;
    next();
  });

  io.on('connection', (socket) => {
    // The upgrade request (headers, raw headers, its parser state) would live
    // as long as the socket; nothing reads it after the handshake above. Socket.IO's
    // memory guide recommends letting it go: a few hundred bytes per socket.
    (socket.conn as { request: unknown }).request = null;
    const { environment, since, projects } = socket.data;
    const stream = new ClientStream(socket, environment, source, replayWindow, logger, metrics?.streamObserver(environment), projects);
    socket.data.stream = stream;
    metrics?.socketOpened(environment);
    const stopWatching = revocations.watch(socket.data.tokenId, () => {
      logger.info({ tokenId: socket.data.tokenId }, 'disconnecting a socket of a revoked token');
      socket.emit('flags:error', { code: 'unauthorized', message: 'this token was revoked' });
      socket.disconnect(true);
    });
    socket.on('disconnect', () => {
      metrics?.socketClosed(environment);
      stopWatching();
    });
    // Join before the first read (ClientStream explains why); the default
    // in-memory adapter joins synchronously.
    void socket.join(environmentRoom(environment));
    void stream.start(since);
  });

  return {
    io,
    deliver(change) {
      const room = environmentRoom(change.environment);
      const members = io.sockets.adapter.rooms.get(room);
      metrics?.changeRelayed(change);
      if (!members) return;
      // The sockets that would send this change at once get it in one local
      // broadcast, encoded once instead of once per socket (bench: the p99 of
      // a push to 1,000 clients and the last of 10,000 sockets both dropped
      // by about a quarter); the others go through their stream (held while
      // it reads, a gap filled from the table, a duplicate skipped).
      const direct: ClientStream[] = [];
      const others: string[] = [];
      for (const id of members) {
        const stream = io.sockets.sockets.get(id)?.data.stream;
        if (stream?.takesDirectly(change)) direct.push(stream);
        else others.push(id);
      }
      if (direct.length > 0) {
        io.local.to(room).except(others).emit('flags:change', change);
        for (const stream of direct) stream.sentByBroadcast(change);
      }
      for (const id of others) io.sockets.sockets.get(id)?.data.stream?.deliver(change);
      metrics?.changeWritten(change);
    },
    reached(environment, version) {
      const members = io.sockets.adapter.rooms.get(environmentRoom(environment));
      for (const id of members ?? []) io.sockets.sockets.get(id)?.data.stream?.reach(version);
    },
    sockets: () => io.sockets.sockets.values(),
  };
}
