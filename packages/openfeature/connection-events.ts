import type { ConnectionStatus, FlagShipDisconnected, FlagShipReconnected } from '@flagship/sdk';

/** What either SDK client offers about its connection. */
export interface ConnectionSource {
  readonly status: ConnectionStatus;
  readonly staleSince: Date | undefined;
  on(event: 'disconnected', listener: (details: FlagShipDisconnected) => void): unknown;
  on(event: 'reconnected', listener: (details: FlagShipReconnected) => void): unknown;
}

/** The OpenFeature provider event a connection state calls for. */
export type ProviderStateEvent = 'ready' | 'stale' | 'error';

/**
 * Maps a FlagShip client's connection state to OpenFeature's provider events
 * (specification, section 5): a lost connection is PROVIDER_STALE (the flags
 * held still answer, but may be out of date), being back in sync is
 * PROVIDER_READY, and a refusal for good (a revoked token) is PROVIDER_ERROR.
 * The error is not PROVIDER_FATAL: OpenFeature would then answer every
 * evaluation with its default, while the flags held are still the last
 * ones known, so evaluations go on with them.
 *
 * OpenFeature marks a provider READY when its initialize() settles, after the
 * provider's own code has run: a state other than `connected` at that moment
 * is announced just after, and what happens during initialize() waits for it.
 */
export class ConnectionEvents {
  private initialized = false;

  constructor(
    private readonly client: ConnectionSource,
    private readonly announce: (event: ProviderStateEvent, message: string) => void,
  ) {
    client.on('disconnected', (details) => {
      if (this.initialized) this.announceStatus(`lost FlagShip (${details.reason}); flags held since ${details.staleSince.toISOString()}`);
    });
    client.on('reconnected', (details) => {
      if (this.initialized) this.announceStatus(`back in sync with FlagShip after ${details.downtimeMs} ms`);
    });
  }

  /**
   * Call as initialize() settles: from then on each change is announced. After a
   * failed one OpenFeature holds the provider in ERROR already; the next
   * `reconnected` makes it READY.
   */
  initializeSettled({ failed }: { failed: boolean }): void {
    setTimeout(() => {
      this.initialized = true;
      if (!failed && this.client.status !== 'connected') this.announceStatus(`FlagShip ${this.client.status}: flags held since ${this.client.staleSince?.toISOString()}`);
    }, 0);
  }

  private announceStatus(message: string): void {
    const status = this.client.status;
    if (status === 'connected') this.announce('ready', message);
    else if (status === 'disconnected') this.announce('stale', message);
    else if (status === 'refused') this.announce('error', message);
  }
}
