import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FlagShipChange, FlagShipClient, TypedEmitter } from '../../packages/sdk/index.js';

/** A port nothing listens on (yet): bound once, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves with the first change the client emits that matches. */
export function changeWhere(client: FlagShipClient, predicate: (change: FlagShipChange) => boolean): Promise<FlagShipChange> {
  return new Promise((resolve) => {
    const listener = (change: FlagShipChange) => {
      if (!predicate(change)) return;
      client.off('change', listener);
      resolve(change);
    };
    client.on('change', listener);
  });
}

/** Resolves with the next `event` of `emitter` (its first argument); rejects after `timeoutMs` naming what it waited for. */
export function nextEvent<Events extends { [K in keyof Events]: unknown[] }, E extends keyof Events & string>(
  emitter: TypedEmitter<Events>,
  event: E,
  timeoutMs = 15_000,
): Promise<Events[E][0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for the '${event}' event`)), timeoutMs);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args[0]);
    });
  });
}
