import type { Queryable } from '../../shared/db/pool.js';
import { findActiveToken } from '../../shared/db/tokens.js';
import type { Logger } from '../../shared/logger.js';
import type { StreamSocket } from './client-stream.js';

/** A connected socket and the secret it authenticated with. */
export interface WatchedSocket extends StreamSocket {
  data: { secret: string };
}

export interface TokenWatch {
  stop(): void;
}

/**
 * Disconnects, every `intervalMs`, the sockets whose token was revoked since
 * they connected: a token check at the handshake alone would let a revoked
 * app keep receiving flags for as long as its connection lives. One query per
 * distinct token, not per socket.
 */
export function watchTokens(
  sockets: () => Iterable<WatchedSocket>,
  db: Queryable,
  intervalMs: number,
  logger: Logger,
): TokenWatch {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const check = async () => {
    const bySecret = new Map<string, WatchedSocket[]>();
    for (const socket of sockets()) {
      const group = bySecret.get(socket.data.secret) ?? [];
      group.push(socket);
      bySecret.set(socket.data.secret, group);
    }
    for (const [secret, group] of bySecret) {
      const token = await findActiveToken(db, secret);
      if (token) continue;
      logger.info({ sockets: group.length }, 'disconnecting sockets of a revoked token');
      for (const socket of group) {
        socket.emit('flags:error', { code: 'unauthorized', message: 'this token was revoked' });
        socket.disconnect(true);
      }
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      check()
        .catch((error: unknown) => logger.warn({ err: error }, 'could not check tokens; will try again'))
        .finally(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
