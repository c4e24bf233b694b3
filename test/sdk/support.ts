import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FlagShipChange, FlagShipClient } from '../../shared/sdk/index.js';

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
