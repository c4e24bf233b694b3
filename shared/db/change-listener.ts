import pgListen from 'pg-listen';
import type { Logger } from '../logger.js';
import { CHANGE_CHANNEL, ChangeNotificationSchema, type ChangeNotification } from '../schemas/events.js';

// pg-listen is CommonJS with `exports.default`: from an ES module its function is `.default`.
const createPostgresSubscriber = pgListen.default;

export interface ChangeListenerHandlers {
  /** A change committed: only a hint (NOTIFY is at-most-once), the event table is the truth. */
  onHint(notification: ChangeNotification): void;
  /**
   * LISTEN is active again (first connect and every reconnect): notifications
   * sent while nobody listened are lost, so the caller catches up from the table.
   */
  onListening(): void;
}

export interface ChangeListener {
  /**
   * True while LISTEN is active: false from a lost connection (noticed on use, or
   * by the paranoid check within PARANOID_CHECK_MS) until LISTEN runs again. The
   * notifier's /readyz reports it: a notifier that does not listen pushes nothing.
   */
  isListening(): boolean;
  close(): Promise<void>;
}

/** How often pg-listen checks that a quiet connection is still there. */
const PARANOID_CHECK_MS = 5000;

/**
 * LISTENs on `flagship_changes` over its own connection (the notifier relays
 * from it; the API hears of changes through it while Redis pub/sub is silent;
 * the webhook worker wakes its delivery lanes with it), reconnecting for ever
 * (pg-listen's default gives up after 3 s, which would leave a notifier deaf
 * after a longer outage). The paranoid check notices a connection that died
 * silently, or one that broke while pg-listen was re-subscribing.
 */
export async function listenForChanges(
  databaseUrl: string,
  logger: Logger,
  handlers: ChangeListenerHandlers,
): Promise<ChangeListener> {
  let closed = false;
  let listening = false;
  const subscriber = createPostgresSubscriber(
    { connectionString: databaseUrl },
    {
      retryLimit: Infinity,
      retryTimeout: Infinity,
      retryInterval: (attempt) => (closed ? 0 : Math.min(100 * 2 ** attempt, 2000)),
      paranoidChecking: PARANOID_CHECK_MS,
    },
  );
  /*
   * pg-listen's close() ends the current client only: a reconnect loop already
   * running (the connection was lost) goes on for ever, and once the database
   * answers again it opens a connection nobody closes. A process shutting down
   * during an outage never exited; a test dropping its database hung in
   * teardown. The loop announces each attempt through this event, and a
   * listener that throws ends it (the throw surfaces as pg-listen's 'error').
   */
  subscriber.events.on('reconnect', (attempt) => {
    listening = false;
    if (closed) throw new ListenerClosedError();
    logger.warn({ attempt }, 'reconnecting the PostgreSQL listener');
  });
  subscriber.events.on('error', (error) => {
    listening = false;
    if (closed) {
      // A reconnect that connected after close() and then failed its LISTEN has started a
      // connection check of its own: closing again stops it and ends that client.
      void subscriber.close().catch(() => undefined);
      return;
    }
    logger.error({ err: error }, 'PostgreSQL listener error');
  });
  subscriber.notifications.on(CHANGE_CHANNEL, (payload: unknown) => {
    const parsed = ChangeNotificationSchema.safeParse(payload);
    if (!parsed.success) {
      logger.warn({ payload }, 'ignoring a malformed change notification');
      return;
    }
    handlers.onHint(parsed.data);
  });
  await subscriber.connect();
  await subscriber.listenTo(CHANGE_CHANNEL);
  // Only now: pg-listen emits 'connected' on connect() too, before LISTEN ran.
  // On a reconnect it emits it after re-running LISTEN.
  subscriber.events.on('connected', () => {
    // A reconnect that was already connecting when close() ran: end what it opened.
    if (closed) {
      void subscriber.close().catch(() => undefined);
      return;
    }
    listening = true;
    logger.info('listening for changes in PostgreSQL again');
    handlers.onListening();
  });
  listening = true;
  logger.info('listening for changes in PostgreSQL');
  handlers.onListening();
  return {
    isListening: () => listening && !closed,
    close: () => {
      closed = true;
      listening = false;
      return subscriber.close();
    },
  };
}

class ListenerClosedError extends Error {
  constructor() {
    super('the change listener was closed');
  }
}
